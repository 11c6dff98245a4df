import { LineChart, StackedAreaChart, StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import { ScaleTypes } from "@carbon/charts";
import { useMemo } from "react";
import { baseChartOptions } from "../../lib/charts";
import { intlLocale } from "../../lib/format";
import type { UsageReport } from "../../lib/types";
import { callsPerMinute, latencyPerMinute, outcomeColours, outcomesPerMinute, windowMinutes } from "./usage";

interface Props {
  report: UsageReport;
  dark: boolean;
}

/** Loaded on demand with the rest of the chart library. */
export default function UsageCharts({ report, dark }: Props) {
  const locale = intlLocale();
  // Built once per report: the chart redraws on every new data or options object.
  const charts = useMemo(() => {
    const outcomes = outcomesPerMinute(report);
    const minutes = windowMinutes(report);
    // The whole hour, as the calls chart shows it, not just the minutes that had calls.
    const hour = [minutes[0] ?? new Date(), minutes[minutes.length - 1] ?? new Date()] as const;
    const common = {
      ...baseChartOptions(dark, locale),
      height: "16rem",
      // Each chart's domain is the hour (Carbon would pad it by a tick each side), and its ticks
      // say the time only: the tile's title already says which hour.
      timeScale: { addSpaceOnEdges: 0, timeIntervalFormats: { minute: { primary: "p", secondary: "p" } } },
    };
    const hourAxis = {
      mapsTo: "date",
      scaleType: ScaleTypes.TIME,
      domain: [new Date(hour[0].getTime() - 30_000), new Date(hour[1].getTime() + 30_000)],
    };
    return {
      calls: {
        data: callsPerMinute(report),
        options: {
          ...common,
          title: "Calls per minute, last hour",
          axes: { left: { mapsTo: "value", stacked: true, title: "Calls" }, bottom: hourAxis },
        },
      },
      outcomes: {
        data: outcomes,
        options: {
          ...common,
          title: "Answers per minute: success, and failures by error code",
          color: { scale: outcomeColours(outcomes) },
          axes: { left: { mapsTo: "value", stacked: true, title: "Calls" }, bottom: hourAxis },
        },
      },
      latency: {
        data: latencyPerMinute(report),
        options: {
          ...common,
          title: "Wrap and unwrap latency, last hour",
          axes: { left: { mapsTo: "value", title: "Milliseconds", scaleType: ScaleTypes.LOG }, bottom: hourAxis },
        },
      },
    };
  }, [report, dark, locale]);
  return (
    <div className="dashboard__usage-charts">
      <div id="usage-calls-chart">
        <StackedAreaChart data={charts.calls.data} options={charts.calls.options} />
      </div>
      <div id="usage-outcomes-chart">
        <StackedBarChart data={charts.outcomes.data} options={charts.outcomes.options} />
      </div>
      <div id="usage-latency-chart">
        <LineChart data={charts.latency.data} options={charts.latency.options} />
      </div>
    </div>
  );
}
