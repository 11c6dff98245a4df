import { describe, expect, it } from "vitest";
import type { InstancePolicy } from "../../lib/types";
import { createImportAccess, entryRefusal, OPEN_ACCESS } from "./createImportAccess";

const policy = (enabled: boolean, attributes: Record<string, unknown>): InstancePolicy[] => [
  { policyType: "dualAuthDelete", enabled: true, attributes: {} },
  { policyType: "keyCreateImportAccess", enabled, attributes },
];

describe("createImportAccess", () => {
  it("lets everything in while the policy is absent or off", () => {
    expect(createImportAccess(undefined)).toEqual(OPEN_ACCESS);
    expect(createImportAccess([])).toEqual(OPEN_ACCESS);
    expect(createImportAccess(policy(false, { create_root_key: false }))).toEqual(OPEN_ACCESS);
  });

  it("reads the switches that are on, keeping defaults for missing or malformed ones", () => {
    expect(createImportAccess(policy(true, { create_root_key: false, enforce_token: true, import_root_key: "no" }))).toEqual({
      ...OPEN_ACCESS,
      create_root_key: false,
      enforce_token: true,
    });
  });
});

describe("entryRefusal", () => {
  it("allows every way in by default", () => {
    for (const entry of ["generate", "plaintextImport", "secureImport"] as const) {
      expect(entryRefusal(OPEN_ACCESS, "root", entry)).toBeUndefined();
      expect(entryRefusal(OPEN_ACCESS, "standard", entry)).toBeUndefined();
    }
  });

  it("refuses generating the key type the policy closes, and says who can change it", () => {
    const access = { ...OPEN_ACCESS, create_standard_key: false };
    expect(entryRefusal(access, "standard", "generate")).toBe(
      "The instance policy forbids generating standard keys. A Manager can change it under Policies → “Create and import access”.",
    );
    expect(entryRefusal(access, "root", "generate")).toBeUndefined();
  });

  it("refuses both imports of a closed type", () => {
    const access = { ...OPEN_ACCESS, import_root_key: false };
    expect(entryRefusal(access, "root", "plaintextImport")).toMatch(/^The instance policy forbids importing root keys\./);
    expect(entryRefusal(access, "root", "secureImport")).toMatch(/^The instance policy forbids importing root keys\./);
    expect(entryRefusal(access, "standard", "plaintextImport")).toBeUndefined();
  });

  it("with enforce_token, refuses plaintext import and keeps secure import", () => {
    const access = { ...OPEN_ACCESS, enforce_token: true };
    expect(entryRefusal(access, "root", "plaintextImport")).toMatch(/requires an import token: use secure import/);
    expect(entryRefusal(access, "root", "secureImport")).toBeUndefined();
    expect(entryRefusal(access, "root", "generate")).toBeUndefined();
  });
});
