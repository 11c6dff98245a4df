import { invoke } from "@tauri-apps/api/core";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Backend } from "./backend";
import { BackendError } from "./backend";
import { TauriBackend } from "./tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const invokeMock = vi.mocked(invoke);

describe("TauriBackend", () => {
  beforeEach(() => {
    invokeMock.mockReset();
    invokeMock.mockResolvedValue({});
  });

  const listRequest = { offset: 0, limit: 10, states: [] };
  const createRequest = { name: "payments", keyType: "root" as const };
  const rotateRequest = { keyId: "k1" };
  const wrapRequest = { keyId: "k1", aad: ["a"] };
  const unwrapRequest = { keyId: "k1", ciphertext: "c2lwaGVy", aad: [] };

  it.each<[string, (backend: Backend) => Promise<unknown>, string, Record<string, unknown>]>([
    ["info", (b) => b.info(), "keystore_info", {}],
    ["listKeys", (b) => b.listKeys(listRequest), "list_keys", { request: listRequest }],
    ["createKey", (b) => b.createKey(createRequest), "create_key", { request: createRequest }],
    ["key", (b) => b.key("k1"), "key", { id: "k1" }],
    ["keyVersions", (b) => b.keyVersions("k1"), "key_versions", { id: "k1" }],
    ["rotateKey", (b) => b.rotateKey(rotateRequest), "rotate_key", { request: rotateRequest }],
    ["disableKey", (b) => b.disableKey("k1"), "disable_key", { id: "k1" }],
    ["enableKey", (b) => b.enableKey("k1"), "enable_key", { id: "k1" }],
    ["deleteKey", (b) => b.deleteKey("k1"), "delete_key", { id: "k1" }],
    ["restoreKey", (b) => b.restoreKey("k1"), "restore_key", { id: "k1" }],
    ["wrap", (b) => b.wrap(wrapRequest), "wrap", { request: wrapRequest }],
    ["unwrap", (b) => b.unwrap(unwrapRequest), "unwrap", { request: unwrapRequest }],
    ["rewrap", (b) => b.rewrap(unwrapRequest), "rewrap", { request: unwrapRequest }],
    [
      "createImportToken",
      (b) => b.createImportToken({ expiration: 600 }),
      "create_import_token",
      { request: { expiration: 600 } },
    ],
  ])("%s invokes %s", async (_method, call, command, args) => {
    await call(new TauriBackend());
    expect(invokeMock).toHaveBeenCalledWith(command, args);
  });

  it("importToken invokes import_token without arguments", async () => {
    await new TauriBackend().importToken();
    expect(invokeMock).toHaveBeenCalledWith("import_token", undefined);
  });

  it("rejects with a BackendError carrying the ApiError code", async () => {
    invokeMock.mockRejectedValue({ code: "KEYSTORE_UNAVAILABLE", message: "The keyring is locked." });
    const failure = new TauriBackend().info();
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ code: "KEYSTORE_UNAVAILABLE", message: "The keyring is locked." });
  });
});
