import type { KeyStateName } from "./types";

/**
 * The locale every date, time and number on screen is written in: a BCP 47 tag, or undefined for
 * the operating system's (the browser's). The preferences provider sets it before the app renders
 * and again when the choice changes; the app re-renders then, and these functions read it afresh.
 */
let currentLocale: string | undefined;

export function setFormatLocale(locale: string | undefined): void {
  currentLocale = locale;
}

export function formatLocale(): string | undefined {
  return currentLocale;
}

// Building an Intl formatter is slow next to using one, and the key table writes many dates:
// each formatter is built once per locale and style, and kept.
const DATE_STYLES = {
  /** "Nov 30, 2026, 7:05 PM" */
  timestamp: { dateStyle: "medium", timeStyle: "short" },
  /** "Nov 30, 2026" */
  day: { dateStyle: "medium" },
  /** "07:05:09 PM", a clock reading to the second. */
  time: { hour: "2-digit", minute: "2-digit", second: "2-digit" },
  /** "14:05", a 24-hour clock to the minute. */
  clock: { hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
  /** "11/30/2026", all digits. */
  numericDay: { year: "numeric", month: "2-digit", day: "2-digit" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
type DateStyle = keyof typeof DATE_STYLES;

const dateFormats = new Map<string, Intl.DateTimeFormat>();
const numberFormats = new Map<string, Intl.NumberFormat>();

function dateFormat(style: DateStyle, locale: string | undefined): Intl.DateTimeFormat {
  const cacheKey = `${locale ?? ""}|${style}`;
  let format = dateFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(locale, DATE_STYLES[style]);
    dateFormats.set(cacheKey, format);
  }
  return format;
}

function numberFormat(options: Intl.NumberFormatOptions | undefined, locale: string | undefined): Intl.NumberFormat {
  const cacheKey = `${locale ?? ""}|${options === undefined ? "" : JSON.stringify(options)}`;
  let format = numberFormats.get(cacheKey);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(cacheKey, format);
  }
  return format;
}

/**
 * The chosen locale as a tag every `Intl` API accepts, for code that formats with a tag of its own
 * (the chart library). Without a choice the engine's default is asked for its tag: a desktop
 * session under C.UTF-8 gets `navigator.language` "C" from WebKit, which `toLocaleString`
 * refuses with a RangeError, where the engine's default always resolves to a real tag.
 */
export function intlLocale(locale: string | undefined = currentLocale): string {
  return numberFormat(undefined, locale).resolvedOptions().locale;
}

/**
 * A number as the chosen locale writes it, with its thousands separators ("1,234", "1.234").
 * Without options it reads as `toLocaleString()` does.
 */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions, locale: string | undefined = currentLocale): string {
  return numberFormat(options, locale).format(n);
}

/** A local, human date and time for an RFC 3339 timestamp. */
export function formatTimestamp(rfc3339: string, locale: string | undefined = currentLocale): string {
  const date = new Date(rfc3339);
  return Number.isNaN(date.getTime()) ? rfc3339 : dateFormat("timestamp", locale).format(date);
}

/** A local day without the time ("Nov 30, 2026"), for a date or milliseconds since the epoch. */
export function formatDay(at: Date | number, locale: string | undefined = currentLocale): string {
  return dateFormat("day", locale).format(at);
}

/** A local time of day to the second ("07:05:09 PM", "19:05:09"). */
export function formatTime(at: Date | number, locale: string | undefined = currentLocale): string {
  return dateFormat("time", locale).format(at);
}

/** A 24-hour clock reading to the minute ("14:05"), as deadlines are given. */
export function formatClock(at: Date | number, locale: string | undefined = currentLocale): string {
  return dateFormat("clock", locale).format(at);
}

/** A local day in digits only ("11/30/2026", "30.11.2026"). */
export function formatNumericDay(at: Date | number, locale: string | undefined = currentLocale): string {
  return dateFormat("numericDay", locale).format(at);
}

/** The first block of a UUID: enough to tell versions apart at a glance. */
export function shortId(id: string): string {
  return id.split("-")[0] ?? id;
}

/**
 * One vocabulary for states: Key Protect's API says "suspended", "deactivated" and "destroyed"
 * where its console says "disabled", "expired" and "deleted", so each label carries both.
 */
export const STATE_LABELS: Record<KeyStateName, string> = {
  active: "Active",
  suspended: "Suspended (disabled)",
  deactivated: "Deactivated (expired)",
  destroyed: "Destroyed (deleted)",
};

/** Key Protect's numeric state, as its API and audit events report it (4 is unused). */
export const STATE_NUMBERS: Record<KeyStateName, 1 | 2 | 3 | 5> = {
  active: 1,
  suspended: 2,
  deactivated: 3,
  destroyed: 5,
};

/** The hover text of a state: its Key Protect number, for matching API output and audit records. */
export function stateTitle(state: KeyStateName): string {
  return `Key Protect state ${STATE_NUMBERS[state]} (${state})`;
}

export const ALL_STATES: KeyStateName[] = ["active", "suspended", "deactivated", "destroyed"];

/**
 * Converts a `datetime-local` value (local wall time, no zone) to RFC 3339 UTC
 * without fractional seconds. Returns null for an unparseable value.
 */
export function localDateTimeToRfc3339(value: string): string | null {
  const date = new Date(value);
  if (value.trim() === "" || Number.isNaN(date.getTime())) {
    return null;
  }
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A span of time the way a countdown reads it, the two largest units only: "3 d 4 h",
 * "2 h 5 min", "9 min 58 s", "12 s". Negative spans read as their size.
 */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  const rest = seconds % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${rest} s`;
  return `${rest} s`;
}

/** "expires in 3 d 4 h", or "expired 2 h 1 min ago" once the moment has passed. */
export function expiryCountdown(rfc3339: string, now: number): string {
  const left = Date.parse(rfc3339) - now;
  return left > 0 ? `expires in ${formatDuration(left)}` : `expired ${formatDuration(left)} ago`;
}
