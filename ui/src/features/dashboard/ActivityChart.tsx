import { StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import { ScaleTypes, type ChartTabularData } from "@carbon/charts";
import type { ActivityBucket, EnvelopeAction } from "./activity";

interface Props {
  buckets: ActivityBucket[];
  dark: boolean;
}

const LABELS: Record<EnvelopeAction, string> = { wrap: "Wrap", unwrap: "Unwrap", rewrap: "Rewrap" };

/** Loaded on demand with the rest of the chart library. */
export default function ActivityChart({ buckets, dark }: Props) {
  const data: ChartTabularData = buckets.flatMap((bucket) =>
    (Object.keys(LABELS) as EnvelopeAction[]).map((action) => ({
      group: LABELS[action],
      date: bucket.hour,
      value: bucket.counts[action],
    })),
  );
  return (
    <StackedBarChart
      data={data}
      options={{
        title: "Wrap and unwrap operations, last 24 hours",
        height: "18rem",
        resizable: true,
        // Numbers that count up mislead a glance and a screenshot alike.
        animations: false,
        theme: dark ? "g100" : "g10",
        axes: {
          left: { mapsTo: "value", stacked: true, title: "Operations per hour" },
          bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
        },
        legend: { alignment: "center" },
        toolbar: { enabled: true },
      }}
    />
  );
}
