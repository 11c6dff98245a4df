import { vi, type Mock } from "vitest";
import type { Backend } from "../lib/backend";
import type { ApiError, KeyInfo } from "../lib/types";

export type FakeBackend = { [K in keyof Backend]: Mock<Backend[K]> };

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
export function fakeBackend(overrides: Partial<Backend> = {}): FakeBackend {
  const base: Backend = {
    info: () => Promise.resolve({ mode: "embedded", location: "/home/test/.local/share/strongroom/keys.db" }),
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
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).map(([name, method]) => [name, vi.fn(method)])) as FakeBackend;
}

let keyNumber = 0;

export function makeKey(overrides: Partial<KeyInfo> = {}): KeyInfo {
  keyNumber += 1;
  const n = keyNumber.toString(16).padStart(8, "0");
  return {
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
}
