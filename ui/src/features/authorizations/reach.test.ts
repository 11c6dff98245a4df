import { describe, expect, it } from "vitest";
import type { AuthorizationInfo } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { REACH_LIMIT, reachedKeys } from "./reach";

const base: AuthorizationInfo = {
  id: "p1",
  sourceService: "cloud-object-storage",
  targetInstance: "i1",
  roles: ["Reader"],
  createdAt: "2026-02-01T00:00:00Z",
  createdBy: "IBMid-alice",
};
const key = makeKey({ name: "payments-root" });

describe("reachedKeys", () => {
  it("reads the one key of a key-scoped authorization", async () => {
    const backend = fakeBackend({ key: () => Promise.resolve(key) });
    expect(await reachedKeys(backend, { ...base, keyId: key.id })).toEqual({ kind: "key", key });
    expect(backend.key).toHaveBeenCalledWith(key.id);
    expect(backend.listKeys).not.toHaveBeenCalled();
  });

  it("says when that key no longer exists, and passes other refusals on", async () => {
    const gone = fakeBackend({ key: () => rejectWith("NOT_FOUND", "key not found") });
    expect(await reachedKeys(gone, { ...base, keyId: "gone" })).toEqual({ kind: "key", key: null });
    const refused = fakeBackend({ key: () => rejectWith("FORBIDDEN", "no") });
    await expect(reachedKeys(refused, { ...base, keyId: "k" })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lists the usable keys of a key ring, or of the whole instance", async () => {
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 57 }) });
    expect(await reachedKeys(backend, { ...base, keyRing: "payments" })).toEqual({ kind: "listed", keys: [key], total: 57 });
    expect(backend.listKeys).toHaveBeenLastCalledWith({
      offset: 0,
      limit: REACH_LIMIT,
      states: ["active", "suspended", "deactivated"],
      keyRing: "payments",
    });
    await reachedKeys(backend, base);
    expect(backend.listKeys).toHaveBeenLastCalledWith({ offset: 0, limit: REACH_LIMIT, states: ["active", "suspended", "deactivated"] });
  });
});
