import { CopyButton } from "@carbon/react";
import { shortId } from "../../lib/format";

/** A key's short id, with the full id on hover and a button that copies it (Key Protect's table has one). */
export function KeyIdCopy({ id }: { id: string }) {
  return (
    <span className="key-table__id-cell">
      <code className="key-table__id" title={id}>
        {shortId(id)}
      </code>
      <CopyButton
        className="key-table__id-copy"
        iconDescription="Copy key ID"
        feedback="Copied"
        align="top"
        onClick={(event) => {
          // Copying is not a click on the row, which opens the details.
          event.stopPropagation();
          void navigator.clipboard?.writeText(id);
        }}
      />
    </span>
  );
}
