import type { AuditQueryRequest } from "../../lib/types";

export const PRESETS = [
  { id: "hour", text: "Last hour", ms: 60 * 60 * 1000 },
  { id: "day", text: "Last 24 hours", ms: 24 * 60 * 60 * 1000 },
  { id: "week", text: "Last 7 days", ms: 7 * 24 * 60 * 60 * 1000 },
  { id: "all", text: "All time", ms: undefined },
] as const;

export type PresetId = (typeof PRESETS)[number]["id"];
export type RangeChoice = PresetId | "custom";

/**
 * A day-granular custom range: both ends are local calendar days, the end day included. A bar
 * picked on the histogram adds its exact `window`, which then sets the bounds; the days are what
 * the date picker shows.
 */
export interface CustomRange {
  start?: Date;
  end?: Date;
  window?: { start: number; end: number };
}

/** The time range the audit page asks for, and what it was before a histogram bar narrowed it. */
export interface TimeRange {
  range: RangeChoice;
  custom: CustomRange;
  /** Set while a bar narrows the range: where "Clear" goes back to. */
  narrowedFrom?: { range: RangeChoice; custom: CustomRange };
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
  if (choice === "custom" && custom.window !== undefined) {
    return { since: rfc3339(custom.window.start), until: rfc3339(custom.window.end) };
  }
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

/**
 * The range narrowed to one histogram bar's window (`end` exclusive). Narrowing again keeps the
 * range from before the first bar, so "Clear" always returns to what the person chose.
 */
export function narrowedTo(current: TimeRange, window: { start: number; end: number }): TimeRange {
  return {
    range: "custom",
    custom: { start: new Date(window.start), end: new Date(window.end - 1), window },
    narrowedFrom: current.narrowedFrom ?? { range: current.range, custom: current.custom },
  };
}

/** The range from before a bar narrowed it; unchanged when none did. */
export function widened(current: TimeRange): TimeRange {
  return current.narrowedFrom ?? current;
}
