import { describe, expect, it } from "vitest";
import type { UsageReport } from "../../lib/types";
import {
  actionLabel,
  callsPerMinute,
  latencyPerMinute,
  outcomeColours,
  outcomesPerMinute,
  usageTotals,
  windowMinutes,
  worstP99,
} from "./usage";

const report: UsageReport = {
  windowMinutes: 3,
  until: "2026-06-01T10:02:30Z",
  minutes: [
    {
      at: "2026-06-01T10:00:00Z",
      action: "kms.secrets.wrap",
      calls: 10,
      failures: 1,
      failureCodes: [{ code: "FORBIDDEN", count: 1 }],
      p50Ms: 0.4,
      p99Ms: 3.2,
    },
    { at: "2026-06-01T10:00:00Z", action: "kms.secrets.create", calls: 2, failures: 0, p50Ms: 9, p99Ms: 12 },
    { at: "2026-06-01T10:02:00Z", action: "kms.secrets.wrap", calls: 5, failures: 0, p50Ms: 0.3, p99Ms: 1.1 },
    {
      at: "2026-06-01T10:02:00Z",
      action: "kms.secrets.unwrap",
      calls: 4,
      failures: 2,
      failureCodes: [{ code: "UNDECRYPTABLE", count: 1 }],
      p50Ms: 0.5,
      p99Ms: 7.5,
    },
  ],
};

describe("the last hour's usage", () => {
  it("names actions briefly", () => {
    expect(actionLabel("kms.secrets.wrap")).toBe("wrap");
    expect(actionLabel("kms.key-rings.create")).toBe("key-rings.create");
  });

  it("totals calls and refusals", () => {
    expect(usageTotals(report)).toEqual({ calls: 21, failures: 3 });
  });

  it("gives every minute of the window a point, quiet ones as zero", () => {
    expect(windowMinutes(report).map((date) => date.toISOString())).toEqual([
      "2026-06-01T10:00:00.000Z",
      "2026-06-01T10:01:00.000Z",
      "2026-06-01T10:02:00.000Z",
    ]);
    const wraps = callsPerMinute(report).filter((point) => point.group === "wrap");
    expect(wraps.map((point) => point.value)).toEqual([10, 0, 5]);
    expect(new Set(callsPerMinute(report).map((point) => point.group))).toEqual(new Set(["other", "unwrap", "wrap"]));
  });

  it("stacks each minute's answers: successes, failures by code, and failures a server did not code", () => {
    const byMinute = (iso: string) =>
      Object.fromEntries(
        outcomesPerMinute(report)
          .filter((point) => point.date.toISOString() === iso)
          .map((point) => [point.group, point.value]),
      );
    expect(byMinute("2026-06-01T10:00:00.000Z")).toEqual({ success: 11, FORBIDDEN: 1 });
    expect(byMinute("2026-06-01T10:02:00.000Z")).toEqual({ success: 7, UNDECRYPTABLE: 1, failed: 1 });
    expect(byMinute("2026-06-01T10:01:00.000Z")).toEqual({});
    const colours = outcomeColours(outcomesPerMinute(report));
    expect(colours.success).toBe("#24a148");
    expect(new Set([colours.FORBIDDEN, colours.UNDECRYPTABLE, colours.failed]).size).toBe(3);
  });

  it("charts the data plane's latency only, and finds the worst p99", () => {
    const groups = new Set(latencyPerMinute(report).map((point) => point.group));
    expect(groups).toEqual(new Set(["wrap p50", "wrap p99", "unwrap p50", "unwrap p99"]));
    expect(worstP99(report)).toBe(7.5);
    expect(worstP99({ ...report, minutes: [] })).toBeUndefined();
  });
});
