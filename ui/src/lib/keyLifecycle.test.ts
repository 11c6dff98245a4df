import { describe, expect, it } from "vitest";
import { nextRotationAt, purgeableFrom, reenableAt, restorableUntil } from "./keyLifecycle";

const iso = (date: Date | undefined) => date?.toISOString();

describe("restorableUntil and purgeableFrom", () => {
  const window = {
    restorableUntil: "2026-03-31T10:00:00Z",
    restoreAllowed: true,
    purgeableFrom: "2026-03-01T14:00:00Z",
    purgeAllowed: false,
  };

  it("read the keystore's restore and purge dates", () => {
    expect(iso(restorableUntil({ deletionWindow: window }))).toBe("2026-03-31T10:00:00.000Z");
    expect(iso(purgeableFrom({ deletionWindow: window }))).toBe("2026-03-01T14:00:00.000Z");
  });

  it("fall back to Key Protect's rule from the deletion date when the keystore sends no window", () => {
    const destroyed = { deletedAt: "2026-03-01T10:00:00Z" };
    expect(iso(restorableUntil(destroyed))).toBe("2026-03-31T10:00:00.000Z");
    expect(iso(purgeableFrom(destroyed))).toBe("2026-03-01T14:00:00.000Z");
  });

  it("know nothing without a window or a deletion date, or with an unreadable date", () => {
    expect(restorableUntil({})).toBeUndefined();
    expect(purgeableFrom({ deletedAt: "yesterday" })).toBeUndefined();
    expect(purgeableFrom({ deletionWindow: { ...window, purgeableFrom: "yesterday" } })).toBeUndefined();
  });
});

describe("reenableAt", () => {
  it("is 30 seconds after the disable", () => {
    expect(iso(reenableAt(new Date("2026-03-01T10:00:00Z")))).toBe("2026-03-01T10:00:30.000Z");
  });
});

describe("nextRotationAt", () => {
  const created = { keyType: "root" as const, createdAt: "2026-01-01T00:00:00Z" };
  const every = (intervalMonth: number, enabled = true) => ({ enabled, intervalMonth });

  it("counts from the creation of a key never rotated, 30 days a month", () => {
    expect(iso(nextRotationAt(created, every(3)))).toBe("2026-04-01T00:00:00.000Z");
  });

  it("counts from the last rotation once there is one", () => {
    expect(iso(nextRotationAt({ ...created, lastRotatedAt: "2026-02-10T12:00:00Z" }, every(1)))).toBe(
      "2026-03-12T12:00:00.000Z",
    );
  });

  it("has no date without an enabled policy, or for a standard key", () => {
    expect(nextRotationAt(created, undefined)).toBeUndefined();
    expect(nextRotationAt(created, every(3, false))).toBeUndefined();
    expect(nextRotationAt({ ...created, keyType: "standard" }, every(3))).toBeUndefined();
  });
});
