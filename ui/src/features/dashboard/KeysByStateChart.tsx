import { DonutChart } from "@carbon/charts-react";
import "@carbon/charts-react/styles.min.css";
import type { ChartTabularData, DonutChartOptions } from "@carbon/charts";
import { useMemo } from "react";
import { baseChartOptions } from "../../lib/charts";
import { ALL_STATES, intlLocale, STATE_LABELS } from "../../lib/format";
import type { KeyStateName } from "../../lib/types";

interface Props {
  byState: Record<KeyStateName, number>;
  dark: boolean;
}

// The same hues as the state tags in the key table.
const STATE_HUES: Record<KeyStateName, string> = {
  active: "#24a148",
  suspended: "#8a3ffc",
  deactivated: "#878d96",
  destroyed: "#da1e28",
};

// The chart matches colours to groups by their label.
const STATE_COLORS: Record<string, string> = Object.fromEntries(
  ALL_STATES.map((state) => [STATE_LABELS[state], STATE_HUES[state]]),
);

/** Loaded on demand: the chart library is large and only the dashboard needs it. */
export default function KeysByStateChart({ byState, dark }: Props) {
  // Kept until what they say changes: the dashboard's other tiles loading do not redraw the chart.
  const data: ChartTabularData = useMemo(
    () => ALL_STATES.map((state) => ({ group: STATE_LABELS[state], value: byState[state] })),
    [byState],
  );
  const locale = intlLocale();
  const options: DonutChartOptions = useMemo(
    () => ({
      title: "Keys by state",
      ...baseChartOptions(dark, locale),
      height: "18rem",
      color: { scale: STATE_COLORS },
      donut: { center: { label: "Keys" }, alignment: "center" },
    }),
    [dark, locale],
  );
  return <DonutChart data={data} options={options} />;
}
