import { StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import type { Histogram } from "./histogram";
import { histogramChartData, histogramChartOptions } from "./histogramChart";

/** Loaded on demand with the rest of the chart library. */
export default function AuditHistogramChart({ histogram, dark }: { histogram: Histogram; dark: boolean }) {
  return <StackedBarChart data={histogramChartData(histogram)} options={histogramChartOptions(histogram, dark)} />;
}
