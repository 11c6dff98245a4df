import { intlLocale } from "./format";

/**
 * What every chart in the console shares. Carbon Charts redraws a chart, synchronously, each time
 * it is handed a new options object, so callers build options once per change (`useMemo`).
 */
export function baseChartOptions(dark: boolean, locale: string = intlLocale()) {
  return {
    resizable: true,
    // Numbers that count up mislead a glance and a screenshot alike.
    animations: false,
    theme: dark ? ("g100" as const) : ("g10" as const),
    // Left to itself the chart library writes numbers and dates in `navigator.language`, which a
    // desktop session under the POSIX locale reports as "C": every axis label then threw a
    // RangeError and emptied the dashboard. The console's own locale is always a valid tag.
    locale: { code: locale },
  };
}
