import { ScaleTypes, ToolbarControlTypes, type BarChartOptions, type ChartTabularData } from "@carbon/charts";
import { baseChartOptions } from "../../lib/charts";
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

export function histogramChartOptions(histogram: Histogram, dark: boolean, locale?: string): BarChartOptions {
  return {
    title: `Events per ${histogram.size.label}`,
    ...baseChartOptions(dark, locale),
    height: "14rem",
    axes: {
      left: { mapsTo: "value", stacked: true, title: "Events" },
      bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
    },
    color: { scale: { [SUCCESS_GROUP]: "#24a148", [FAILURE_GROUP]: "#da1e28" } },
    // "Show as table" comes first: it is the chart's accessible form.
    toolbar: {
      enabled: true,
      controls: [{ type: ToolbarControlTypes.SHOW_AS_DATATABLE }, { type: ToolbarControlTypes.EXPORT_CSV }],
    },
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;

function timeOf(value: unknown): number | undefined {
  const time = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time) ? undefined : time;
}

/**
 * The time of the bar a `bar-click` event names. A stacked bar's datum keeps its date, in ISO form, as the
 * stack's key (`datum.data.sharedStackKey`); a plain bar's datum is the data row itself.
 */
export function clickedBarTime(detail: unknown): number | undefined {
  if (!isRecord(detail) || !isRecord(detail.datum)) return undefined;
  const { datum } = detail;
  if (isRecord(datum.data)) return timeOf(datum.data.sharedStackKey);
  return timeOf(datum.date);
}

/** What a chart's event service offers; Carbon Charts types its services as `any`. */
export interface ChartEvents {
  addEventListener(type: string, listener: EventListener): void;
  removeEventListener(type: string, listener: EventListener): void;
}

/** The event service among a chart's services, checked rather than assumed. */
export function chartEventsOf(services: unknown): ChartEvents | undefined {
  if (!isRecord(services)) return undefined;
  const { events } = services;
  return isChartEvents(events) ? events : undefined;
}

function isChartEvents(value: unknown): value is ChartEvents {
  return isRecord(value) && typeof value.addEventListener === "function" && typeof value.removeEventListener === "function";
}
