import { describe, expect, it } from "vitest";
import { makeKey } from "../../test/fakeBackend";
import { itemRefusal } from "./sectionRules";

describe("itemRefusal", () => {
  it("lets an active root key do everything", () => {
    const key = makeKey();
    for (const item of ["envelope", "edit-aliases", "move", "edit-rotation", "resources"] as const) {
      expect(itemRefusal(item, key)).toBeUndefined();
    }
  });

  it("keeps envelope encryption to root keys that can wrap or unwrap", () => {
    expect(itemRefusal("envelope", makeKey({ state: "deactivated" }))).toBeUndefined();
    expect(itemRefusal("envelope", makeKey({ state: "destroyed" }))).toBe("Envelope encryption: the key is Destroyed (deleted).");
    expect(itemRefusal("envelope", makeKey({ keyType: "standard" }))).toBe("Only root keys wrap and unwrap.");
  });

  it("lets a suspended key be edited, a destroyed one only looked at", () => {
    const suspended = makeKey({ state: "suspended" });
    expect(itemRefusal("edit-aliases", suspended)).toBeUndefined();
    expect(itemRefusal("edit-rotation", suspended)).toBeUndefined();
    const destroyed = makeKey({ state: "destroyed" });
    expect(itemRefusal("edit-rotation", destroyed)).toBe("Edit rotation policy: the key is Destroyed (deleted).");
    expect(itemRefusal("resources", destroyed)).toBeUndefined();
  });
});
