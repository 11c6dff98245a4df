import { ALL_STATES, STATE_LABELS } from "../../lib/format";
import type { KeyStateName, KeyType } from "../../lib/types";

/** The key table's filters, as its toolbar holds them; every state, "all", "" and no property mean no filter. */
export interface KeyFilters {
  /** The states chosen; all of them (the default) or none is no filter. */
  states: readonly KeyStateName[];
  keyType: KeyType | "all";
  keyRing: string;
  /** Properties every key shown must have (Strongroom's own filters). */
  properties: readonly KeyProperty[];
  /** The search the keystore was asked for (trimmed). */
  search: string;
}

/**
 * A property the table can require of keys. Each is a keystore filter of `ListKeysRequest`;
 * Key Protect has none of them, and a remote client refuses them there (`NOT_SUPPORTED`).
 */
export type KeyProperty = "imported" | "dualAuthDelete" | "rotationDue";

export const KEY_PROPERTIES: readonly KeyProperty[] = ["imported", "dualAuthDelete", "rotationDue"];

export const PROPERTY_LABELS: Record<KeyProperty, string> = {
  imported: "Imported",
  dualAuthDelete: "Has dual authorization",
  rotationDue: "Rotation due",
};

/** The listing fields the chosen properties ask for: each one set to `true`, the others left out. */
export function propertyFilters(properties: readonly KeyProperty[]): Partial<Record<KeyProperty, true>> {
  return Object.fromEntries(properties.map((property) => [property, true]));
}

export type KeyFilterName = keyof KeyFilters;

export interface FilterChip {
  /** Unique among the chips: the filter's name, and the state for a state chip. */
  id: string;
  name: KeyFilterName;
  label: string;
  /** The one state a state chip removes from the filter. */
  state?: KeyStateName;
  /** The one property a property chip removes from the filter. */
  property?: KeyProperty;
}

const TYPE_LABELS: Record<KeyType, string> = { root: "Root keys", standard: "Standard keys" };

/** Whether `states` filters anything out: neither empty nor every non-purged state. */
export function filtersStates(states: readonly KeyStateName[]): boolean {
  return states.length > 0 && ALL_STATES.some((state) => !states.includes(state));
}

/**
 * The states to ask the keystore for, in lifecycle order. None chosen asks for every state:
 * an empty list would mean "all but destroyed" to the keystore, and keys are never hidden silently.
 */
export function statesToList(states: readonly KeyStateName[]): KeyStateName[] {
  return filtersStates(states) ? ALL_STATES.filter((state) => states.includes(state)) : ALL_STATES;
}

/** `states` without `state`; taking the last one away is no state filter at all. */
export function withoutState(states: readonly KeyStateName[], state: KeyStateName): KeyStateName[] {
  const rest = statesToList(states).filter((candidate) => candidate !== state);
  return rest.length === 0 ? ALL_STATES : rest;
}

/** One chip per filter in force, in toolbar order: each state chosen, type, key ring, each property, search. */
export function filterChips(filters: KeyFilters): FilterChip[] {
  const chips: FilterChip[] = [];
  if (filtersStates(filters.states)) {
    for (const state of statesToList(filters.states)) {
      chips.push({ id: `state-${state}`, name: "states", label: `State: ${STATE_LABELS[state]}`, state });
    }
  }
  if (filters.keyType !== "all") {
    chips.push({ id: "keyType", name: "keyType", label: `Type: ${TYPE_LABELS[filters.keyType]}` });
  }
  if (filters.keyRing !== "") chips.push({ id: "keyRing", name: "keyRing", label: `Key ring: ${filters.keyRing}` });
  for (const property of KEY_PROPERTIES.filter((candidate) => filters.properties.includes(candidate))) {
    chips.push({ id: `property-${property}`, name: "properties", label: PROPERTY_LABELS[property], property });
  }
  if (filters.search !== "") chips.push({ id: "search", name: "search", label: `Search: “${filters.search}”` });
  return chips;
}
