import type { Backend } from "../../lib/backend";
import { toCsv } from "../../lib/csv";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";

/** The most events one export holds; past it, the file says it was cut off. */
export const EXPORT_CAP = 10_000;
/** The keystore's largest page. */
const EXPORT_PAGE_SIZE = 1000;

export interface EventExport {
  /** Newest first, at most {@link EXPORT_CAP}. */
  events: AuditEventInfo[];
  /** Whether older events matched but were left out by the cap. */
  truncated: boolean;
}

/**
 * Every event matching the filters, newest first, paging back with `before` until the trail
 * runs out or the cap is reached.
 */
export async function collectEvents(
  backend: Backend,
  filters: Omit<AuditQueryRequest, "before" | "limit">,
  onProgress: (count: number) => void = () => undefined,
): Promise<EventExport> {
  const events: AuditEventInfo[] = [];
  let before: number | undefined;
  for (;;) {
    const limit = Math.min(EXPORT_PAGE_SIZE, EXPORT_CAP - events.length + 1);
    const page = await backend.auditEvents({ ...filters, limit, ...(before === undefined ? {} : { before }) });
    events.push(...page);
    onProgress(Math.min(events.length, EXPORT_CAP));
    if (events.length > EXPORT_CAP) {
      // One event past the cap was asked for only to learn whether the export is complete.
      return { events: events.slice(0, EXPORT_CAP), truncated: true };
    }
    const oldest = page[page.length - 1];
    if (page.length < limit || oldest === undefined) return { events, truncated: false };
    before = oldest.seq;
  }
}

// New columns go at the end, so a reader of earlier exports finds each column where it was.
const COLUMNS = [
  "seq",
  "at",
  "instance",
  "initiator",
  "action",
  "target",
  "outcome",
  "correlationId",
  "source",
  "keyVersion",
] as const;

export function eventsToCsv(events: AuditEventInfo[]): string {
  return toCsv(
    COLUMNS,
    events.map((event) => COLUMNS.map((column) => String(event[column] ?? ""))),
  );
}

export function eventsToJson(exported: EventExport, filters: Omit<AuditQueryRequest, "before" | "limit">): string {
  return `${JSON.stringify({ filters, truncated: exported.truncated, events: exported.events }, null, 2)}\n`;
}

/** `strongroom-audit-20260301T100000Z.csv`: sortable, and safe in every file system. */
export function exportFileName(extension: "csv" | "json", now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/\.\d{3}Z$/, "Z").replaceAll(/[-:]/g, "");
  return `strongroom-audit-${stamp}.${extension}`;
}
