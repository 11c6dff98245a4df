/**
 * Text a spreadsheet would run as a formula when the file is opened (CSV injection). Exports
 * carry caller-supplied strings, so such a field gets a leading apostrophe, which spreadsheets
 * show as text and strip from the value.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One field of RFC 4180: quoted when it holds a comma, a quote or a line break. */
export function csvField(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** A header row and data rows as RFC 4180 CSV, CRLF after every record. */
export function toCsv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((row) => row.map(csvField).join(",") + "\r\n").join("");
}
