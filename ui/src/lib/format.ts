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

export const STATE_LABELS: Record<KeyStateName, string> = {
  active: "Active",
  suspended: "Suspended",
  deactivated: "Deactivated",
  destroyed: "Destroyed",
};

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
