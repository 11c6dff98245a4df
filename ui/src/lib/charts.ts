import type { Locale } from "@carbon/charts";
import { intlLocale } from "./format";

/** The chart library's locale hooks, every one given: no default of its own is left to run. */
type ChartLocale = Required<Pick<Locale, "code" | "number" | "date" | "time">>;

/**
 * What every chart in the console shares; a chart's own options, spread after these, win.
 * Carbon Charts redraws a chart, synchronously, each time it is handed a new options object, so
 * callers build options once per change (`useMemo`).
 */
export function baseChartOptions(dark: boolean, locale: string = intlLocale()) {
  // Left to itself the chart library writes numbers and dates in `navigator.language`, which
  // WebKit reports as "C" in a session under C.UTF-8 (Debian's default): every axis label then
  // threw a RangeError and emptied the dashboard. The console's own locale is always a valid tag,
  // and these formatters ignore the tag the library passes them, so none of its defaults can
  // reach `navigator.language` again.
  const chartLocale: ChartLocale = {
    code: locale,
    number: (value) => value.toLocaleString(locale),
    date: (value, _language, options, preformatted) => preformatted ?? value.toLocaleDateString(locale, options),
    time: (value, _language, options, preformatted) => preformatted ?? value.toLocaleTimeString(locale, options),
  };
  return {
    resizable: true,
    // Numbers that count up mislead a glance and a screenshot alike.
    animations: false,
    theme: dark ? ("g100" as const) : ("g10" as const),
    legend: { alignment: "center" as const },
    toolbar: { enabled: true },
    locale: chartLocale,
  };
}
