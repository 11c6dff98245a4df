import { STATE_LABELS } from "../../lib/format";
import type { KeyStateName, KeyType } from "../../lib/types";

/** The key table's filters, as its toolbar holds them; "all" and "" mean no filter. */
export interface KeyFilters {
  state: KeyStateName | "all";
  keyType: KeyType | "all";
  keyRing: string;
  /** The search the keystore was asked for (trimmed). */
  search: string;
}

export type KeyFilterName = keyof KeyFilters;

export interface FilterChip {
  name: KeyFilterName;
  label: string;
}

const TYPE_LABELS: Record<KeyType, string> = { root: "Root keys", standard: "Standard keys" };

/** One chip per filter in force, in toolbar order: state, type, key ring, search. */
export function filterChips(filters: KeyFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filters.state !== "all") chips.push({ name: "state", label: `State: ${STATE_LABELS[filters.state]}` });
  if (filters.keyType !== "all") chips.push({ name: "keyType", label: `Type: ${TYPE_LABELS[filters.keyType]}` });
  if (filters.keyRing !== "") chips.push({ name: "keyRing", label: `Key ring: ${filters.keyRing}` });
  if (filters.search !== "") chips.push({ name: "search", label: `Search: “${filters.search}”` });
  return chips;
}
