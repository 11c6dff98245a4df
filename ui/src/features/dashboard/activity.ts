import type { Backend } from "../../lib/backend";
import type { ActivityHour } from "../../lib/types";

/** The operations the activity chart counts, by their audit action names (Key Protect's). */
export const ENVELOPE_ACTIONS = {
  wrap: "kms.secrets.wrap",
  unwrap: "kms.secrets.unwrap",
  rewrap: "kms.secrets.rewrap",
} as const;
export type EnvelopeAction = keyof typeof ENVELOPE_ACTIONS;

export const ACTIVITY_HOURS = 24;

export interface ActivityBucket {
  /** Start of the hour. */
  hour: Date;
  counts: Record<EnvelopeAction, number>;
  failures: number;
}

export interface Activity {
  buckets: ActivityBucket[];
}

const HOUR_MS = 3_600_000;

const BY_ACTION_NAME = new Map<string, EnvelopeAction>(
  (Object.keys(ENVELOPE_ACTIONS) as EnvelopeAction[]).map((action) => [ENVELOPE_ACTIONS[action], action]),
);

/**
 * Hourly wrap, unwrap and rewrap counts over the day up to `now`, from the keystore's hourly
 * counts of its audit trail: every hour of the day, those without calls at zero.
 */
export function bucketActivity(entries: ActivityHour[], now: Date): ActivityBucket[] {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - ACTIVITY_HOURS * HOUR_MS;
  const buckets: ActivityBucket[] = Array.from({ length: ACTIVITY_HOURS }, (_, i) => ({
    hour: new Date(start + i * HOUR_MS),
    counts: { wrap: 0, unwrap: 0, rewrap: 0 },
    failures: 0,
  }));
  for (const entry of entries) {
    const action = BY_ACTION_NAME.get(entry.action);
    const at = Date.parse(entry.at);
    if (action === undefined || Number.isNaN(at) || at < start || at >= end) continue;
    const bucket = buckets[Math.floor((at - start) / HOUR_MS)];
    if (bucket === undefined) continue;
    bucket.counts[action] += entry.calls;
    bucket.failures += entry.failures;
  }
  return buckets;
}

/** The last day's activity. The hours are the keystore's, so a remote clock that differs from this one still fills them. */
export async function loadActivity(backend: Backend): Promise<Activity> {
  const report = await backend.activity(ACTIVITY_HOURS);
  const until = new Date(report.until);
  return { buckets: bucketActivity(report.entries, Number.isNaN(until.getTime()) ? new Date() : until) };
}
