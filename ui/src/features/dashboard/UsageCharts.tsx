import { LineChart, StackedAreaChart, StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import { ScaleTypes } from "@carbon/charts";
import type { UsageReport } from "../../lib/types";
import { callsPerMinute, latencyPerMinute, outcomesPerMinute } from "./usage";

interface Props {
  report: UsageReport;
  dark: boolean;
}

/** Loaded on demand with the rest of the chart library. */
export default function UsageCharts({ report, dark }: Props) {
  const common = {
    height: "16rem",
    resizable: true,
    // Numbers that count up mislead a glance and a screenshot alike.
    animations: false,
    theme: dark ? ("g100" as const) : ("g10" as const),
    legend: { alignment: "center" as const },
    toolbar: { enabled: true },
  };
  return (
    <div className="dashboard__usage-charts">
      <div id="usage-calls-chart">
        <StackedAreaChart
          data={callsPerMinute(report)}
          options={{
            ...common,
            title: "Calls per minute, last hour",
            axes: {
              left: { mapsTo: "value", stacked: true, title: "Calls" },
              bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
            },
          }}
        />
      </div>
      <div id="usage-outcomes-chart">
        <StackedBarChart
          data={outcomesPerMinute(report)}
          options={{
            ...common,
            title: "Answers per minute: success, and failures by error code",
            axes: {
              left: { mapsTo: "value", stacked: true, title: "Calls" },
              bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
            },
          }}
        />
      </div>
      <div id="usage-latency-chart">
        <LineChart
          data={latencyPerMinute(report)}
          options={{
            ...common,
            title: "Wrap and unwrap latency, last hour",
            axes: {
              left: { mapsTo: "value", title: "Milliseconds", scaleType: ScaleTypes.LOG },
              bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
            },
          }}
        />
      </div>
    </div>
  );
}
