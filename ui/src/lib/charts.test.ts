import { afterEach, describe, expect, it, vi } from "vitest";
import { baseChartOptions } from "./charts";
import { intlLocale, setFormatLocale } from "./format";

describe("the options every chart shares", () => {
  afterEach(() => {
    setFormatLocale(undefined);
    vi.restoreAllMocks();
  });

  it("hands the chart a locale tag Intl accepts where the system's language is POSIX's \"C\"", () => {
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
