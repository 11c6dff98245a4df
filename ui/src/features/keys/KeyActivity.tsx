import { InlineNotification, SkeletonText, Tag } from "@carbon/react";
import { useCallback } from "react";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";

const RECENT = 10;
/**
 * How far back the panel looks. The trail is indexed only by its order, so a key's events are
 * found by reading back from the newest: about a quarter of a second per million events, and
 * a load test writes tens of thousands a second. The audit log searches all of it.
 */
export const ACTIVITY_LOOK_BACK = 200_000;
const LOOK_BACK_TEXT = ACTIVITY_LOOK_BACK.toLocaleString("en-US");
const SEARCH_ALL = "The Audit log, filtered by this key's ID, searches all of it.";

/** The latest audit events that name this key, among the newest of the whole trail. */
export function KeyActivity({ keyId, refreshToken, limit = RECENT }: { keyId: string; refreshToken: number; limit?: number }) {
  const backend = useBackend();
  const load = useCallback(
    () => backend.auditEvents({ target: keyId, limit, withinLatest: ACTIVITY_LOOK_BACK }),
    [backend, keyId, limit],
  );
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
        <p className="key-details__note" id="key-details-activity-none">
          No activity among the latest {LOOK_BACK_TEXT} events of the audit trail. {SEARCH_ALL}
        </p>
      ) : (
        <>
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
          {data.length < limit && (
            <p className="key-details__note" id="key-details-activity-window">
              From the latest {LOOK_BACK_TEXT} events of the audit trail. {SEARCH_ALL}
            </p>
          )}
        </>
      )}
    </section>
  );
}
