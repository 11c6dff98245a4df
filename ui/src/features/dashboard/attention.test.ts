import { describe, expect, it } from "vitest";
import type { KeyInfo, ListKeysRequest } from "../../lib/types";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { ATTENTION_SCAN_LIMIT, expiringKeys, loadAttention, pendingDeletions, restoreWindowsClosing, timeLeft } from "./attention";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const COLUMNS: Record<string, keyof KeyInfo> = {
  expirationDate: "expiresAt",
  lastUpdateDate: "updatedAt",
  deletionDate: "deletedAt",
};

/** A keystore over `keys` that filters by state and sorts like SQLite (NULLs first ascending). */
function keystore(keys: KeyInfo[]) {
  return fakeBackend({
    listKeys: (request: ListKeysRequest) => {
      let matching = keys.filter((key) => request.states.includes(key.state));
      const sort = request.sort?.[0];
      if (sort !== undefined) {
        const column = COLUMNS[sort.field];
        if (column === undefined) throw new Error(`no fake sort for ${sort.field}`);
        const value = (key: KeyInfo) => {
          const text = key[column];
          return typeof text === "string" ? Date.parse(text) : Number.NEGATIVE_INFINITY;
        };
        matching = [...matching].sort((a, b) => (sort.descending ? value(b) - value(a) : value(a) - value(b)));
      }
      const limit = request.limit ?? 200;
      return Promise.resolve({ keys: matching.slice(request.offset, request.offset + limit), total: matching.length });
    },
  });
}

describe("expiringKeys", () => {
  it("lists live keys expiring within 30 days, soonest first", async () => {
    const soon = makeKey({ name: "soon", expiresAt: at(2 * DAY) });
    const later = makeKey({ name: "later", state: "suspended", expiresAt: at(29 * DAY) });
    const far = makeKey({ name: "far", expiresAt: at(60 * DAY) });
    const never = makeKey({ name: "never" });
    const expired = makeKey({ name: "expired", state: "deactivated", expiresAt: at(-DAY) });
    const result = await expiringKeys(keystore([never, far, later, soon, expired]), NOW);
    expect(result.items.map((item) => item.key.name)).toEqual(["soon", "later"]);
    expect(result.complete).toBe(true);
  });
});

describe("pendingDeletions", () => {
  it("lists keys with a first authorization that has not lapsed, and stops at keys untouched for a week", async () => {
    const pending = makeKey({
      name: "pending",
      updatedAt: at(-2 * DAY),
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice", authExpiration: at(5 * DAY) },
    });
    const lapsed = makeKey({
      name: "lapsed",
      updatedAt: at(-6 * DAY),
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authExpiration: at(-DAY) },
    });
    const untouched = makeKey({ name: "untouched", updatedAt: at(-30 * DAY) });
    const backend = keystore([pending, lapsed, untouched, makeKey({ updatedAt: at(-40 * DAY) })]);
    const result = await pendingDeletions(backend, NOW);
    expect(result.items).toEqual([{ key: pending, authorizationExpiresAt: NOW + 5 * DAY }]);
    expect(result.checked).toBe(3);
    expect(backend.listKeys).toHaveBeenCalledWith(
      expect.objectContaining({ sort: [{ field: "lastUpdateDate", descending: true }], states: ["active", "suspended", "deactivated"] }),
    );
  });
});

describe("restoreWindowsClosing", () => {
  it("lists destroyed keys restorable for at most 7 more days, closing soonest first", async () => {
    const closing = makeKey({ name: "closing", state: "destroyed", deletedAt: at(-28 * DAY) });
    const closingLater = makeKey({ name: "closing-later", state: "destroyed", deletedAt: at(-24 * DAY) });
    const recent = makeKey({ name: "recent", state: "destroyed", deletedAt: at(-DAY) });
    const closed = makeKey({ name: "closed", state: "destroyed", deletedAt: at(-31 * DAY) });
    const result = await restoreWindowsClosing(keystore([closed, recent, closing, closingLater]), NOW);
    expect(result.items.map((item) => [item.key.name, item.restorableUntil])).toEqual([
      ["closing", NOW + 2 * DAY],
      ["closing-later", NOW + 6 * DAY],
    ]);
  });
});

describe("loadAttention", () => {
  it("says how many keys it checked when there are more than the scan limit", async () => {
    const many = Array.from({ length: ATTENTION_SCAN_LIMIT + 10 }, (_, index) =>
      makeKey({ expiresAt: at((40 + index) * DAY) }),
    );
    const { expiring } = await loadAttention(keystore(many), NOW);
    expect(expiring).toMatchObject({ items: [], checked: ATTENTION_SCAN_LIMIT, total: ATTENTION_SCAN_LIMIT + 10, complete: false });
  });
});

describe("timeLeft", () => {
  it("counts down in days and hours, then hours and minutes", () => {
    expect(timeLeft(6 * DAY + 23 * 3_600_000 + 59_000)).toBe("6 d 23 h");
    expect(timeLeft(3 * 3_600_000 + 12 * 60_000)).toBe("3 h 12 min");
    expect(timeLeft(4 * 60_000 + 30_000)).toBe("4 min");
    expect(timeLeft(-5)).toBe("0 min");
  });
});
