import { ToolbarControlTypes } from "@carbon/charts";
import { describe, expect, it } from "vitest";
import type { Histogram } from "./histogram";
import { chartEventsOf, clickedBarTime, histogramChartData, histogramChartOptions } from "./histogramChart";

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

describe("clickedBarTime", () => {
  it("reads a stacked bar's date from its stack key", () => {
    const start = new Date("2026-03-10T10:05:00Z");
    expect(clickedBarTime({ datum: { 0: 0, 1: 3, data: { sharedStackKey: start.toISOString(), Success: 1 } } })).toBe(start.getTime());
  });

  it("reads a plain bar's date from its row", () => {
    expect(clickedBarTime({ datum: { group: "Success", date: new Date("2026-03-10T10:00:00Z"), value: 3 } })).toBe(
      Date.parse("2026-03-10T10:00:00Z"),
    );
  });

  it("has no time for anything else", () => {
    expect(clickedBarTime(undefined)).toBeUndefined();
    expect(clickedBarTime({ datum: { data: { sharedStackKey: "not a date" } } })).toBeUndefined();
    expect(clickedBarTime({ element: {} })).toBeUndefined();
  });
});

describe("chartEventsOf", () => {
  it("finds the event service, and nothing where there is none", () => {
    const events = { addEventListener: () => undefined, removeEventListener: () => undefined };
    expect(chartEventsOf({ events })).toBe(events);
    expect(chartEventsOf({ events: { addEventListener: () => undefined } })).toBeUndefined();
    expect(chartEventsOf(undefined)).toBeUndefined();
  });
});
