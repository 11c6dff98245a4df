import { KEY_TABLE_COLUMNS, type KeyTableColumn } from "../../lib/preferences";
import type { KeySortField } from "../../lib/types";

export interface KeyTableHeader {
  key: string;
  header: string;
  /** The backend's sort field, for a sortable column. */
  sortBy?: KeySortField;
}

/**
 * The columns always shown, before the chosen ones; `sortBy` names the backend's sort field.
 * A narrow status column leads (KeyStore Explorer's indicator): a due rotation or a near expiry.
 */
const LEADING: KeyTableHeader[] = [
  { key: "status", header: "Status" },
  { key: "name", header: "Name", sortBy: "name" },
  { key: "id", header: "Key ID" },
  { key: "keyRing", header: "Key ring" },
  { key: "aliases", header: "Aliases" },
  { key: "keyType", header: "Type", sortBy: "keyType" },
  { key: "state", header: "State", sortBy: "state" },
];

/**
 * The columns the settings menu shows or hides, in the table's order. Last rotated is on by
 * default, completing Key Protect's default set.
 */
export const OPTIONAL_HEADERS: Record<KeyTableColumn, KeyTableHeader> = {
  lastRotatedAt: { key: "lastRotatedAt", header: "Last rotated", sortBy: "lastRotateDate" },
  createdAt: { key: "createdAt", header: "Created", sortBy: "creationDate" },
  updatedAt: { key: "updatedAt", header: "Last updated", sortBy: "lastUpdateDate" },
  expiresAt: { key: "expiresAt", header: "Expiration", sortBy: "expirationDate" },
  imported: { key: "imported", header: "Imported", sortBy: "imported" },
  rotation: { key: "rotation", header: "Rotation policy" },
  dualAuth: { key: "dualAuth", header: "Dual auth" },
};

/**
 * Shown while the table lists destroyed keys only, before the actions: Key Protect makes people
 * work the restore deadline out. Deletion order is restore-deadline order.
 */
const RESTORABLE: KeyTableHeader = { key: "restorableUntil", header: "Restorable until", sortBy: "deletionDate" };
const ACTIONS: KeyTableHeader = { key: "actions", header: "" };

/** The optional columns of `shown`, in the table's order. */
export function orderedColumns(shown: readonly KeyTableColumn[]): KeyTableColumn[] {
  return KEY_TABLE_COLUMNS.filter((column) => shown.includes(column));
}

/** The table's headers: the fixed ones, the optional ones chosen, the restore deadline when asked, the menu. */
export function keyTableHeaders(shown: readonly KeyTableColumn[], restorable: boolean): KeyTableHeader[] {
  const optional = orderedColumns(shown).map((column) => OPTIONAL_HEADERS[column]);
  return [...LEADING, ...optional, ...(restorable ? [RESTORABLE] : []), ACTIONS];
}

/** `shown` with `column` added or taken away, in the table's order. */
export function toggleColumn(shown: readonly KeyTableColumn[], column: KeyTableColumn, on: boolean): KeyTableColumn[] {
  return KEY_TABLE_COLUMNS.filter((candidate) => (candidate === column ? on : shown.includes(candidate)));
}
