import { StackedBarChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import { ScaleTypes, type ChartTabularData, type StackedBarChartOptions } from "@carbon/charts";
import { useMemo } from "react";
import { baseChartOptions } from "../../lib/charts";
import { intlLocale } from "../../lib/format";
import type { ActivityBucket, EnvelopeAction } from "./activity";

interface Props {
  buckets: ActivityBucket[];
  dark: boolean;
}

const LABELS: Record<EnvelopeAction, string> = { wrap: "Wrap", unwrap: "Unwrap", rewrap: "Rewrap" };

/** Loaded on demand with the rest of the chart library. */
export default function ActivityChart({ buckets, dark }: Props) {
  // Kept until what they say changes: the dashboard's other tiles loading do not redraw the chart.
  const data: ChartTabularData = useMemo(
    () =>
      buckets.flatMap((bucket) =>
        (Object.keys(LABELS) as EnvelopeAction[]).map((action) => ({
          group: LABELS[action],
          date: bucket.hour,
          value: bucket.counts[action],
        })),
      ),
    [buckets],
  );
  const locale = intlLocale();
  const options: StackedBarChartOptions = useMemo(
    () => ({
      title: "Wrap and unwrap operations, last 24 hours",
      ...baseChartOptions(dark, locale),
      height: "18rem",
      axes: {
        left: { mapsTo: "value", stacked: true, title: "Operations per hour" },
        bottom: { mapsTo: "date", scaleType: ScaleTypes.TIME },
      },
    }),
    [dark, locale],
  );
  return <StackedBarChart data={data} options={options} />;
}
