import type { AuditQueryRequest } from "../../lib/types";

export const PRESETS = [
  { id: "hour", text: "Last hour", ms: 60 * 60 * 1000 },
  { id: "day", text: "Last 24 hours", ms: 24 * 60 * 60 * 1000 },
  { id: "week", text: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  { id: "all", text: "All time", ms: undefined },
] as const;

export type PresetId = (typeof PRESETS)[number]["id"];
export type RangeChoice = PresetId | "custom";

/** A day-granular custom range: both ends are local calendar days, the end day included. */
export interface CustomRange {
  start?: Date;
  end?: Date;
}

/** RFC 3339 in UTC without fractional seconds, the shape the keystore parses. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
const startOfNextDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1).getTime();

/**
 * The `since`/`until` bounds of a choice. A preset counts back from `now`, fixed when the
 * query is made, so paging through older events keeps the same window.
 */
export function boundsOf(
  choice: RangeChoice,
  custom: CustomRange,
  now: number,
): Pick<AuditQueryRequest, "since" | "until"> {
  if (choice === "custom") {
    const bounds: Pick<AuditQueryRequest, "since" | "until"> = {};
    if (custom.start !== undefined) bounds.since = rfc3339(startOfDay(custom.start));
    // `until` is exclusive, so the end day is counted whole.
    if (custom.end !== undefined) bounds.until = rfc3339(startOfNextDay(custom.end));
    return bounds;
  }
  const preset = PRESETS.find((candidate) => candidate.id === choice);
  return preset?.ms === undefined ? {} : { since: rfc3339(now - preset.ms) };
}
