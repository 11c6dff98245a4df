import type { KeyStateName } from "./types";

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A local, human date and time for an RFC 3339 timestamp. */
export function formatTimestamp(rfc3339: string): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : dateTime.format(date);
}

/** The first block of a UUID: enough to tell versions apart at a glance. */
export function shortId(id: string): string {
  return id.split("-")[0] ?? id;
}

/**
 * One vocabulary for states: Key Protect's API says "suspended", "deactivated" and "destroyed"
 * where its console says "disabled", "expired" and "deleted", so each label carries both.
 */
export const STATE_LABELS: Record<KeyStateName, string> = {
  active: "Active",
  suspended: "Suspended (disabled)",
  deactivated: "Deactivated (expired)",
  destroyed: "Destroyed (deleted)",
};

/** Key Protect's numeric state, as its API and audit events report it (4 is unused). */
export const STATE_NUMBERS: Record<KeyStateName, 1 | 2 | 3 | 5> = {
  active: 1,
  suspended: 2,
  deactivated: 3,
  destroyed: 5,
};

/** The hover text of a state: its Key Protect number, for matching API output and audit records. */
export function stateTitle(state: KeyStateName): string {
  return `Key Protect state ${STATE_NUMBERS[state]} (${state})`;
}

export const ALL_STATES: KeyStateName[] = ["active", "suspended", "deactivated", "destroyed"];

/**
 * Converts a `datetime-local` value (local wall time, no zone) to RFC 3339 UTC
 * without fractional seconds. Returns null for an unparseable value.
 */
export function localDateTimeToRfc3339(value: string): string | null {
  const date = new Date(value);
  if (value.trim() === "" || Number.isNaN(date.getTime())) {
    return null;
  }
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}
