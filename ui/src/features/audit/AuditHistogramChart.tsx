import { BarEvent } from "@carbon/charts";
import { StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import { useEffect, useMemo, useRef } from "react";
import { intlLocale } from "../../lib/format";
import type { Histogram } from "./histogram";
import { chartEventsOf, clickedBarTime, histogramChartData, histogramChartOptions } from "./histogramChart";

interface Props {
  histogram: Histogram;
  dark: boolean;
  /** A bar was clicked: the time it starts at. */
  onBarClick?: (time: number) => void;
}

/** Loaded on demand with the rest of the chart library. */
export default function AuditHistogramChart({ histogram, dark, onBarClick }: Props) {
  const chart = useRef<StackedBarChart>(null);
  useEffect(() => {
    const events = chartEventsOf(chart.current?.chart?.services);
    if (events === undefined || onBarClick === undefined) return;
    const listener = (event: Event) => {
      const time = clickedBarTime(event instanceof CustomEvent ? event.detail : undefined);
      if (time !== undefined) onBarClick(time);
    };
    events.addEventListener(BarEvent.BAR_CLICK, listener);
    return () => events.removeEventListener(BarEvent.BAR_CLICK, listener);
  }, [onBarClick]);
  // Kept until what they say changes: the chart redraws on every new data or options object.
  const data = useMemo(() => histogramChartData(histogram), [histogram]);
  const locale = intlLocale();
  const options = useMemo(() => histogramChartOptions(histogram, dark, locale), [histogram, dark, locale]);
  return <StackedBarChart ref={chart} data={data} options={options} />;
}
