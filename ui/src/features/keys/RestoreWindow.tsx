import { Countdown } from "../../components/Countdown";
import { formatTimestamp } from "../../lib/format";
import { restorableUntil } from "../../lib/keyLifecycle";
import { useReached } from "../../lib/hooks/useReached";
import type { KeyInfo } from "../../lib/types";

interface Props {
  keyInfo: Pick<KeyInfo, "deletionWindow" | "deletedAt">;
  id?: string;
}

/**
 * When a destroyed key's restore window closes (30 days after its deletion, as the keystore says in
 * `deletionWindow`), with the time left. Nothing without a window or a deletion date.
 */
export function RestoreWindow({ keyInfo, id }: Props) {
  const until = restorableUntil(keyInfo);
  const closed = useReached(until);
  if (until === undefined) return null;
  const iso = until.toISOString();
  return (
    <span id={id} className="restore-window" data-restorable-until={iso}>
      <time dateTime={iso}>{formatTimestamp(iso)}</time>{" "}
      <span className="key-details__note">
        {closed ? (
          "(closed: it can no longer be restored)"
        ) : (
          <>
            (closes in <Countdown to={until} />)
          </>
        )}
      </span>
    </span>
  );
}
