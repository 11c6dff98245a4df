import { describe, expect, it } from "vitest";
import { fakeBackend, rejectWith } from "../../test/fakeBackend";
import { roundTrip } from "./roundTrip";

const DEK = "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=";
const CIPHERTEXT = "ZW52ZWxvcGUtdjEtb3BhcXVlLWJ5dGVz";
const wrapped = { ciphertext: CIPHERTEXT, keyVersion: { id: "version-1" }, plaintext: DEK };

describe("roundTrip", () => {
  it("wraps a generated DEK, unwraps it with the same AAD and passes when the bytes match", async () => {
    const backend = fakeBackend({
      wrap: () => Promise.resolve(wrapped),
      unwrap: () => Promise.resolve({ plaintext: DEK, keyVersion: { id: "version-1" } }),
    });
    const outcome = await roundTrip(backend, "k1", ["tenant=42", "orders"]);
    expect(outcome).toEqual({ kind: "passed", keyVersion: "version-1", unwrapVersion: "version-1" });
    expect(backend.wrap).toHaveBeenCalledWith({ keyId: "k1", aad: ["tenant=42", "orders"] });
    expect(backend.unwrap).toHaveBeenCalledWith({ keyId: "k1", ciphertext: CIPHERTEXT, aad: ["tenant=42", "orders"] });
    expect(JSON.stringify(outcome)).not.toContain(DEK);
  });

  it("fails when the unwrapped bytes differ", async () => {
    const backend = fakeBackend({
      wrap: () => Promise.resolve(wrapped),
      unwrap: () => Promise.resolve({ plaintext: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=", keyVersion: { id: "version-2" } }),
    });
    expect(await roundTrip(backend, "k1", [])).toEqual({ kind: "mismatch", keyVersion: "version-1", unwrapVersion: "version-2" });
  });

  it("says which step was refused, keeping the code", async () => {
    const refusedWrap = fakeBackend({ wrap: () => rejectWith("INVALID_STATE", "key is deactivated") });
    const wrapOutcome = await roundTrip(refusedWrap, "k1", []);
    expect(wrapOutcome).toMatchObject({ kind: "failed", step: "wrap", error: { code: "INVALID_STATE" } });
    expect(refusedWrap.unwrap).not.toHaveBeenCalled();

    const refusedUnwrap = fakeBackend({
      wrap: () => Promise.resolve(wrapped),
      unwrap: () => rejectWith("UNDECRYPTABLE", "aead::Error"),
    });
    expect(await roundTrip(refusedUnwrap, "k1", ["x"])).toMatchObject({
      kind: "failed",
      step: "unwrap",
      keyVersion: "version-1",
      error: { code: "UNDECRYPTABLE" },
    });
  });

  it("fails at wrap when the keystore returns no generated DEK to compare with", async () => {
    const backend = fakeBackend({ wrap: () => Promise.resolve({ ciphertext: CIPHERTEXT, keyVersion: { id: "version-1" } }) });
    expect(await roundTrip(backend, "k1", [])).toMatchObject({ kind: "failed", step: "wrap", error: { code: "INTERNAL" } });
    expect(backend.unwrap).not.toHaveBeenCalled();
  });
});
