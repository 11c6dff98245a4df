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
    ["caller", (b) => b.caller(), "caller", {}],
    ["usage", (b) => b.usage(), "usage", {}],
    ["clock", (b) => b.clock(), "clock", {}],
    ["activity", (b) => b.activity(24), "activity", { hours: 24 }],
    ["saveExport", (b) => b.saveExport("audit.csv", "a,b", "text/csv"), "save_export", { fileName: "audit.csv", contents: "a,b" }],
    [
      "checkAuthorization",
      (b) => b.checkAuthorization({ sourceService: "cloud-object-storage", keyId: "k1", action: "wrap" }),
      "check_authorization",
      { request: { sourceService: "cloud-object-storage", keyId: "k1", action: "wrap" } },
    ],
    ["listKeys", (b) => b.listKeys(listRequest), "list_keys", { request: listRequest }],
    ["createKey", (b) => b.createKey(createRequest), "create_key", { request: createRequest }],
    ["key", (b) => b.key("k1"), "key", { id: "k1" }],
    ["keyVersions", (b) => b.keyVersions("k1"), "key_versions", { id: "k1" }],
    ["rotateKey", (b) => b.rotateKey(rotateRequest), "rotate_key", { request: rotateRequest }],
    ["disableKey", (b) => b.disableKey("k1"), "disable_key", { id: "k1" }],
    ["enableKey", (b) => b.enableKey("k1"), "enable_key", { id: "k1" }],
    ["deleteKey", (b) => b.deleteKey("k1"), "delete_key", { id: "k1" }],
    ["restoreKey", (b) => b.restoreKey("k1"), "restore_key", { id: "k1" }],
    ["deleteKey force", (b) => b.deleteKey("k1", true), "delete_key", { id: "k1", force: true }],
    ["setKeyForDeletion", (b) => b.setKeyForDeletion("k1"), "set_key_for_deletion", { id: "k1" }],
    ["unsetKeyForDeletion", (b) => b.unsetKeyForDeletion("k1"), "unset_key_for_deletion", { id: "k1" }],
    ["purgeKey", (b) => b.purgeKey("k1"), "purge_key", { id: "k1" }],
    ["moveKey", (b) => b.moveKey("k1", "payments"), "move_key", { id: "k1", keyRing: "payments" }],
    ["createAlias", (b) => b.createAlias("k1", "pay-root"), "create_alias", { id: "k1", alias: "pay-root" }],
    ["deleteAlias", (b) => b.deleteAlias("k1", "pay-root"), "delete_alias", { id: "k1", alias: "pay-root" }],
    ["keyPolicies", (b) => b.keyPolicies("k1"), "key_policies", { id: "k1" }],
    [
      "setKeyPolicies",
      (b) => b.setKeyPolicies({ keyId: "k1", dualAuthDelete: true }),
      "set_key_policies",
      { request: { keyId: "k1", dualAuthDelete: true } },
    ],
    ["keyRings", (b) => b.keyRings(), "key_rings", {}],
    ["createKeyRing", (b) => b.createKeyRing("payments"), "create_key_ring", { id: "payments" }],
    ["deleteKeyRing", (b) => b.deleteKeyRing("payments"), "delete_key_ring", { id: "payments" }],
    ["deleteKeyRing force", (b) => b.deleteKeyRing("payments", true), "delete_key_ring", { id: "payments", force: true }],
    ["instancePolicies", (b) => b.instancePolicies(), "instance_policies", {}],
    ["setInstancePolicies", (b) => b.setInstancePolicies([]), "set_instance_policies", { policies: [] }],
    ["registrations", (b) => b.registrations(), "registrations", {}],
    ["registrations of a key", (b) => b.registrations("k1"), "registrations", { id: "k1" }],
    ["deleteRegistration", (b) => b.deleteRegistration("k1", "crn:v1:x"), "delete_registration", { id: "k1", resourceCrn: "crn:v1:x" }],
    ["authorizations", (b) => b.authorizations(), "authorizations", {}],
    [
      "createAuthorization",
      (b) => b.createAuthorization({ sourceService: "cloud-object-storage" }),
      "create_authorization",
      { request: { sourceService: "cloud-object-storage" } },
    ],
    ["deleteAuthorization", (b) => b.deleteAuthorization("p1"), "delete_authorization", { id: "p1" }],
    ["auditEvents", (b) => b.auditEvents({ limit: 50 }), "audit_events", { query: { limit: 50 } }],
    ["connections", (b) => b.connections(), "connections", {}],
    [
      "saveConnection",
      (b) => b.saveConnection({ profile: { id: "r1", name: "R", mode: "remote", hasApiKey: false } }),
      "save_connection",
      { request: { profile: { id: "r1", name: "R", mode: "remote", hasApiKey: false } } },
    ],
    ["deleteConnection", (b) => b.deleteConnection("r1"), "delete_connection", { id: "r1" }],
    ["selectConnection", (b) => b.selectConnection("r1"), "select_connection", { id: "r1" }],
    ["currentConnection", (b) => b.currentConnection(), "current_connection", {}],
    [
      "testConnection",
      (b) => b.testConnection({ profile: { id: "r1", name: "R", mode: "remote", hasApiKey: true } }),
      "test_connection",
      { request: { profile: { id: "r1", name: "R", mode: "remote", hasApiKey: true } } },
    ],
    ["localServerStatus", (b) => b.localServerStatus(), "local_server_status", {}],
    ["startLocalServer", (b) => b.startLocalServer(), "start_local_server", {}],
    ["startLocalServer on a port", (b) => b.startLocalServer(8443), "start_local_server", { port: 8443 }],
    ["stopLocalServer", (b) => b.stopLocalServer(), "stop_local_server", {}],
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
