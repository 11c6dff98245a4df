import { describe, expect, it } from "vitest";
import type { AuditEventInfo } from "../../lib/types";
import { BUCKET_SIZES, bucketAt, bucketEvents, bucketSizeFor, bucketWindow, histogramWindow, MAX_BUCKETS, type BucketSize, type Histogram } from "./histogram";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const QUERIED = Date.parse("2026-03-10T12:00:00Z");

const event = (at: number | string, outcome = "success", seq = 1): AuditEventInfo => ({
  seq,
  at: typeof at === "string" ? at : new Date(at).toISOString(),
  instance: "i1",
  initiator: "IBMid-alice",
  action: "kms.secrets.wrap",
  target: "k1",
  outcome,
  correlationId: "c1",
});

describe("bucketSizeFor", () => {
  it.each([
    [30 * MINUTE, "minute"],
    [MAX_BUCKETS * MINUTE, "minute"],
    [MAX_BUCKETS * MINUTE + 1, "5 minutes"],
    [HOUR, "5 minutes"],
    [24 * HOUR, "30 minutes"],
    [7 * DAY, "6 hours"],
    [30 * DAY, "day"],
    [300 * DAY, "week"],
    [365 * DAY, "30 days"],
    [5 * 365 * DAY, "90 days"],
    [100 * 365 * DAY, "365 days"],
  ])("spreads %d ms over bars of a %s", (span, label) => {
    expect(bucketSizeFor(span).label).toBe(label);
  });
});

describe("histogramWindow", () => {
  const events = [event(QUERIED - 2 * HOUR), event(QUERIED - 5 * HOUR)];

  it("spans a preset's window when every matching event is loaded", () => {
    const since = new Date(QUERIED - DAY).toISOString();
    expect(histogramWindow(events, { since }, QUERIED, true)).toEqual({ start: QUERIED - DAY, end: QUERIED });
  });

  it("starts at the oldest loaded event while older pages are not loaded", () => {
    const since = new Date(QUERIED - DAY).toISOString();
    expect(histogramWindow(events, { since }, QUERIED, false)).toEqual({ start: QUERIED - 5 * HOUR, end: QUERIED });
  });

  it("ends at a custom range's end, and starts at the oldest event without a lower bound", () => {
    const until = new Date(QUERIED - HOUR).toISOString();
    expect(histogramWindow(events, { until }, QUERIED, true)).toEqual({ start: QUERIED - 5 * HOUR, end: QUERIED - HOUR });
  });

  it("spans just the events of a query without bounds", () => {
    expect(histogramWindow(events, {}, QUERIED, true)).toEqual({ start: QUERIED - 5 * HOUR, end: QUERIED - 2 * HOUR + 1 });
  });

  it("keeps an event stamped after the query, and gives a lone event a minute", () => {
    const since = new Date(QUERIED - HOUR).toISOString();
    expect(histogramWindow([event(QUERIED + MINUTE)], { since }, QUERIED, true)).toEqual({
      start: QUERIED - HOUR,
      end: QUERIED + MINUTE + 1,
    });
    expect(histogramWindow([event(QUERIED + MINUTE)], {}, QUERIED, true)).toEqual({
      start: QUERIED + MINUTE,
      end: QUERIED + 2 * MINUTE,
    });
  });

  it("has nothing to draw without events with a time", () => {
    expect(histogramWindow([], { since: new Date(QUERIED - DAY).toISOString() }, QUERIED, true)).toBeNull();
    expect(histogramWindow([event("yesterday")], {}, QUERIED, true)).toBeNull();
  });
});

describe("bucketEvents", () => {
  it("counts successes and failures per bucket over the last hour, five minutes a bar", () => {
    const start = QUERIED - HOUR;
    const histogram = bucketEvents(
      [
        event(QUERIED - 1000, "success", 5),
        event(QUERIED - 2 * MINUTE, "UNDECRYPTABLE", 4),
        event(QUERIED - 3 * MINUTE, "success", 3),
        event(start + MINUTE, "FORBIDDEN", 2),
        event(start - MINUTE, "success", 1),
      ],
      { start, end: QUERIED },
    );
    expect(histogram.size.label).toBe("5 minutes");
    expect(histogram.buckets).toHaveLength(12);
    expect(histogram.buckets[0]).toEqual({ start: new Date(start), success: 0, failure: 1 });
    expect(histogram.buckets[11]).toEqual({ start: new Date(QUERIED - 5 * MINUTE), success: 2, failure: 1 });
    const total = histogram.buckets.reduce((sum, bucket) => sum + bucket.success + bucket.failure, 0);
    // The event before the window is left out.
    expect(total).toBe(4);
  });

  it("aligns bars to the bucket size, so one just past a boundary starts a new bar", () => {
    const start = Date.parse("2026-03-10T10:07:00Z");
    const histogram = bucketEvents([event("2026-03-10T10:14:59Z"), event("2026-03-10T10:15:00Z")], {
      start,
      end: start + HOUR,
    });
    expect(histogram.buckets[0]?.start.toISOString()).toBe("2026-03-10T10:05:00.000Z");
    expect(histogram.buckets.map((bucket) => bucket.success).slice(0, 3)).toEqual([0, 1, 1]);
  });

  it("starts day bars at local midnight", () => {
    const start = new Date(2026, 2, 1, 15, 30).getTime();
    const end = new Date(2026, 2, 31, 9, 0).getTime();
    const histogram = bucketEvents(
      [event(new Date(2026, 2, 1, 23, 59).getTime()), event(new Date(2026, 2, 2, 0, 0).getTime(), "INTERNAL")],
      { start, end },
    );
    expect(histogram.size.label).toBe("day");
    expect(histogram.buckets).toHaveLength(31);
    expect(histogram.buckets[0]).toEqual({ start: new Date(2026, 2, 1), success: 1, failure: 0 });
    expect(histogram.buckets[1]).toEqual({ start: new Date(2026, 2, 2), success: 0, failure: 1 });
    // Local midnights, whatever daylight saving time does in between.
    expect(histogram.buckets[30]?.start).toEqual(new Date(2026, 2, 31));
  });

  it("never draws more than the maximum number of bars, plus one for alignment", () => {
    for (const span of [37 * MINUTE, 13 * HOUR, 9 * DAY, 400 * DAY]) {
      const histogram = bucketEvents([], { start: QUERIED - span, end: QUERIED });
      expect(histogram.buckets.length).toBeLessThanOrEqual(MAX_BUCKETS + 1);
    }
  });
});

describe("bucketWindow and bucketAt", () => {
  const minutes = (label: string) => BUCKET_SIZES.find((size) => size.label === label) as BucketSize;

  it("spans one bucket size from the bar's start", () => {
    const start = new Date("2026-03-01T10:30:00Z");
    expect(bucketWindow(start, minutes("5 minutes"))).toEqual({
      start: start.getTime(),
      end: Date.parse("2026-03-01T10:35:00Z"),
    });
  });

  it("follows the calendar for whole days", () => {
    const start = new Date(2026, 2, 1);
    expect(bucketWindow(start, minutes("week"))).toEqual({ start: start.getTime(), end: new Date(2026, 2, 8).getTime() });
  });

  it("finds the bar that holds a time, and none outside the chart", () => {
    const histogram: Histogram = {
      size: minutes("minute"),
      buckets: [
        { start: new Date("2026-03-01T10:00:00Z"), success: 1, failure: 0 },
        { start: new Date("2026-03-01T10:01:00Z"), success: 0, failure: 2 },
      ],
    };
    expect(bucketAt(histogram, Date.parse("2026-03-01T10:01:30Z"))).toEqual({
      start: Date.parse("2026-03-01T10:01:00Z"),
      end: Date.parse("2026-03-01T10:02:00Z"),
    });
    expect(bucketAt(histogram, Date.parse("2026-03-01T09:59:59Z"))).toBeUndefined();
    expect(bucketAt(histogram, Date.parse("2026-03-01T10:02:00Z"))).toBeUndefined();
  });
});
