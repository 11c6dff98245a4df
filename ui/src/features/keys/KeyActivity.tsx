import { InlineNotification, SkeletonText, Tag } from "@carbon/react";
import { useCallback } from "react";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";

const RECENT = 10;

/** The latest audit events that name this key. */
export function KeyActivity({ keyId, refreshToken, limit = RECENT }: { keyId: string; refreshToken: number; limit?: number }) {
  const backend = useBackend();
  const load = useCallback(() => backend.auditEvents({ target: keyId, limit }), [backend, keyId, limit]);
  const { data, error } = useRequest(load, refreshToken);
  return (
    <section aria-labelledby="key-details-activity-title" className="key-details__section">
      <h3 id="key-details-activity-title" className="key-details__subtitle">
        Recent activity
      </h3>
      {error !== undefined ? (
        <InlineNotification kind="error" title="Activity could not be loaded" subtitle={describe(error)} lowContrast hideCloseButton />
      ) : data === undefined ? (
        <SkeletonText paragraph lineCount={2} />
      ) : data.length === 0 ? (
        <p className="key-details__note">No recorded activity.</p>
      ) : (
        <ol className="key-details__list" aria-label="Recent activity, newest first" id="key-details-activity">
          {data.map((event) => (
            <li key={event.seq}>
              <time dateTime={event.at}>{formatTimestamp(event.at)}</time> · <code>{event.action}</code> ·{" "}
              {event.initiator}{" "}
              {event.outcome !== "success" && (
                <Tag size="sm" type="red">
                  {event.outcome}
                </Tag>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
