import { vi, type Mock } from "vitest";
import type { Backend } from "../lib/backend";
import { DESKTOP_CALLER } from "../lib/bindings/callers";
import type { ApiError, CallerInfo, KeyInfo } from "../lib/types";

type Methods = Omit<Backend, "capabilities">;
export type FakeBackend = { [K in keyof Methods]: Mock<Methods[K]> } & Pick<Backend, "capabilities">;

/** Rejects the way a Tauri command does: with a plain ApiError object, not an Error. */
export function rejectWith(code: ApiError["code"], message: string): Promise<never> {
  const error: ApiError = { code, message };
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- mirrors the real transport
  return Promise.reject(error);
}

function unexpected(name: string) {
  return () => rejectWith("INTERNAL", `unexpected call to ${name}`);
}

/** A Backend whose every method is a spy; unlisted calls reject so tests notice them. */
export function fakeBackend(
  overrides: Partial<Methods> = {},
  capabilities: Backend["capabilities"] = { connections: true, localServer: true },
): FakeBackend {
  const base: Methods = {
    info: () => Promise.resolve({ mode: "embedded", location: "/home/test/.local/share/strongroom/keys.db" }),
    caller: () => Promise.resolve(DESKTOP_CALLER),
    listKeys: () => Promise.resolve({ keys: [], total: 0 }),
    createKey: unexpected("createKey"),
    key: unexpected("key"),
    keyVersions: unexpected("keyVersions"),
    rotateKey: unexpected("rotateKey"),
    disableKey: unexpected("disableKey"),
    enableKey: unexpected("enableKey"),
    deleteKey: unexpected("deleteKey"),
    restoreKey: unexpected("restoreKey"),
    wrap: unexpected("wrap"),
    unwrap: unexpected("unwrap"),
    rewrap: unexpected("rewrap"),
    createImportToken: unexpected("createImportToken"),
    importToken: unexpected("importToken"),
    // Most tests have no import token; the dashboard asks for its status on every load.
    importTokenStatus: () => rejectWith("NOT_FOUND", "this instance has no import token"),
    setKeyForDeletion: unexpected("setKeyForDeletion"),
    unsetKeyForDeletion: unexpected("unsetKeyForDeletion"),
    purgeKey: unexpected("purgeKey"),
    moveKey: unexpected("moveKey"),
    createAlias: unexpected("createAlias"),
    deleteAlias: unexpected("deleteAlias"),
    keyPolicies: () => Promise.resolve({ dualAuthDelete: false }),
    setKeyPolicies: unexpected("setKeyPolicies"),
    listAliases: () => Promise.resolve({ aliases: [], total: 0 }),
    keyRings: () => Promise.resolve([{ id: "default", createdAt: "2025-01-01T00:00:00Z", createdBy: "" }]),
    createKeyRing: unexpected("createKeyRing"),
    deleteKeyRing: unexpected("deleteKeyRing"),
    instancePolicies: () => Promise.resolve([]),
    setInstancePolicies: unexpected("setInstancePolicies"),
    registrations: () => Promise.resolve([]),
    deleteRegistration: unexpected("deleteRegistration"),
    authorizations: () => Promise.resolve([]),
    createAuthorization: unexpected("createAuthorization"),
    deleteAuthorization: unexpected("deleteAuthorization"),
    setAuthorizationRoles: unexpected("setAuthorizationRoles"),
    checkAuthorization: unexpected("checkAuthorization"),
    usage: unexpected("usage"),
    clock: () => Promise.resolve({ now: new Date().toISOString(), offsetSeconds: 0, advanceable: false }),
    activity: (hours) => Promise.resolve({ hours, until: new Date().toISOString(), entries: [] }),
    saveExport: () => Promise.resolve(null),
    auditEvents: () => Promise.resolve([]),
    connections: () => Promise.resolve([{ id: "local", name: "This computer", mode: "embedded", hasApiKey: false }]),
    saveConnection: unexpected("saveConnection"),
    deleteConnection: unexpected("deleteConnection"),
    selectConnection: unexpected("selectConnection"),
    currentConnection: () => Promise.resolve({ id: "local", name: "This computer", mode: "embedded", hasApiKey: false }),
    testConnection: unexpected("testConnection"),
    localServerStatus: () => Promise.resolve({ running: false }),
    startLocalServer: unexpected("startLocalServer"),
    stopLocalServer: unexpected("stopLocalServer"),
    ...overrides,
  };
  const spies = Object.fromEntries(Object.entries(base).map(([name, method]) => [name, vi.fn(method)]));
  return { ...spies, capabilities } as FakeBackend;
}

let keyNumber = 0;

export function makeKey(overrides: Partial<KeyInfo> = {}): KeyInfo {
  keyNumber += 1;
  const n = keyNumber.toString(16).padStart(8, "0");
  const key: KeyInfo = {
    id: `${n}-0000-4000-8000-000000000000`,
    name: `key-${keyNumber}`,
    keyType: "root",
    state: "active",
    imported: false,
    createdAt: "2025-03-01T12:00:00Z",
    updatedAt: "2025-03-01T12:00:00Z",
    keyVersion: { id: `${n}-1111-4000-8000-000000000000`, createdAt: "2025-03-01T12:00:00Z" },
    keyRing: "default",
    aliases: [],
    createdBy: "IBMid-local-administrator",
    dualAuthDelete: { enabled: false, keySetForDeletion: false },
    rotationDue: false,
    ...overrides,
  };
  // A destroyed key with a deletion date gets the window the keystore would give it.
  const deletedAt = key.deletedAt === undefined ? Number.NaN : Date.parse(key.deletedAt);
  if (key.state === "destroyed" && !Number.isNaN(deletedAt) && !("deletionWindow" in overrides)) {
    const until = deletedAt + 30 * 86_400_000;
    const from = deletedAt + 4 * 3_600_000;
    key.deletionWindow = {
      restorableUntil: new Date(until).toISOString(),
      restoreAllowed: Date.now() <= until,
      purgeableFrom: new Date(from).toISOString(),
      purgeAllowed: Date.now() >= from,
    };
  }
  return key;
}

/** A caller holding `roles` on the whole instance (or on one key ring or key), with the actions
 * the real role table gives those roles. */
export function callerWith(roles: string[], scope: { keyRing?: string; keyId?: string } = {}): CallerInfo {
  const actions = DESKTOP_CALLER.actionRoles
    .filter((row) => row.roles.some((role) => roles.includes(role)))
    .map((row) => row.action);
  return { iamId: "IBMid-someone", grants: [{ roles, actions, ...scope }], actionRoles: DESKTOP_CALLER.actionRoles };
}
