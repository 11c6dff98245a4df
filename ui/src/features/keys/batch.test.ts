import { describe, expect, it } from "vitest";
import { accessFor, ACTIONS } from "../../lib/access";
import { callerWith, fakeBackend, makeKey, rejectWith } from "../../test/fakeBackend";
import type { KeyInfo } from "../../lib/types";
import { batchAccess, keysToCsv, planBatch, roleActionFor, runBatch, type RoleCheck } from "./batch";
import { SELF_APPROVAL_REASON, stateRefusal } from "./stateRules";

const active = makeKey({ name: "active-root" });
const suspended = makeKey({ name: "suspended-root", state: "suspended" });
const deactivated = makeKey({ name: "expired-root", state: "deactivated" });
const destroyed = makeKey({ name: "gone-root", state: "destroyed" });
const dual = makeKey({ name: "dual-root", dualAuthDelete: { enabled: true, keySetForDeletion: false } });
const dualPending = makeKey({
  name: "dual-pending-root",
  dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" },
});

const names = (keys: { key: { name: string } }[]) => keys.map(({ key }) => key.name);

describe("planBatch", () => {
  it("disables only active keys and says why the others are skipped", () => {
    const plan = planBatch("disable", [active, suspended, deactivated, destroyed]);
    expect(names(plan.steps)).toEqual(["active-root"]);
    expect(plan.skipped.map(({ key, reason }) => [key.name, reason])).toEqual([
      ["suspended-root", "Disable: the key is Suspended (disabled)."],
      ["expired-root", "Disable: the key is Deactivated (expired)."],
      ["gone-root", "Disable: the key is Destroyed (deleted)."],
    ]);
  });

  it("enables only suspended keys", () => {
    const plan = planBatch("enable", [active, suspended]);
    expect(names(plan.steps)).toEqual(["suspended-root"]);
    expect(names(plan.skipped)).toEqual(["active-root"]);
    expect(plan.skipped[0]?.reason).toBe("Enable: the key is Active.");
  });

  it("gives the row menu's sentence for a skipped key, from the same state rule", () => {
    for (const action of ["disable", "enable", "delete"] as const) {
      for (const key of [active, suspended, deactivated, destroyed]) {
        const skipped = planBatch(action, [key]).skipped[0]?.reason;
        expect(skipped).toBe(stateRefusal(action, key));
      }
    }
  });

  it("moves keys that are not destroyed and not already in the ring", () => {
    const inPayments = makeKey({ name: "payments-root", keyRing: "payments" });
    const plan = planBatch("move", [active, inPayments, destroyed], "payments");
    expect(names(plan.steps)).toEqual(["active-root"]);
    expect(plan.skipped.map(({ reason }) => reason)).toEqual([
      "It is already in key ring payments.",
      "It is Destroyed (deleted); destroyed keys stay in their key ring.",
    ]);
  });

  it("schedules deletion of dual-authorization keys and completes already authorized ones", () => {
    const plan = planBatch("delete", [active, dual, dualPending, destroyed]);
    expect(plan.steps.map(({ key, kind }) => [key.name, kind])).toEqual([
      ["active-root", "delete"],
      ["dual-root", "schedule"],
      ["dual-pending-root", "complete"],
    ]);
    expect(plan.skipped.map(({ key, reason }) => [key.name, reason])).toEqual([
      ["gone-root", "Delete: the key is Destroyed (deleted)."],
    ]);
  });

  it("skips deleting a key whose deletion the caller authorized, with the row menu's reason", () => {
    const mine = planBatch("delete", [active, dual, dualPending], undefined, undefined, "IBMid-alice");
    expect(names(mine.steps)).toEqual(["active-root", "dual-root"]);
    expect(mine.skipped.map(({ key, reason }) => [key.name, reason])).toEqual([["dual-pending-root", SELF_APPROVAL_REASON]]);

    const someoneElses = planBatch("delete", [dualPending], undefined, undefined, "IBMid-bob");
    expect(someoneElses.steps.map(({ key, kind }) => [key.name, kind])).toEqual([["dual-pending-root", "complete"]]);
    // Only deletes have the two-person rule.
    expect(planBatch("disable", [dualPending], undefined, undefined, "IBMid-alice").skipped).toEqual([]);
  });
});

describe("runBatch", () => {
  it("sends one call at a time, in order, and carries on past a failure", async () => {
    const log: string[] = [];
    let inFlight = 0;
    const slow = async (id: string, fail: boolean): Promise<KeyInfo> => {
      inFlight += 1;
      expect(inFlight).toBe(1);
      log.push(id);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return fail ? rejectWith("PROTECTED_RESOURCE", "registered resources") : active;
    };
    const backend = fakeBackend({
      deleteKey: (id) => slow(id, id === active.id),
      setKeyForDeletion: (id) => slow(id, false),
    });
    const progress: number[] = [];
    const outcome = await runBatch(backend, "delete", planBatch("delete", [active, dual, dualPending]), undefined, (n) =>
      progress.push(n),
    );

    expect(log).toEqual([active.id, dual.id, dualPending.id]);
    expect(backend.setKeyForDeletion).toHaveBeenCalledWith(dual.id);
    expect(backend.deleteKey).toHaveBeenCalledWith(dualPending.id);
    expect(progress).toEqual([1, 2, 3]);
    expect(names(outcome.done)).toEqual(["dual-root", "dual-pending-root"]);
    expect(outcome.failed.map(({ step, error }) => [step.key.name, error.code])).toEqual([
      ["active-root", "PROTECTED_RESOURCE"],
    ]);
  });

  it("moves to the chosen ring", async () => {
    const backend = fakeBackend({ moveKey: () => Promise.resolve(active) });
    await runBatch(backend, "move", planBatch("move", [active], "payments"), "payments");
    expect(backend.moveKey).toHaveBeenCalledWith(active.id, "payments");
  });
});

describe("keysToCsv", () => {
  it("writes the metadata columns, quoting what needs it and defusing formulas", () => {
    const key = makeKey({
      id: "0000000a-0000-4000-8000-000000000000",
      name: 'say "hi", then\nleave',
      aliases: ["pay-main", "pay_old"],
      keyRing: "payments",
      createdAt: "2025-03-01T12:00:00Z",
    });
    const formula = makeKey({ id: "0000000b-0000-4000-8000-000000000000", name: "=HYPERLINK(1)", state: "suspended" });
    const csv = keysToCsv([key, formula]);
    expect(csv.split("\r\n")).toEqual([
      "id,name,type,state,key ring,aliases,created",
      '0000000a-0000-4000-8000-000000000000,"say ""hi"", then\nleave",root,active,payments,pay-main;pay_old,2025-03-01T12:00:00Z',
      "0000000b-0000-4000-8000-000000000000,'=HYPERLINK(1),root,suspended,default,,2025-03-01T12:00:00Z",
      "",
    ]);
  });

  it("has no column for material or versions", () => {
    const header = keysToCsv([]).split("\r\n")[0] ?? "";
    expect(header).not.toMatch(/payload|material|version|secret/i);
  });
});

describe("the role rule in a batch", () => {
  const payments = makeKey({ name: "payments-root", keyRing: "payments" });
  const managerOnPayments = callerWith(["Manager"], { keyRing: "payments" });
  const roleFor =
    (action: "disable" | "enable" | "move" | "delete"): RoleCheck =>
    (key) =>
      accessFor(managerOnPayments, roleActionFor(action, key), { keyId: key.id, keyRing: key.keyRing });

  it("names the role-table action each change needs; a first dual authorization is its own", () => {
    expect(roleActionFor("move", active)).toBe(ACTIONS.move);
    expect(roleActionFor("delete", active)).toBe(ACTIONS.delete);
    expect(roleActionFor("delete", dual)).toBe(ACTIONS.setForDeletion);
    expect(roleActionFor("delete", dualPending)).toBe(ACTIONS.delete);
  });

  it("skips the keys the caller lacks the role for, after the state rule", () => {
    const plan = planBatch("disable", [payments, active, suspended], undefined, roleFor("disable"));
    expect(names(plan.steps)).toEqual(["payments-root"]);
    expect(plan.skipped.map(({ key, reason }) => [key.name, reason])).toEqual([
      ["active-root", "You hold the Manager role elsewhere, but not on this key."],
      ["suspended-root", "Disable: the key is Suspended (disabled)."],
    ]);
  });

  it("offers the batch while one selected key may change, else gives the first reason", () => {
    expect(batchAccess([active, payments], roleFor("disable"))).toEqual({ allowed: true });
    expect(batchAccess([active, suspended], roleFor("disable"))).toEqual({
      allowed: false,
      reason: "You hold the Manager role elsewhere, but not on this key.",
    });
    const reader: RoleCheck = (key) => accessFor(callerWith(["Reader"]), roleActionFor("delete", key), { keyId: key.id });
    expect(batchAccess([payments], reader).allowed).toBe(false);
  });
});
