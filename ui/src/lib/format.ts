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

/**
 * A span of time the way a countdown reads it, the two largest units only: "3 d 4 h",
 * "2 h 5 min", "9 min 58 s", "12 s". Negative spans read as their size.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}

/** "expires in 3 d 4 h", or "expired 2 h 1 min ago" once the moment has passed. */
export function expiryCountdown(rfc3339: string, now: number): string {
  const left = Date.parse(rfc3339) - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)} ago`;
}
