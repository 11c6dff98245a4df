import { describe, expect, it } from "vitest";
import { DESKTOP_CALLER } from "../bindings/callers";
import { callerWith } from "../../test/fakeBackend";
import { ACTIONS, accessFor, bothAllow, denied, deniedItemProps } from "./access";

describe("accessFor", () => {
  it("lets the desktop's administrator do everything the console offers, purge included", () => {
    for (const action of Object.values(ACTIONS)) {
      expect(accessFor(DESKTOP_CALLER, action, { keyId: "k", keyRing: "default" })).toEqual({ allowed: true });
    }
  });

  it("lets anyone try when the keystore cannot say who they are", () => {
    expect(accessFor(undefined, ACTIONS.purge, { keyId: "k" })).toEqual({ allowed: true });
  });

  it("names the roles a Reader lacks for rotate", () => {
    const access = accessFor(callerWith(["Reader"]), ACTIONS.rotate, { keyId: "k", keyRing: "default" });
    expect(access).toEqual({
      allowed: false,
      reason: "This needs the Writer or Manager role on this key; you (IBMid-someone) do not have it.",
    });
  });

  it("keeps a Manager from purging: only KeyPurge may", () => {
    const access = accessFor(callerWith(["Manager"]), ACTIONS.purge, { keyId: "k", keyRing: "default" });
    expect(access.allowed).toBe(false);
    expect(access.allowed ? "" : access.reason).toContain("the KeyPurge role");
  });

  it("scopes a key ring grant to that ring's keys", () => {
    const caller = callerWith(["Writer"], { keyRing: "payments" });
    expect(accessFor(caller, ACTIONS.rotate, { keyId: "k", keyRing: "payments" }).allowed).toBe(true);
    expect(accessFor(caller, ACTIONS.createKey, { keyRing: "payments" }).allowed).toBe(true);
    const elsewhere = accessFor(caller, ACTIONS.rotate, { keyId: "k", keyRing: "default" });
    expect(elsewhere).toEqual({
      allowed: false,
      reason: "You hold the Writer or Manager role elsewhere, but not on this key.",
    });
    expect(accessFor(caller, ACTIONS.createKeyRing).allowed).toBe(false);
  });

  it("scopes a key grant to that key, wherever it moves", () => {
    const caller = callerWith(["Manager"], { keyId: "k1" });
    expect(accessFor(caller, ACTIONS.disable, { keyId: "k1", keyRing: "moved" }).allowed).toBe(true);
    expect(accessFor(caller, ACTIONS.disable, { keyId: "k2", keyRing: "moved" }).allowed).toBe(false);
  });
});

describe("bothAllow", () => {
  const state = denied("It is Destroyed (deleted); only active keys can be disabled.");
  const role = denied("This needs the Manager role on this key; you (IBMid-someone) do not have it.");

  it("gives the state's reason when both forbid", () => {
    expect(bothAllow(state, role)).toBe(state);
  });

  it("gives the role's reason when only the role forbids", () => {
    expect(bothAllow({ allowed: true }, role)).toBe(role);
  });

  it("allows only when both allow", () => {
    expect(bothAllow({ allowed: true }, { allowed: true })).toEqual({ allowed: true });
    expect(bothAllow(state, { allowed: true })).toBe(state);
  });
});

describe("deniedItemProps", () => {
  it("adds nothing to an allowed item", () => {
    expect(deniedItemProps({ allowed: true })).toEqual({});
  });

  it("disables a denied item and shows why", () => {
    expect(deniedItemProps(denied("No."))).toEqual({
      disabled: true,
      requireTitle: true,
      title: "No.",
      "aria-description": "No.",
      "data-denied-reason": "No.",
    });
  });
});
