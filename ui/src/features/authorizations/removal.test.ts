import { describe, expect, it } from "vitest";
import { DESKTOP_CALLER } from "../../lib/bindings/callers";
import type { AuthorizationInfo } from "../../lib/types";
import { fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import { INSTANCE_LIMIT, RING_LIMIT, keysAtStake, remainingCover, type AtStake } from "./removal";

const everywhere: AuthorizationInfo = {
  id: "p1",
  sourceService: "cloud-object-storage",
  targetInstance: "i1",
  roles: ["Reader"],
  createdAt: "2026-02-01T00:00:00Z",
  createdBy: "IBMid-alice",
};
const onRing = (id: string, keyRing: string, extra: Partial<AuthorizationInfo> = {}): AuthorizationInfo => ({
  ...everywhere,
  id,
  keyRing,
  ...extra,
});
const onKey = (id: string, keyId: string, extra: Partial<AuthorizationInfo> = {}): AuthorizationInfo => ({
  ...everywhere,
  id,
  keyId,
  ...extra,
});
const table = DESKTOP_CALLER.actionRoles;
const paymentsKey = makeKey({ name: "payments-root", keyRing: "payments" });
const ledgerKey = makeKey({ name: "ledger-root", keyRing: "ledger" });

describe("keysAtStake", () => {
  it("reads the one key of a key-scoped authorization, and says when it is gone", async () => {
    const backend = fakeBackend({ key: () => Promise.resolve(paymentsKey) });
    expect(await keysAtStake(backend, onKey("p2", paymentsKey.id))).toEqual({ kind: "key", key: paymentsKey });
    const gone = fakeBackend({ key: () => rejectWith("NOT_FOUND", "key not found") });
    expect(await keysAtStake(gone, onKey("p2", "gone"))).toEqual({ kind: "key", key: null });
    const refused = fakeBackend({ key: () => rejectWith("FORBIDDEN", "no") });
    await expect(keysAtStake(refused, onKey("p2", "k"))).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("lists the first usable root keys of the key ring, or fewer of the whole instance", async () => {
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [paymentsKey], total: 31 }) });
    expect(await keysAtStake(backend, onRing("p2", "payments"))).toEqual({ kind: "listed", keys: [paymentsKey], total: 31 });
    expect(backend.listKeys).toHaveBeenLastCalledWith({
      offset: 0,
      limit: RING_LIMIT,
      states: ["active", "suspended", "deactivated"],
      keyType: "root",
      keyRing: "payments",
    });
    await keysAtStake(backend, everywhere);
    expect(backend.listKeys).toHaveBeenLastCalledWith({
      offset: 0,
      limit: INSTANCE_LIMIT,
      states: ["active", "suspended", "deactivated"],
      keyType: "root",
    });
  });
});

describe("remainingCover", () => {
  const listed: AtStake = { kind: "listed", keys: [paymentsKey, ledgerKey], total: 2 };

  it("finds nothing left when the source has no other authorization", () => {
    const cover = remainingCover(everywhere, [everywhere], table, listed);
    expect(cover.whole).toEqual([]);
    expect(cover.part).toEqual([]);
    expect(cover.keeps(paymentsKey)).toBe(false);
  });

  it("keeps every key when another instance-wide authorization of the same source stays", () => {
    const other = { ...everywhere, id: "p9" };
    const ring = onRing("p2", "payments");
    expect(remainingCover(ring, [ring, other], table, listed).whole).toEqual([other]);
  });

  it("keeps a key ring's keys when the same ring is authorized again", () => {
    const ring = onRing("p2", "payments");
    const again = onRing("p3", "payments", { roles: ["Writer"] });
    expect(remainingCover(ring, [ring, again], table, listed).whole).toEqual([again]);
  });

  it("keeps a key when its ring is authorized, which the key's own ring tells", () => {
    const key = onKey("p2", paymentsKey.id);
    const ring = onRing("p3", "payments");
    expect(remainingCover(key, [key, ring], table, { kind: "key", key: paymentsKey }).whole).toEqual([ring]);
    expect(remainingCover(key, [key, ring], table, { kind: "key", key: ledgerKey }).whole).toEqual([]);
  });

  it("keeps part of an instance-wide authorization through a narrower one", () => {
    const ring = onRing("p2", "payments");
    const cover = remainingCover(everywhere, [everywhere, ring], table, listed);
    expect(cover.whole).toEqual([]);
    expect(cover.part).toEqual([ring]);
    expect(cover.keeps(paymentsKey)).toBe(true);
    expect(cover.keeps(ledgerKey)).toBe(false);
  });

  it("keeps part of a key ring through a key-scoped authorization only when that key is in the ring", () => {
    const ring = onRing("p2", "payments");
    const inRing = onKey("p3", paymentsKey.id);
    const elsewhere = onKey("p4", "some-other-key");
    const cover = remainingCover(ring, [ring, inRing, elsewhere], table, { kind: "listed", keys: [paymentsKey], total: 40 });
    expect(cover.part).toEqual([inRing]);
  });

  it("ignores other services, other source instances and roles that cannot wrap", () => {
    const ofOneInstance = { ...everywhere, id: "p1", sourceInstance: "cos-1" };
    const otherService = { ...everywhere, id: "p2", sourceService: "databases-for-postgresql" };
    const otherInstance = { ...everywhere, id: "p3", sourceInstance: "cos-2" };
    const purgeOnly = { ...everywhere, id: "p4", sourceInstance: "cos-1", roles: ["KeyPurge"] };
    const all = [ofOneInstance, otherService, otherInstance, purgeOnly];
    expect(remainingCover(ofOneInstance, all, table, listed).whole).toEqual([]);
    // Without the role table, any role is taken to wrap.
    expect(remainingCover(ofOneInstance, all, undefined, listed).whole).toEqual([purgeOnly]);
  });

  it("lets an authorization for every source instance stand in for one instance, not the reverse", () => {
    const one = { ...everywhere, id: "p1", sourceInstance: "cos-1" };
    const all = { ...everywhere, id: "p2" };
    expect(remainingCover(one, [one, all], table, listed).whole).toEqual([all]);
    expect(remainingCover(all, [one, all], table, listed).whole).toEqual([]);
  });
});
