import { describe, expect, it } from "vitest";
import { makeKey } from "../../test/fakeBackend";
import { keyStatus } from "./keyStatus";

const DAY = 86_400_000;
const NOW = Date.parse("2026-06-01T12:00:00Z");
const day = (ms: number) => new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(ms);
const iso = (ms: number) => new Date(ms).toISOString();
const monthly = { enabled: true, intervalMonth: 1 };

describe("keyStatus", () => {
  it("has nothing to say about a key with no rotation policy and no expiry", () => {
    expect(keyStatus(makeKey(), 30, NOW)).toEqual([]);
  });

  it("names a rotation that falls within the warn days, with its date", () => {
    // Rotated 25 days ago every 30 days: due in 5 days.
    const key = makeKey({ rotation: monthly, lastRotatedAt: iso(NOW - 25 * DAY) });
    const due = NOW + 5 * DAY;
    expect(keyStatus(key, 30, NOW)).toEqual([{ kind: "rotation-due", at: due, label: `Rotation due on ${day(due)}` }]);
    expect(keyStatus(key, 3, NOW)).toEqual([]);
  });

  it("believes the keystore's rotationDue, and leaves out keys that cannot rotate", () => {
    expect(keyStatus(makeKey({ rotationDue: true }), 30, NOW)).toEqual([
      { kind: "rotation-due", at: undefined, label: "Rotation due" },
    ]);
    expect(keyStatus(makeKey({ rotationDue: true, state: "suspended" }), 30, NOW)).toEqual([]);
    expect(keyStatus(makeKey({ rotationDue: true, keyType: "standard" }), 30, NOW)).toEqual([]);
  });

  it("counts the whole days to an expiry within the warn days", () => {
    const key = makeKey({ expiresAt: iso(NOW + 3.5 * DAY) });
    expect(keyStatus(key, 30, NOW).map((notice) => notice.label)).toEqual(["Expires in 3 days"]);
    expect(keyStatus(makeKey({ expiresAt: iso(NOW + DAY + 1) }), 30, NOW)[0]?.label).toBe("Expires in 1 day");
    expect(keyStatus(makeKey({ expiresAt: iso(NOW + 2 * 3_600_000) }), 30, NOW)[0]?.label).toBe("Expires in less than a day");
    expect(keyStatus(makeKey({ expiresAt: iso(NOW + 40 * DAY) }), 30, NOW)).toEqual([]);
    expect(keyStatus(makeKey({ expiresAt: iso(NOW - DAY), state: "deactivated" }), 30, NOW)).toEqual([]);
  });

  it("puts the sooner of a rotation and an expiry first", () => {
    const key = makeKey({ rotation: monthly, lastRotatedAt: iso(NOW - 20 * DAY), expiresAt: iso(NOW + 3 * DAY) });
    expect(keyStatus(key, 30, NOW).map((notice) => notice.kind)).toEqual(["expiring", "rotation-due"]);
  });
});
