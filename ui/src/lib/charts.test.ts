import { afterEach, describe, expect, it, vi } from "vitest";
import { baseChartOptions } from "./charts";
import { intlLocale, setFormatLocale } from "./format";

describe("the options every chart shares", () => {
  afterEach(() => {
    setFormatLocale(undefined);
    vi.restoreAllMocks();
  });

  it("hands the chart a locale tag Intl accepts where WebKit reports the language as \"C\" (under C.UTF-8)", () => {
    vi.spyOn(navigator, "language", "get").mockReturnValue("C");
    // What the chart library would do left to itself: the RangeError that emptied the window.
    expect(() => (1).toLocaleString(navigator.language)).toThrow(RangeError);

    const { code } = baseChartOptions(false).locale;
    expect(code).not.toBe("C");
    expect(code).toBe(new Intl.NumberFormat().resolvedOptions().locale);
    // The chart's own formatters, called with the code it is given.
    expect((1234).toLocaleString(code)).toBe(new Intl.NumberFormat().format(1234));
    expect(() => new Date().toLocaleDateString(code, { month: "short" })).not.toThrow();
    expect(() => new Date().toLocaleTimeString(code)).not.toThrow();
  });

  it("formats with the console's locale whatever tag the chart library passes its formatters", () => {
    vi.spyOn(navigator, "language", "get").mockReturnValue("C");
    const { locale } = baseChartOptions(false);
    const noon = new Date("2026-11-30T12:00:00Z");
    expect(locale.number(1234, "C")).toBe(new Intl.NumberFormat().format(1234));
    expect(locale.date(noon, "C", { month: "short", day: "numeric" })).toBe(
      new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric" }).format(noon),
    );
    expect(locale.time(noon, "C", { hour: "2-digit" })).toBe(noon.toLocaleTimeString(undefined, { hour: "2-digit" }));
    // A label the library already wrote (its date-fns path) is kept as written.
    expect(locale.date(noon, "C", {}, "Nov 30")).toBe("Nov 30");
  });

  it("writes the chart's numbers in the locale chosen in the preferences", () => {
    setFormatLocale("de-DE");
    expect(intlLocale()).toBe("de-DE");
    expect(baseChartOptions(true).locale.code).toBe("de-DE");
  });

  it("follows the theme and never animates", () => {
    expect(baseChartOptions(true)).toMatchObject({ theme: "g100", animations: false, resizable: true });
    expect(baseChartOptions(false).theme).toBe("g10");
  });
});
