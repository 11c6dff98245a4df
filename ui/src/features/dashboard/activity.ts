import type { Backend } from "../../lib/backend";
import type { AuditEventInfo } from "../../lib/types";

/** The operations the activity chart counts, by their audit action names (Key Protect's). */
export const ENVELOPE_ACTIONS = {
  wrap: "kms.secrets.wrap",
  unwrap: "kms.secrets.unwrap",
  rewrap: "kms.secrets.rewrap",
} as const;
export type EnvelopeAction = keyof typeof ENVELOPE_ACTIONS;

export const ACTIVITY_HOURS = 24;
/** The audit query's largest page: the chart counts at most this many events per operation. */
export const ACTIVITY_EVENT_LIMIT = 1000;

export interface ActivityBucket {
  /** Start of the hour. */
  hour: Date;
  counts: Record<EnvelopeAction, number>;
  failures: number;
}

export interface Activity {
  buckets: ActivityBucket[];
  /** An operation whose events in the window exceed what one page holds: its older hours are undercounted. */
  truncated: boolean;
}

const HOUR_MS = 3_600_000;

/** Hourly wrap, unwrap and rewrap counts over the last day, from the audit trail. */
export function bucketActivity(events: Record<EnvelopeAction, AuditEventInfo[]>, now: Date): ActivityBucket[] {
  const end = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS + HOUR_MS;
  const start = end - ACTIVITY_HOURS * HOUR_MS;
  const buckets: ActivityBucket[] = Array.from({ length: ACTIVITY_HOURS }, (_, i) => ({
    hour: new Date(start + i * HOUR_MS),
    counts: { wrap: 0, unwrap: 0, rewrap: 0 },
    failures: 0,
  }));
  for (const action of Object.keys(ENVELOPE_ACTIONS) as EnvelopeAction[]) {
    for (const event of events[action]) {
      const at = Date.parse(event.at);
      if (Number.isNaN(at) || at < start || at >= end) continue;
      const bucket = buckets[Math.floor((at - start) / HOUR_MS)];
      if (bucket === undefined) continue;
      bucket.counts[action] += 1;
      if (event.outcome !== "success") bucket.failures += 1;
    }
  }
  return buckets;
}

export async function loadActivity(backend: Backend, now: Date = new Date()): Promise<Activity> {
  const actions = Object.keys(ENVELOPE_ACTIONS) as EnvelopeAction[];
  const pages = await Promise.all(
    actions.map((action) => backend.auditEvents({ action: ENVELOPE_ACTIONS[action], limit: ACTIVITY_EVENT_LIMIT })),
  );
  // An action prefix also matches longer names; keep exact matches only.
  const events = Object.fromEntries(
    actions.map((action, i) => [action, (pages[i] ?? []).filter((e) => e.action === ENVELOPE_ACTIONS[action])]),
  ) as Record<EnvelopeAction, AuditEventInfo[]>;
  const windowStart = now.getTime() - ACTIVITY_HOURS * HOUR_MS;
  const truncated = pages.some(
    (page) => page.length >= ACTIVITY_EVENT_LIMIT && Date.parse(page[page.length - 1]?.at ?? "") > windowStart,
  );
  return { buckets: bucketActivity(events, now), truncated };
}
