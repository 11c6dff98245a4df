import { ScaleTypes, ToolbarControlTypes, type BarChartOptions, type ChartTabularData } from "@carbon/charts";
import type { Histogram } from "./histogram";

// Imported only by the lazily loaded chart, so the chart library stays out of the first bundle.

export const SUCCESS_GROUP = "Success";
export const FAILURE_GROUP = "Failure";

/** One row per bar and outcome, the shape Carbon Charts stacks. */
export function histogramChartData(histogram: Histogram): ChartTabularData {
  return histogram.buckets.flatMap((bucket) => [
    { group: SUCCESS_GROUP, date: bucket.start, value: bucket.success },
    { group: FAILURE_GROUP, date: bucket.start, value: bucket.failure },
  ]);
}

export function histogramChartOptions(histogram: Histogram, dark: boolean): BarChartOptions {
  return {
    title: `Events per ${histogram.size.label}`,
    height: "14rem",
    resizable: true,
    // Numbers that count up mislead a glance and a screenshot alike.
    animations: false,
    theme: dark ? "g100" : "g10",
    axes: {
      left: { mapsTo: "value", stacked: true, title: "Events" },
      bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
    },
    color: { scale: { [SUCCESS_GROUP]: "#24a148", [FAILURE_GROUP]: "#da1e28" } },
    legend: { alignment: "center" },
    // "Show as table" comes first: it is the chart's accessible form.
    toolbar: {
      enabled: true,
      controls: [{ type: ToolbarControlTypes.SHOW_AS_DATATABLE }, { type: ToolbarControlTypes.EXPORT_CSV }],
    },
  };
}
