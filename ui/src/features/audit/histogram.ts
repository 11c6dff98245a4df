import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The most bars the histogram draws; the bucket size grows until the window fits. */
export const MAX_BUCKETS = 48;

export interface BucketSize {
  /** "5 minutes", "day": reads after "per". */
  label: string;
  ms: number;
  /** Whole days: such buckets start at local midnight and follow the calendar across DST changes. */
  days?: number;
}

export const BUCKET_SIZES: readonly BucketSize[] = [
  { label: "minute", ms: MINUTE_MS },
  { label: "5 minutes", ms: 5 * MINUTE_MS },
  { label: "15 minutes", ms: 15 * MINUTE_MS },
  { label: "30 minutes", ms: 30 * MINUTE_MS },
  { label: "hour", ms: HOUR_MS },
  { label: "3 hours", ms: 3 * HOUR_MS },
  { label: "6 hours", ms: 6 * HOUR_MS },
  { label: "12 hours", ms: 12 * HOUR_MS },
  { label: "day", ms: DAY_MS, days: 1 },
  { label: "week", ms: 7 * DAY_MS, days: 7 },
  { label: "30 days", ms: 30 * DAY_MS, days: 30 },
  { label: "90 days", ms: 90 * DAY_MS, days: 90 },
  { label: "365 days", ms: 365 * DAY_MS, days: 365 },
];

/** The smallest bucket that spreads `spanMs` over at most {@link MAX_BUCKETS} bars. */
export function bucketSizeFor(spanMs: number): BucketSize {
  const fitting = BUCKET_SIZES.find((size) => Math.ceil(spanMs / size.ms) <= MAX_BUCKETS);
  return fitting ?? (BUCKET_SIZES[BUCKET_SIZES.length - 1] as BucketSize);
}

export interface TimeWindow {
  start: number;
  /** Exclusive. */
  end: number;
}

/**
 * The time the histogram spans: the query's bounds where the loaded events cover them. While
 * older pages remain unloaded, it starts at the oldest loaded event, so no bar claims a quiet
 * time it has not seen. A window counted back from now ends when the query was made; a query
 * without bounds ("all time") spans just its events. Null when there is nothing to draw.
 */
export function histogramWindow(
  events: readonly AuditEventInfo[],
  bounds: Pick<AuditQueryRequest, "since" | "until">,
  queriedAt: number,
  complete: boolean,
): TimeWindow | null {
  const times = events.map((event) => Date.parse(event.at)).filter((time) => !Number.isNaN(time));
  if (times.length === 0) return null;
  const oldest = Math.min(...times);
  const newest = Math.max(...times);
  const since = bounds.since === undefined ? Number.NaN : Date.parse(bounds.since);
  const until = bounds.until === undefined ? Number.NaN : Date.parse(bounds.until);
  const start = complete && !Number.isNaN(since) ? Math.min(since, oldest) : oldest;
  // An event stamped after the query (a clock ahead of this one) still gets its bar.
  const upper = Number.isNaN(until) ? (Number.isNaN(since) ? newest + 1 : queriedAt) : until;
  const end = Math.max(upper, newest + 1);
  return { start, end: Math.max(end, start + MINUTE_MS) };
}

export interface HistogramBucket {
  start: Date;
  success: number;
  failure: number;
}

export interface Histogram {
  size: BucketSize;
  buckets: HistogramBucket[];
}

/** Where the buckets start: aligned to the bucket size, or to local midnights for whole days. */
function bucketStarts(window: TimeWindow, size: BucketSize): number[] {
  const starts: number[] = [];
  if (size.days === undefined) {
    for (let start = Math.floor(window.start / size.ms) * size.ms; start < window.end; start += size.ms) {
      starts.push(start);
    }
    return starts;
  }
  const first = new Date(window.start);
  const day = new Date(first.getFullYear(), first.getMonth(), first.getDate());
  while (day.getTime() < window.end) {
    starts.push(day.getTime());
    day.setDate(day.getDate() + size.days);
  }
  return starts;
}

/** The last index whose start is at or before `time`. */
function bucketIndex(starts: readonly number[], time: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((starts[middle] as number) <= time) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Events per bucket over the window, split into successes and failures (any other outcome). */
export function bucketEvents(events: readonly AuditEventInfo[], window: TimeWindow): Histogram {
  const size = bucketSizeFor(window.end - window.start);
  const starts = bucketStarts(window, size);
  const buckets = starts.map((start) => ({ start: new Date(start), success: 0, failure: 0 }));
  for (const event of events) {
    const at = Date.parse(event.at);
    if (Number.isNaN(at) || at < window.start || at >= window.end) continue;
    const bucket = buckets[bucketIndex(starts, at)];
    if (bucket === undefined) continue;
    if (event.outcome === "success") bucket.success += 1;
    else bucket.failure += 1;
  }
  return { size, buckets };
}

/** The time one bar covers: its start plus the bucket size, whole days following the calendar. */
export function bucketWindow(start: Date, size: BucketSize): TimeWindow {
  if (size.days === undefined) return { start: start.getTime(), end: start.getTime() + size.ms };
  const end = new Date(start);
  end.setDate(end.getDate() + size.days);
  return { start: start.getTime(), end: end.getTime() };
}

/** The window of the bar that holds `time`; undefined outside the histogram. */
export function bucketAt(histogram: Histogram, time: number): TimeWindow | undefined {
  const bucket = histogram.buckets.filter((candidate) => candidate.start.getTime() <= time).at(-1);
  if (bucket === undefined) return undefined;
  const window = bucketWindow(bucket.start, histogram.size);
  return time < window.end ? window : undefined;
}
