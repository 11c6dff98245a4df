import { describe, expect, it } from "vitest";
import { keyTargetOf } from "./auditTarget";

const KEY = "0a1b2c3d-0000-4000-8000-000000000000";

describe("keyTargetOf", () => {
  it("names the key of key and alias actions", () => {
    expect(keyTargetOf({ action: "kms.secrets.wrap", target: KEY })).toBe(KEY);
    expect(keyTargetOf({ action: "kms.secrets-alias.create", target: KEY })).toBe(KEY);
  });

  it("names no key for other targets", () => {
    expect(keyTargetOf({ action: "kms.key-rings.create", target: "payments" })).toBeUndefined();
    expect(keyTargetOf({ action: "iam.policies.create", target: KEY })).toBeUndefined();
    expect(keyTargetOf({ action: "kms.secrets.create", target: "payments-root" })).toBeUndefined();
  });
});
