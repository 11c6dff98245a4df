import { Tag } from "@carbon/react";
import { aheadLabel } from "../../lib/clock";

/**
 * The header's note that the keystore's clock runs ahead of this computer's: a test server's
 * virtual clock (`strongroom serve --virtual-clock`) was moved. Its countdowns and due dates
 * follow the keystore, so the person is told why they differ from the wall clock.
 */
export function ClockTag({ offsetSeconds }: { offsetSeconds: number }) {
  if (offsetSeconds <= 0) return null;
  const ahead = aheadLabel(offsetSeconds);
  // Carbon's Tag keeps no title of its own, so the explanation sits on a wrapper.
  return (
    <span
      id="header-clock"
      className="app-clock"
      title={`This keystore's clock runs ${ahead} ahead of this computer's (a test server's virtual clock). Countdowns and due dates follow the keystore.`}
    >
      <Tag type="purple" size="sm">
        Clock +{ahead}
      </Tag>
    </span>
  );
}
