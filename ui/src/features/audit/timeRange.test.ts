import { describe, expect, it } from "vitest";
import { boundsOf, rfc3339 } from "./timeRange";

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
