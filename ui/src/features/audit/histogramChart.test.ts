import { ToolbarControlTypes } from "@carbon/charts";
import { describe, expect, it } from "vitest";
import type { Histogram } from "./histogram";
import { histogramChartData, histogramChartOptions } from "./histogramChart";

const histogram: Histogram = {
  size: { label: "5 minutes", ms: 300_000 },
  buckets: [
    { start: new Date("2026-03-10T10:00:00Z"), success: 3, failure: 0 },
    { start: new Date("2026-03-10T10:05:00Z"), success: 1, failure: 2 },
  ],
};

describe("histogramChartData", () => {
  it("gives each bar a success and a failure row to stack", () => {
    expect(histogramChartData(histogram)).toEqual([
      { group: "Success", date: new Date("2026-03-10T10:00:00Z"), value: 3 },
      { group: "Failure", date: new Date("2026-03-10T10:00:00Z"), value: 0 },
      { group: "Success", date: new Date("2026-03-10T10:05:00Z"), value: 1 },
      { group: "Failure", date: new Date("2026-03-10T10:05:00Z"), value: 2 },
    ]);
  });
});

describe("histogramChartOptions", () => {
  it("stacks the counts, names the bucket size and keeps the show-as-table control", () => {
    const options = histogramChartOptions(histogram, false);
    expect(options.title).toBe("Events per 5 minutes");
    expect(options.axes?.left?.stacked).toBe(true);
    expect(options.toolbar?.enabled).toBe(true);
    expect(options.toolbar?.controls?.[0]?.type).toBe(ToolbarControlTypes.SHOW_AS_DATATABLE);
    expect(options.theme).toBe("g10");
    expect(histogramChartOptions(histogram, true).theme).toBe("g100");
  });
});
