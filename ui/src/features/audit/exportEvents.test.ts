import { describe, expect, it } from "vitest";
import { fakeBackend } from "../../test/fakeBackend";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";
import { collectEvents, EXPORT_CAP, eventsToCsv, exportFileName } from "./exportEvents";

const event = (seq: number): AuditEventInfo => ({
  seq,
  at: "2026-03-01T10:00:00Z",
  instance: "i1",
  initiator: "IBMid-alice",
  action: "kms.secrets.wrap",
  target: `key-${seq}`,
  outcome: "success",
  correlationId: `c${seq}`,
});

/** A trail of `size` events, newest (highest seq) first, answering `before` and `limit`. */
function trail(size: number) {
  return (query: AuditQueryRequest) => {
    const top = query.before === undefined ? size : query.before - 1;
    const count = Math.max(0, Math.min(query.limit ?? 100, top));
    return Promise.resolve(Array.from({ length: count }, (_, index) => event(top - index)));
  };
}

describe("collectEvents", () => {
  it("pages back with before until the trail runs out, keeping the filters", async () => {
    const backend = fakeBackend({ auditEvents: trail(2500) });
    const result = await collectEvents(backend, { since: "2026-03-01T00:00:00Z", failuresOnly: true });
    expect(result.truncated).toBe(false);
    expect(result.events).toHaveLength(2500);
    expect(result.events[0]?.seq).toBe(2500);
    expect(result.events[2499]?.seq).toBe(1);
    const calls = backend.auditEvents.mock.calls.map(([query]) => query);
    expect(calls[0]).toEqual({ since: "2026-03-01T00:00:00Z", failuresOnly: true, limit: 1000 });
    expect(calls[1]).toMatchObject({ since: "2026-03-01T00:00:00Z", failuresOnly: true, before: 1501 });
  });

  it("stops at the cap and says that older events were left out", async () => {
    const backend = fakeBackend({ auditEvents: trail(EXPORT_CAP + 5) });
    const result = await collectEvents(backend, {});
    expect(result.events).toHaveLength(EXPORT_CAP);
    expect(result.truncated).toBe(true);
  });

  it("is complete when the trail holds exactly the cap", async () => {
    const backend = fakeBackend({ auditEvents: trail(EXPORT_CAP) });
    const result = await collectEvents(backend, {});
    expect(result.events).toHaveLength(EXPORT_CAP);
    expect(result.truncated).toBe(false);
  });
});

describe("eventsToCsv", () => {
  it("writes a header and one record per event, empty where an event has no source or version", () => {
    const csv = eventsToCsv([
      { ...event(7), target: "ring,with comma" },
      { ...event(8), source: "127.0.0.1", keyVersion: "v-8" },
    ]);
    expect(csv).toBe(
      "seq,at,instance,initiator,action,target,outcome,correlationId,source,keyVersion\r\n" +
        '7,2026-03-01T10:00:00Z,i1,IBMid-alice,kms.secrets.wrap,"ring,with comma",success,c7,,\r\n' +
        "8,2026-03-01T10:00:00Z,i1,IBMid-alice,kms.secrets.wrap,key-8,success,c8,127.0.0.1,v-8\r\n",
    );
  });
});

describe("exportFileName", () => {
  it("names the file after the time of the export", () => {
    expect(exportFileName("csv", new Date("2026-03-01T10:04:05.123Z"))).toBe("strongroom-audit-20260301T100405Z.csv");
    expect(exportFileName("json", new Date("2026-03-01T10:04:05Z"))).toBe("strongroom-audit-20260301T100405Z.json");
  });
});
