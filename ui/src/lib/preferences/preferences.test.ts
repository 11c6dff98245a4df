import { describe, expect, it } from "vitest";
import { carbonTheme, DEFAULT_PREFERENCES, formatLocaleOf, LOCALE_CHOICES, parsePreferences, tableSize } from "./preferences";

describe("parsePreferences", () => {
  it("reads what was saved", () => {
    expect(
      parsePreferences(JSON.stringify({ theme: "dark", warnDays: 14, density: "xs", keyColumns: ["imported", "expiresAt"] })),
    ).toEqual({
      theme: "dark",
      warnDays: 14,
      density: "xs",
      keyColumns: ["expiresAt", "imported"],
      locale: "system",
    });
  });

  it("starts from the defaults when nothing was saved", () => {
    expect(parsePreferences(null)).toEqual(DEFAULT_PREFERENCES);
    expect(DEFAULT_PREFERENCES).toEqual({
      theme: "system",
      warnDays: 30,
      density: "default",
      keyColumns: ["lastRotatedAt"],
      locale: "system",
    });
  });

  it.each([
    ["not JSON", "{theme: dark"],
    ["JSON null", "null"],
    ["an array", JSON.stringify(["dark", 14])],
    ["a number", "42"],
    ["a string", JSON.stringify("dark")],
  ])("falls back to the defaults for %s", (_name, stored) => {
    expect(parsePreferences(stored)).toEqual(DEFAULT_PREFERENCES);
  });

  it("drops only the fields that are wrong", () => {
    const stored = JSON.stringify({ theme: "neon", warnDays: 14, density: "xl", extra: true, keyColumns: "all", locale: "klingon" });
    expect(parsePreferences(stored)).toEqual({
      theme: "system",
      warnDays: 14,
      density: "default",
      keyColumns: ["lastRotatedAt"],
      locale: "system",
    });
  });

  it("keeps only the key table columns it knows, and an empty choice", () => {
    expect(parsePreferences(JSON.stringify({ keyColumns: ["versions", "dualAuth", 3] })).keyColumns).toEqual(["dualAuth"]);
    expect(parsePreferences(JSON.stringify({ keyColumns: [] })).keyColumns).toEqual([]);
  });

  it("loads a preference stored before Last rotated existed, as it was", () => {
    const before = JSON.stringify({ theme: "dark", warnDays: 14, density: "xs", keyColumns: ["createdAt", "versions"] });
    expect(parsePreferences(before)).toEqual({
      theme: "dark",
      warnDays: 14,
      density: "xs",
      keyColumns: ["createdAt"],
      locale: "system",
    });
    const withoutColumns = JSON.stringify({ theme: "dark", warnDays: 14, density: "xs" });
    expect(parsePreferences(withoutColumns).keyColumns).toEqual(["lastRotatedAt"]);
  });

  it("puts Last rotated before Created, as the table shows them", () => {
    expect(parsePreferences(JSON.stringify({ keyColumns: ["createdAt", "lastRotatedAt"] })).keyColumns).toEqual([
      "lastRotatedAt",
      "createdAt",
    ]);
  });

  it("reads a chosen format for dates and numbers", () => {
    expect(parsePreferences(JSON.stringify({ locale: "de-DE" })).locale).toBe("de-DE");
    expect(parsePreferences(JSON.stringify({ locale: "ja-JP", theme: "dark" }))).toMatchObject({ locale: "ja-JP", theme: "dark" });
  });

  it.each(["de", "de-AT", "DE-de", "", 42, null, ["de-DE"]])("follows the system for the unknown locale %j", (locale) => {
    expect(parsePreferences(JSON.stringify({ locale, warnDays: 7 }))).toMatchObject({ locale: "system", warnDays: 7 });
  });

  it("loads a preference stored before the locale existed, following the system", () => {
    const before = JSON.stringify({ theme: "light", warnDays: 60, density: "md", keyColumns: ["createdAt"] });
    expect(parsePreferences(before)).toEqual({
      theme: "light",
      warnDays: 60,
      density: "md",
      keyColumns: ["createdAt"],
      locale: "system",
    });
  });

  it.each([0, -3, 366, 7.5, "30", null, Number.NaN])("rejects %s warn days", (warnDays) => {
    expect(parsePreferences(JSON.stringify({ warnDays })).warnDays).toBe(30);
  });

  it("accepts the bounds of warn days", () => {
    expect(parsePreferences(JSON.stringify({ warnDays: 1 })).warnDays).toBe(1);
    expect(parsePreferences(JSON.stringify({ warnDays: 365 })).warnDays).toBe(365);
  });

  it("takes the theme an earlier version stored alone, unless a newer choice exists", () => {
    expect(parsePreferences(null, "g100").theme).toBe("dark");
    expect(parsePreferences(null, "g10").theme).toBe("light");
    expect(parsePreferences(null, "g90").theme).toBe("system");
    expect(parsePreferences(JSON.stringify({ theme: "system" }), "g100").theme).toBe("system");
  });
});

describe("formatLocaleOf", () => {
  it("leaves the system's locale to the browser, and passes a chosen one on", () => {
    expect(formatLocaleOf("system")).toBeUndefined();
    expect(formatLocaleOf("de-DE")).toBe("de-DE");
  });

  it("offers the system and eight regions, every one a locale Intl knows", () => {
    expect(LOCALE_CHOICES[0]).toBe("system");
    expect(LOCALE_CHOICES).toHaveLength(9);
    for (const choice of LOCALE_CHOICES.slice(1)) {
      expect(Intl.DateTimeFormat.supportedLocalesOf([choice])).toEqual([choice]);
    }
  });
});

describe("carbonTheme", () => {
  it("follows the system only when asked to", () => {
    expect(carbonTheme("system", true)).toBe("g100");
    expect(carbonTheme("system", false)).toBe("g10");
    expect(carbonTheme("light", true)).toBe("g10");
    expect(carbonTheme("dark", false)).toBe("g100");
  });
});

describe("tableSize", () => {
  it("keeps a table's own size unless a density was chosen", () => {
    expect(tableSize("default", "sm")).toBe("sm");
    expect(tableSize("default", "lg")).toBe("lg");
    expect(tableSize("xs", "lg")).toBe("xs");
    expect(tableSize("lg", "sm")).toBe("lg");
  });
});
