import { describe as suite, expect, it } from "vitest";
import { describe, UNDECRYPTABLE_SENTENCE } from "../errors";
import { BackendError, GENERIC_FAILURE, toBackendError } from "./backend";

suite("toBackendError", () => {
  it("keeps the code and message of an ApiError-shaped rejection", () => {
    const error = toBackendError({ code: "NOT_FOUND", message: "No key has the id 42." });
    expect(error).toBeInstanceOf(BackendError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("No key has the id 42.");
  });

  it("returns a BackendError unchanged", () => {
    const original = new BackendError("CONFLICT", "Someone else changed this key.");
    expect(toBackendError(original)).toBe(original);
  });

  it.each([
    ["a string", "command list_keys not found"],
    ["null", null],
    ["undefined", undefined],
    ["a number", 42],
    ["a plain Error", new Error("socket closed")],
    ["an object without a message", { code: "NOT_FOUND" }],
    ["an object with a non-string code", { code: 404, message: "Not found" }],
  ])("turns %s into INTERNAL with a generic sentence", (_label, thrown) => {
    const error = toBackendError(thrown);
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toBe(GENERIC_FAILURE);
    expect(error.cause).toBe(thrown);
  });

  it("maps a code this UI does not know to INTERNAL but keeps the message", () => {
    const error = toBackendError({ code: "QUOTA_EXCEEDED", message: "Too many keys." });
    expect(error.code).toBe("INTERNAL");
    expect(error.message).toBe("Too many keys.");
  });
});

suite("describe", () => {
  it("explains UNDECRYPTABLE without repeating the backend's wording", () => {
    expect(describe(new BackendError("UNDECRYPTABLE", "aead::Error"))).toBe(UNDECRYPTABLE_SENTENCE);
  });

  it.each(["INVALID_STATE", "INVALID_INPUT", "KEYSTORE_UNAVAILABLE"] as const)("passes the %s message through", (code) => {
    expect(describe(new BackendError(code, "The key is suspended."))).toBe("The key is suspended.");
  });
});
