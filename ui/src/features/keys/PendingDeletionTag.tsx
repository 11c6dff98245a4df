import { Tag } from "@carbon/react";
import { formatTimestamp } from "../../lib/format";
import { useNow } from "../../lib/hooks/useNow";
import type { KeyInfo } from "../../lib/types";
import { pendingDeletionText } from "./pendingDeletion";

interface Props {
  dualAuthDelete: KeyInfo["dualAuthDelete"];
  id?: string;
}

/** The purple tag of a key whose deletion one person has authorized: who, and how long it holds. */
export function PendingDeletionTag({ dualAuthDelete, id }: Props) {
  const now = useNow(60_000);
  const { authorizedBy, authExpiration } = dualAuthDelete;
  const until = authExpiration === undefined ? "" : ` until ${formatTimestamp(authExpiration)}`;
  return (
    <Tag id={id} size="sm" type="purple" data-pending-deletion>
      {/* Carbon's Tag ignores `title`; the inner element carries it. */}
      <span title={`Deletion authorized by ${authorizedBy ?? "another user"}${until}`}>
        {pendingDeletionText(dualAuthDelete, now)}
      </span>
    </Tag>
  );
}
