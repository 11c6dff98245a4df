import { describe, expect, it } from "vitest";
import type { KeyInfo, ListKeysRequest } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import {
  ATTENTION_SCAN_LIMIT,
  expiringKeys,
  importTokenExpiring,
  loadAttention,
  pendingDeletions,
  restoreWindowsClosing,
  rotationsComing,
  scheduledRotation,
  timeLeft,
} from "./attention";

const NOW = Date.parse("2026-06-01T00:00:00Z");
const DAY = 86_400_000;
const at = (offsetMs: number) => new Date(NOW + offsetMs).toISOString();

const COLUMNS: Record<string, keyof KeyInfo> = {
  expirationDate: "expiresAt",
  lastUpdateDate: "updatedAt",
  deletionDate: "deletedAt",
  lastRotateDate: "lastRotatedAt",
};

/** A keystore over `keys` that filters by state and type and sorts like SQLite (NULLs first ascending). */
function keystore(keys: KeyInfo[]) {
  return fakeBackend({
    listKeys: (request: ListKeysRequest) => {
      let matching = keys.filter(
        (key) => request.states.includes(key.state) && (request.keyType === undefined || key.keyType === request.keyType),
      );
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

  it("looks as many days ahead as it is told", async () => {
    const soon = makeKey({ name: "soon", expiresAt: at(2 * DAY) });
    const later = makeKey({ name: "later", expiresAt: at(29 * DAY) });
    const far = makeKey({ name: "far", expiresAt: at(60 * DAY) });
    const backend = keystore([far, later, soon]);
    expect((await expiringKeys(backend, NOW, 7)).items.map((item) => item.key.name)).toEqual(["soon"]);
    expect((await expiringKeys(backend, NOW, 90)).items.map((item) => item.key.name)).toEqual(["soon", "later", "far"]);
  });
});

describe("scheduledRotation", () => {
  it("counts the policy's months as 30 days from the last rotation, or from creation", () => {
    const created = makeKey({ createdAt: at(0), rotation: { enabled: true, intervalMonth: 3 } });
    expect(scheduledRotation(created)).toBe(NOW + 90 * DAY);
    const rotated = makeKey({ createdAt: at(-400 * DAY), lastRotatedAt: at(-10 * DAY), rotation: { enabled: true, intervalMonth: 1 } });
    expect(scheduledRotation(rotated)).toBe(NOW + 20 * DAY);
  });

  it("has nothing to say without an enabled policy, or for a standard key", () => {
    expect(scheduledRotation(makeKey())).toBeUndefined();
    expect(scheduledRotation(makeKey({ rotation: { enabled: false, intervalMonth: 1 } }))).toBeUndefined();
    expect(scheduledRotation(makeKey({ keyType: "standard", rotation: { enabled: true, intervalMonth: 1 } }))).toBeUndefined();
  });
});

describe("rotationsComing", () => {
  const policy = (intervalMonth: number) => ({ enabled: true, intervalMonth });

  it("lists active root keys whose policy rotates them within the warn days or already did, soonest first", async () => {
    const overdue = makeKey({ name: "overdue", lastRotatedAt: at(-40 * DAY), rotation: policy(1), rotationDue: true });
    const soon = makeKey({ name: "soon", lastRotatedAt: at(-25 * DAY), rotation: policy(1) });
    const within = makeKey({ name: "within", createdAt: at(-70 * DAY), rotation: policy(3) });
    const beyond = makeKey({ name: "beyond", lastRotatedAt: at(-DAY), rotation: policy(2) });
    const noPolicy = makeKey({ name: "no-policy", createdAt: at(-400 * DAY) });
    const disabled = makeKey({ name: "disabled", createdAt: at(-400 * DAY), rotation: { enabled: false, intervalMonth: 1 } });
    const suspended = makeKey({ name: "suspended", state: "suspended", createdAt: at(-400 * DAY), rotation: policy(1) });
    const backend = keystore([beyond, within, soon, overdue, noPolicy, disabled, suspended]);

    const result = await rotationsComing(backend, NOW, 30);

    expect(result.items.map((item) => [item.key.name, item.rotatesAt])).toEqual([
      ["overdue", NOW - 10 * DAY],
      ["soon", NOW + 5 * DAY],
      ["within", NOW + 20 * DAY],
    ]);
    expect(result.complete).toBe(true);
    expect(backend.listKeys).toHaveBeenCalledWith(
      expect.objectContaining({ states: ["active"], keyType: "root", sort: [{ field: "lastRotateDate", descending: false }] }),
    );
    expect((await rotationsComing(backend, NOW, 7)).items.map((item) => item.key.name)).toEqual(["overdue", "soon"]);
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

  it("passes the warn days to the expiry and rotation checks, 30 unless told", async () => {
    const keys = [
      makeKey({ name: "expiring", expiresAt: at(20 * DAY) }),
      makeKey({ name: "rotating", createdAt: at(-10 * DAY), rotation: { enabled: true, intervalMonth: 1 } }),
    ];
    const byDefault = await loadAttention(keystore(keys), NOW);
    expect(byDefault.warnDays).toBe(30);
    expect(byDefault.expiring.items.map((item) => item.key.name)).toEqual(["expiring"]);
    expect(byDefault.rotating.items.map((item) => item.key.name)).toEqual(["rotating"]);
    const narrow = await loadAttention(keystore(keys), NOW, 14);
    expect(narrow.warnDays).toBe(14);
    expect(narrow.expiring.items).toEqual([]);
    expect(narrow.rotating.items).toEqual([]);
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

describe("importTokenExpiring", () => {
  const token = (expiresInMs: number, remaining: number) =>
    fakeBackend({
      importTokenStatus: () =>
        Promise.resolve({
          creationDate: at(-60_000),
          expirationDate: at(expiresInMs),
          maxAllowedRetrievals: 2,
          remainingRetrievals: remaining,
        }),
    });

  it("flags a token in its last five minutes while it can still be retrieved, reading only its status", async () => {
    const backend = token(3 * 60_000, 1);
    expect(await importTokenExpiring(backend, NOW)).toEqual({ expiresAt: NOW + 3 * 60_000, remaining: 1, max: 2 });
    expect(backend.importToken).not.toHaveBeenCalled();
    expect((await loadAttention(backend, NOW)).importToken?.remaining).toBe(1);
  });

  it("says nothing of a token that is far from expiry, expired, used up, absent or not readable", async () => {
    expect(await importTokenExpiring(token(8 * 60_000, 1), NOW)).toBeUndefined();
    expect(await importTokenExpiring(token(-60_000, 1), NOW)).toBeUndefined();
    expect(await importTokenExpiring(token(3 * 60_000, 0), NOW)).toBeUndefined();
    expect(await importTokenExpiring(fakeBackend(), NOW)).toBeUndefined();
    const reader = fakeBackend({ importTokenStatus: () => rejectWith("FORBIDDEN", "not a Writer") });
    expect(await importTokenExpiring(reader, NOW)).toBeUndefined();
    expect((await loadAttention(reader, NOW)).importToken).toBeUndefined();
  });
});
