/** How the console looks: following the operating system, or always light or dark. */
export const THEME_CHOICES = ["system", "light", "dark"] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];

/**
 * Row height of the data tables, as Carbon's DataTable `size`. `default` keeps each table's own
 * size (the audit log is denser than the others, for instance).
 */
export const TABLE_DENSITIES = ["default", "xs", "sm", "md", "lg"] as const;
export type TableDensity = (typeof TABLE_DENSITIES)[number];
export type TableSize = Exclude<TableDensity, "default">;

/**
 * The key table's columns a person may show or hide, by the key field each shows, in the table's
 * order. Only fields every key summary carries are offered; a version count, for one, is not in it.
 */
export const KEY_TABLE_COLUMNS = ["lastRotatedAt", "createdAt", "updatedAt", "expiresAt", "imported", "rotation", "dualAuth"] as const;
export type KeyTableColumn = (typeof KEY_TABLE_COLUMNS)[number];

/**
 * How dates, times and numbers are written: as the operating system (the browser) does, or in one
 * of these regions' formats, as BCP 47 tags. The console's text stays English whichever is chosen.
 */
export const LOCALE_CHOICES = ["system", "en-US", "en-GB", "de-DE", "fr-FR", "es-ES", "ja-JP", "zh-CN", "pt-BR"] as const;
export type LocaleChoice = (typeof LOCALE_CHOICES)[number];

export const WARN_DAYS_MIN = 1;
export const WARN_DAYS_MAX = 365;

export interface Preferences {
  theme: ThemeChoice;
  /** How many days ahead the dashboard warns of expiry and scheduled rotation. */
  warnDays: number;
  density: TableDensity;
  /** The key table columns shown besides the fixed ones, in the table's order. */
  keyColumns: KeyTableColumn[];
  /** The format of dates, times and numbers; "system" follows the operating system. */
  locale: LocaleChoice;
}

export const DEFAULT_PREFERENCES: Preferences = {
  theme: "system",
  warnDays: 30,
  density: "default",
  /** Key Protect's default: Last rotated after State; Created and the rest are chosen in the settings. */
  keyColumns: ["lastRotatedAt"],
  locale: "system",
};

export const PREFERENCES_STORAGE_KEY = "strongroom.preferences";
/** Where earlier versions kept the theme alone, as a Carbon theme name. */
export const LEGACY_THEME_STORAGE_KEY = "strongroom.theme";

const LEGACY_THEMES: Record<string, ThemeChoice> = { g10: "light", g100: "dark" };

function oneOf<T extends string>(value: unknown, allowed: readonly T[]): T | undefined {
  return allowed.find((candidate) => candidate === value);
}

/**
 * The known columns of a stored list, in the table's order; anything but a list keeps the default.
 * A list stored by an earlier version loads as it was: names it no longer knows are dropped.
 */
function keyColumnsFrom(value: unknown): KeyTableColumn[] {
  if (!Array.isArray(value)) return DEFAULT_PREFERENCES.keyColumns;
  return KEY_TABLE_COLUMNS.filter((column) => value.includes(column));
}

export function isWarnDays(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= WARN_DAYS_MIN && (value as number) <= WARN_DAYS_MAX;
}

/**
 * Preferences from what storage holds. Each field is checked on its own, so a stale, foreign or
 * hand-edited entry costs only the fields it spoiled; those take their defaults.
 */
export function parsePreferences(stored: string | null, legacyTheme: string | null = null): Preferences {
  let parsed: unknown;
  try {
    parsed = stored === null ? undefined : JSON.parse(stored);
  } catch {
    parsed = undefined;
  }
  const record: Record<string, unknown> =
    typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  const legacy = legacyTheme === null ? undefined : LEGACY_THEMES[legacyTheme];
  return {
    theme: oneOf(record.theme, THEME_CHOICES) ?? legacy ?? DEFAULT_PREFERENCES.theme,
    warnDays: isWarnDays(record.warnDays) ? record.warnDays : DEFAULT_PREFERENCES.warnDays,
    density: oneOf(record.density, TABLE_DENSITIES) ?? DEFAULT_PREFERENCES.density,
    keyColumns: keyColumnsFrom(record.keyColumns),
    // Preferences stored before this choice existed have no locale: they follow the system, as before.
    locale: oneOf(record.locale, LOCALE_CHOICES) ?? DEFAULT_PREFERENCES.locale,
  };
}

/** The remembered preferences; storage may be missing or blocked, which is not an error. */
export function readPreferences(): Preferences {
  try {
    return parsePreferences(
      window.localStorage.getItem(PREFERENCES_STORAGE_KEY),
      window.localStorage.getItem(LEGACY_THEME_STORAGE_KEY),
    );
  } catch {
    return DEFAULT_PREFERENCES;
  }
}

export function writePreferences(preferences: Preferences): void {
  try {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Not remembered this time; the choice still applies.
  }
}

/** The Carbon theme a choice comes to, given whether the operating system is dark. */
export function carbonTheme(choice: ThemeChoice, systemDark: boolean): "g10" | "g100" {
  if (choice === "system") return systemDark ? "g100" : "g10";
  return choice === "dark" ? "g100" : "g10";
}

/** The DataTable size to draw: the person's density, or the table's own when they chose none. */
export function tableSize(density: TableDensity, own: TableSize): TableSize {
  return density === "default" ? own : density;
}

/** The locale to format with: a BCP 47 tag, or undefined for the operating system's. */
export function formatLocaleOf(choice: LocaleChoice): string | undefined {
  return choice === "system" ? undefined : choice;
}
