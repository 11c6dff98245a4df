import { describe, expect, it } from "vitest";
import { denied } from "../../lib/access";
import type { KeyStateName } from "../../lib/types";
import { actionLabel, deleteKindOf, perAction, SELF_APPROVAL_REASON, selfApproval, roleAndState, stateRefusal, type LifecycleAction } from "./stateRules";

const root = (state: KeyStateName) => ({ state, keyType: "root" as const });
const ACTIONS: LifecycleAction[] = ["rotate", "disable", "enable", "delete", "restore", "purge"];

/** The actions each state allows for a root key, in Key Protect's table. */
const EXPECTED: Record<KeyStateName, LifecycleAction[]> = {
  active: ["rotate", "disable", "delete"],
  suspended: ["enable", "delete"],
  deactivated: ["rotate", "delete"],
  destroyed: ["restore", "purge"],
};

describe("stateRefusal", () => {
  for (const [state, allowed] of Object.entries(EXPECTED) as [KeyStateName, LifecycleAction[]][]) {
    it(`allows exactly ${allowed.join(", ")} for a ${state} root key`, () => {
      const permitted = ACTIONS.filter((action) => stateRefusal(action, root(state)) === undefined);
      expect(permitted).toEqual(allowed);
    });
  }

  it("names the action and the state in one sentence", () => {
    expect(stateRefusal("rotate", root("suspended"))).toBe("Rotate: the key is Suspended (disabled).");
    expect(stateRefusal("enable", root("active"))).toBe("Enable: the key is Active.");
    expect(stateRefusal("delete", root("destroyed"))).toBe("Delete: the key is Destroyed (deleted).");
    expect(stateRefusal("restore", root("deactivated"))).toBe("Restore: the key is Deactivated (expired).");
  });

  it("never rotates a standard key, whatever its state", () => {
    expect(stateRefusal("rotate", { state: "active", keyType: "standard" })).toBe("Standard keys cannot be rotated.");
    expect(stateRefusal("rotate", { state: "suspended", keyType: "standard" })).toBe("Standard keys cannot be rotated.");
    expect(stateRefusal("disable", { state: "active", keyType: "standard" })).toBeUndefined();
  });
});

describe("roleAndState", () => {
  const role = denied("This needs the Manager role on this key; you (IBMid-someone) do not have it.");
  const refusal = "Enable: the key is Active.";

  it("lets through what both allow", () => {
    expect(roleAndState({ allowed: true }, undefined)).toEqual({ allowed: true });
  });

  it("gives the one reason when only one rule forbids", () => {
    expect(roleAndState(role, undefined)).toBe(role);
    expect(roleAndState({ allowed: true }, refusal)).toEqual({ allowed: false, reason: refusal });
  });

  it("puts the missing role first when both forbid", () => {
    expect(roleAndState(role, refusal)).toEqual({
      allowed: false,
      reason: "This needs the Manager role on this key; you (IBMid-someone) do not have it. Enable: the key is Active.",
    });
  });
});

describe("perAction", () => {
  it("asks once for every life-cycle action", () => {
    expect(perAction((action) => action.length)).toEqual({ rotate: 6, disable: 7, enable: 6, delete: 6, restore: 7, purge: 5 });
  });
});

describe("actionLabel", () => {
  const dual = (keySetForDeletion: boolean) => ({ enabled: true, keySetForDeletion });
  const off = { enabled: false, keySetForDeletion: false };

  it("says Schedule deletion for a dual-authorization key no one has authorized yet", () => {
    expect(actionLabel("delete", { state: "active", dualAuthDelete: dual(false) })).toBe("Schedule deletion");
    expect(deleteKindOf({ dualAuthDelete: dual(false) })).toBe("schedule");
  });

  it("says Delete once authorized, without dual authorization, and for a destroyed key", () => {
    expect(actionLabel("delete", { state: "active", dualAuthDelete: dual(true) })).toBe("Delete");
    expect(actionLabel("delete", { state: "active", dualAuthDelete: off })).toBe("Delete");
    expect(actionLabel("delete", { state: "destroyed", dualAuthDelete: dual(false) })).toBe("Delete");
  });

  it("names the other actions as the menu does", () => {
    expect(actionLabel("rotate", { state: "active", dualAuthDelete: dual(false) })).toBe("Rotate");
    expect(actionLabel("purge", { state: "destroyed", dualAuthDelete: off })).toBe("Purge");
  });
});

describe("selfApproval", () => {
  const pending = { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" };

  it("refuses the delete to the person who authorized it", () => {
    expect(selfApproval({ state: "active", dualAuthDelete: pending }, "IBMid-alice")).toBe(SELF_APPROVAL_REASON);
    expect(SELF_APPROVAL_REASON).toBe("You authorized this deletion; a different person must delete the key.");
  });

  it("lets anyone else delete, and says nothing before an authorization or after the deletion", () => {
    expect(selfApproval({ state: "active", dualAuthDelete: pending }, "IBMid-bob")).toBeUndefined();
    expect(selfApproval({ state: "active", dualAuthDelete: pending }, undefined)).toBeUndefined();
    expect(
      selfApproval({ state: "active", dualAuthDelete: { enabled: true, keySetForDeletion: false } }, "IBMid-alice"),
    ).toBeUndefined();
    expect(selfApproval({ state: "destroyed", dualAuthDelete: pending }, "IBMid-alice")).toBeUndefined();
  });
});
