import { InlineNotification } from "@carbon/react";
import { expiryCountdown, formatTimestamp } from "../../lib/format";
import { useNow } from "../../lib/hooks/useNow";

/** A key's expiry with a countdown ("expires in 3 d 4 h"), or how long ago it passed. */
export function KeyExpiry({ expiresAt, id }: { expiresAt: string; id: string }) {
  const now = useNow(30_000);
  return (
    <>
      <time dateTime={expiresAt}>{formatTimestamp(expiresAt)}</time>{" "}
      <span id={id} className="key-page__countdown">
        ({expiryCountdown(expiresAt, now)})
      </span>
    </>
  );
}

/** What an expired key still allows (Key Protect's semantics for state 3). */
export function DeactivatedNotice({ id }: { id: string }) {
  return (
    <InlineNotification
      id={id}
      kind="warning"
      title="This key is deactivated (expired)"
      subtitle="Only unwrap, rewrap, rotate and delete are allowed. It no longer wraps new DEKs."
      lowContrast
      hideCloseButton
    />
  );
}
