import type { UsageReport } from "../../lib/types";

const MINUTE_MS = 60_000;

/** Short names for the chart legend: `kms.secrets.wrap` → `wrap`, `kms.key-rings.create` → `key-rings.create`. */
export function actionLabel(action: string): string {
  return action.replace(/^kms\.secrets\./, "").replace(/^kms\./, "");
}

export interface UsageTotals {
  calls: number;
  failures: number;
}

export function usageTotals(report: UsageReport): UsageTotals {
  return report.minutes.reduce(
    (sum, minute) => ({ calls: sum.calls + minute.calls, failures: sum.failures + minute.failures }),
    { calls: 0, failures: 0 },
  );
}

/** The window's minutes, oldest first: every minute gets a point, so quiet minutes read as zero, not as gaps. */
export function windowMinutes(report: UsageReport): Date[] {
  const end = Math.floor(Date.parse(report.until) / MINUTE_MS) * MINUTE_MS;
  return Array.from({ length: report.windowMinutes }, (_, i) => new Date(end - (report.windowMinutes - 1 - i) * MINUTE_MS));
}

export interface Point {
  group: string;
  date: Date;
  value: number;
}

const DATA_PLANE = new Set(["kms.secrets.wrap", "kms.secrets.unwrap", "kms.secrets.rewrap"]);

/** A chart has room for the data plane and one more series: everything else is "other". */
export function chartGroup(action: string): string {
  return DATA_PLANE.has(action) ? actionLabel(action) : "other";
}

/** Calls per minute: wrap, unwrap, rewrap and other, for those that had any, zeros filled in. */
export function callsPerMinute(report: UsageReport): Point[] {
  const counts = new Map<string, Map<number, number>>();
  for (const minute of report.minutes) {
    const label = chartGroup(minute.action);
    const byMinute = counts.get(label) ?? new Map<number, number>();
    const at = Date.parse(minute.at);
    byMinute.set(at, (byMinute.get(at) ?? 0) + minute.calls);
    counts.set(label, byMinute);
  }
  const minutes = windowMinutes(report);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([group, byMinute]) => minutes.map((date) => ({ group, date, value: byMinute.get(date.getTime()) ?? 0 })));
}

/**
 * Answers per minute by outcome: "success" and each failure's error code, for the minutes that had
 * calls (a bar per minute, stacked). The codes are the ones the UI switches on, not HTTP statuses:
 * `UNDECRYPTABLE` says more than 400.
 */
export function outcomesPerMinute(report: UsageReport): Point[] {
  const counts = new Map<number, Map<string, number>>();
  for (const minute of report.minutes) {
    const at = Date.parse(minute.at);
    const byOutcome = counts.get(at) ?? new Map<string, number>();
    const add = (group: string, value: number) => {
      if (value > 0) byOutcome.set(group, (byOutcome.get(group) ?? 0) + value);
    };
    add("success", minute.calls - minute.failures);
    const coded = (minute.failureCodes ?? []).reduce((sum, failure) => {
      add(failure.code, failure.count);
      return sum + failure.count;
    }, 0);
    // A server that counts failures but not their codes still shows them.
    add("failed", minute.failures - coded);
    counts.set(at, byOutcome);
  }
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([at, byOutcome]) =>
      [...byOutcome.entries()].map(([group, value]) => ({ group, date: new Date(at), value })),
    );
}

/** Successes in Carbon's green, failures in its reds and oranges, so a glance reads the bar. */
const FAILURE_COLOURS = ["#da1e28", "#ff832b", "#a2191f", "#f1c21b", "#fa4d56", "#ba4e00"];

export function outcomeColours(points: Point[]): Record<string, string> {
  const colours: Record<string, string> = { success: "#24a148" };
  const failures = [...new Set(points.map((point) => point.group))].filter((group) => group !== "success").sort();
  failures.forEach((group, index) => {
    colours[group] = FAILURE_COLOURS[index % FAILURE_COLOURS.length] ?? "#da1e28";
  });
  return colours;
}

/** The data plane's latency, p50 and p99 per minute, only for minutes that had calls (no call, no latency). */
export function latencyPerMinute(report: UsageReport): Point[] {
  return report.minutes
    .filter((minute) => DATA_PLANE.has(minute.action))
    .flatMap((minute) => {
      const date = new Date(minute.at);
      const label = actionLabel(minute.action);
      return [
        { group: `${label} p50`, date, value: minute.p50Ms },
        { group: `${label} p99`, date, value: minute.p99Ms },
      ];
    });
}

/** The highest p99 of a data-plane call in the window, in milliseconds, if there were any. */
export function worstP99(report: UsageReport): number | undefined {
  const values = latencyPerMinute(report)
    .filter((point) => point.group.endsWith("p99"))
    .map((point) => point.value);
  return values.length === 0 ? undefined : Math.max(...values);
}
