import { afterEach, describe, expect, it } from "vitest";
import {
  expiryCountdown,
  formatDay,
  formatDuration,
  formatLocale,
  formatNumber,
  formatNumericDay,
  formatTime,
  formatTimestamp,
  setFormatLocale,
} from "./format";

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

// Midday UTC is the same calendar day in every time zone a test machine is likely to use. The
// assertions check the parts of each format that stay put across ICU versions (order, separators),
// not whole strings.
const NOON = "2026-11-30T12:00:00Z";

describe("formatting in the chosen locale", () => {
  afterEach(() => setFormatLocale(undefined));

  it("follows the system until a locale is chosen", () => {
    expect(formatLocale()).toBeUndefined();
    expect(formatNumber(1234.5)).toBe((1234.5).toLocaleString());
    expect(formatTimestamp(NOON)).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(NOON)));
    expect(formatDay(Date.parse(NOON))).toBe(new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(Date.parse(NOON)));
  });

  it("writes German numbers and dates once de-DE is chosen", () => {
    setFormatLocale("de-DE");
    expect(formatNumber(1234)).toBe("1.234");
    expect(formatNumber(1234.5)).toBe("1.234,5");
    expect(formatNumber(3.25, { minimumFractionDigits: 2, maximumFractionDigits: 2 })).toBe("3,25");
    expect(formatTimestamp(NOON)).toMatch(/^30\.11\.2026\D+\d{2}:\d{2}$/);
    expect(formatDay(new Date(NOON))).toBe("30.11.2026");
    expect(formatNumericDay(new Date(NOON))).toBe("30.11.2026");
    expect(formatTime(new Date(NOON))).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it("writes American and British formats apart", () => {
    setFormatLocale("en-US");
    expect(formatNumber(1234.5)).toBe("1,234.5");
    expect(formatDay(Date.parse(NOON))).toBe("Nov 30, 2026");
    expect(formatNumericDay(Date.parse(NOON))).toBe("11/30/2026");
    expect(formatTime(Date.parse(NOON))).toMatch(/\b[AP]M$/);
    expect(formatTimestamp(NOON)).toMatch(/^Nov 30, 2026\D+\d{1,2}:\d{2}\s[AP]M$/);

    setFormatLocale("en-GB");
    expect(formatNumericDay(Date.parse(NOON))).toBe("30/11/2026");
    expect(formatDay(Date.parse(NOON))).toMatch(/^30 Nov 2026$/);
    expect(formatTime(Date.parse(NOON))).toMatch(/^\d{2}:\d{2}:\d{2}$/);
  });

  it("takes a locale for one call without changing the chosen one", () => {
    setFormatLocale("de-DE");
    expect(formatNumber(1234.5, undefined, "en-US")).toBe("1,234.5");
    expect(formatNumericDay(Date.parse(NOON), "ja-JP")).toBe("2026/11/30");
    expect(formatNumber(1234.5)).toBe("1.234,5");
  });

  it("switches back and forth, each locale keeping its own formats", () => {
    for (const [locale, number] of [
      ["de-DE", "1.234"],
      ["en-US", "1,234"],
      ["de-DE", "1.234"],
    ] as const) {
      setFormatLocale(locale);
      expect(formatNumber(1234)).toBe(number);
    }
  });

  it("leaves a timestamp it cannot read as it was", () => {
    setFormatLocale("de-DE");
    expect(formatTimestamp("not a time")).toBe("not a time");
  });
});
