import { describe, expect, it } from "vitest";
import { expiryCountdown, formatDuration } from "./format";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

describe("formatDuration", () => {
  it.each([
    [3 * DAY + 4 * HOUR + 59 * MINUTE, "3 d 4 h"],
    [2 * HOUR + 5 * MINUTE + 30 * SECOND, "2 h 5 min"],
    [9 * MINUTE + 58 * SECOND + 999, "9 min 58 s"],
    [12 * SECOND, "12 s"],
    [0, "0 s"],
    [-(2 * HOUR + MINUTE), "2 h 1 min"],
  ])("reads %i ms as %s", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe("expiryCountdown", () => {
  const now = Date.parse("2026-05-01T00:00:00Z");
  it("counts down to a future expiry", () => {
    expect(expiryCountdown("2026-05-04T04:00:00Z", now)).toBe("expires in 3 d 4 h");
  });
  it("says how long ago a past expiry was", () => {
    expect(expiryCountdown("2026-04-30T22:00:00Z", now)).toBe("expired 2 h 0 min ago");
  });
});
