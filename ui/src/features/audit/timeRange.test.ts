import { describe, expect, it } from "vitest";
import { boundsOf, narrowedTo, rfc3339, widened, type TimeRange } from "./timeRange";

const NOW = Date.parse("2026-03-10T12:30:45.678Z");

describe("boundsOf", () => {
  it("counts a preset back from now, without fractional seconds", () => {
    expect(boundsOf("hour", {}, NOW)).toEqual({ since: "2026-03-10T11:30:45Z" });
    expect(boundsOf("day", {}, NOW)).toEqual({ since: "2026-03-09T12:30:45Z" });
    expect(boundsOf("week", {}, NOW)).toEqual({ since: "2026-03-03T12:30:45Z" });
  });

  it("sets no bound for all time", () => {
    expect(boundsOf("all", {}, NOW)).toEqual({});
  });

  it("takes a custom range from the start of its first day to the end of its last", () => {
    const start = new Date(2026, 1, 3, 15, 0);
    const end = new Date(2026, 1, 5, 9, 0);
    expect(boundsOf("custom", { start, end }, NOW)).toEqual({
      since: rfc3339(new Date(2026, 1, 3).getTime()),
      until: rfc3339(new Date(2026, 1, 6).getTime()),
    });
  });

  it("leaves an open end of a custom range open", () => {
    expect(boundsOf("custom", { start: new Date(2026, 1, 3) }, NOW)).toEqual({
      since: rfc3339(new Date(2026, 1, 3).getTime()),
    });
  });
});

describe("narrowing to a histogram bar", () => {
  const bar = { start: Date.parse("2026-03-01T10:30:00Z"), end: Date.parse("2026-03-01T10:35:00Z") };
  const lastDay: TimeRange = { range: "day", custom: {} };

  it("asks for exactly the bar's time, as a custom range on its days", () => {
    const narrowed = narrowedTo(lastDay, bar);
    expect(narrowed.range).toBe("custom");
    expect(boundsOf(narrowed.range, narrowed.custom, NOW)).toEqual({ since: "2026-03-01T10:30:00Z", until: "2026-03-01T10:35:00Z" });
    expect(narrowed.custom.start?.getTime()).toBe(bar.start);
    expect(narrowed.custom.end?.getTime()).toBe(bar.end - 1);
  });

  it("goes back to the range chosen before the first bar, however often it narrows", () => {
    const inner = { start: bar.start, end: bar.start + 60_000 };
    const twice = narrowedTo(narrowedTo(lastDay, bar), inner);
    expect(boundsOf(twice.range, twice.custom, NOW)).toEqual({ since: "2026-03-01T10:30:00Z", until: "2026-03-01T10:31:00Z" });
    expect(widened(twice)).toEqual(lastDay);
  });

  it("leaves a range no bar narrowed as it is", () => {
    expect(widened(lastDay)).toBe(lastDay);
  });
});
