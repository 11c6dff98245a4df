import { Countdown } from "../../components/Countdown";
import { formatTimestamp } from "../../lib/format";
import { PURGE_DELAY_HOURS } from "../../lib/keyLifecycle";

/** Why Purge is still disabled, and until when: the keystore refuses a purge within 4 hours of the deletion. */
export function PurgeWait({ from, id }: { from: Date; id: string }) {
  const iso = from.toISOString();
  return (
    <p id={id} className="key-details__note">
      Purge is possible {PURGE_DELAY_HOURS} hours after the deletion: from{" "}
      <time dateTime={iso}>{formatTimestamp(iso)}</time>, in <Countdown to={from} />.
    </p>
  );
}
