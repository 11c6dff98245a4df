import { BackendError } from "../../lib/backend";
import { describe } from "../../lib/errors";
import type { ConnectionProfile, ConnectionTest } from "../../lib/types";

export const LOCAL_NAME = "This computer";

export const connectionLabel = (profile: ConnectionProfile) =>
  profile.mode === "embedded" ? LOCAL_NAME : `${profile.name} (remote)`;

/** The IAM token URL a base URL implies when none is given. */
export function defaultTokenUrl(endpoint: string): string {
  const base = endpoint.trim().replace(/\/+$/, "");
  return base === "" ? "" : `${base}/identity/token`;
}

/** The verdict of "Test connection", in the words chosen by its code. */
export function verdictSentence(test: ConnectionTest): string {
  if (test.ok) {
    const count = test.keyCount === undefined ? "" : ` ${test.keyCount} ${test.keyCount === 1 ? "key is" : "keys are"} visible.`;
    return `Connected.${count}`;
  }
  return describe(new BackendError(test.code ?? "INTERNAL", test.message));
}

/** A fresh id for a new connection. */
export function newConnectionId(): string {
  if (typeof globalThis.crypto.randomUUID === "function") return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `remote-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
