import type { KeyTableColumn } from "../../lib/preferences";
import { formatTimestamp } from "../../lib/format";
import type { KeyInfo } from "../../lib/types";

function Timestamp({ value }: { value: string | undefined }) {
  if (value === undefined) return <span className="key-table__none">—</span>;
  return <time dateTime={value}>{formatTimestamp(value)}</time>;
}

/** Rotation is a root key's: a standard key has no policy to show. */
function rotationText(key: KeyInfo): string {
  if (key.keyType !== "root" || key.rotation === undefined) return "—";
  if (!key.rotation.enabled) return "Off";
  const months = key.rotation.intervalMonth;
  return `Every ${months} ${months === 1 ? "month" : "months"}`;
}

/** One optional column's cell content for a key. */
export function KeyColumnValue({ column, keyInfo }: { column: KeyTableColumn; keyInfo: KeyInfo }) {
  switch (column) {
    case "lastRotatedAt":
      return keyInfo.lastRotatedAt === undefined ? <>Never</> : <Timestamp value={keyInfo.lastRotatedAt} />;
    case "createdAt":
      return <Timestamp value={keyInfo.createdAt} />;
    case "updatedAt":
      return <Timestamp value={keyInfo.updatedAt} />;
    case "expiresAt":
      return <Timestamp value={keyInfo.expiresAt} />;
    case "imported":
      return <>{keyInfo.imported ? "Yes" : "No"}</>;
    case "rotation":
      return <>{rotationText(keyInfo)}</>;
    case "dualAuth":
      return <>{keyInfo.dualAuthDelete.enabled ? "Required" : "Off"}</>;
  }
}
