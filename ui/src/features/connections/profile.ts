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

/** A line of what "Test connection" learned about the server it reached. */
export interface PeerFact {
  label: string;
  value: string;
  /** A plain-HTTP connection: said, not hidden. */
  warning?: boolean;
}

/**
 * What answered, and how privately: its name, the TLS protocol and the certificate's SHA-256
 * fingerprint to compare with the one the instance's operator publishes. Nothing when nothing
 * answered (an unreachable host shows only its verdict).
 */
export function peerFacts(test: ConnectionTest, endpoint: string): PeerFact[] {
  if (test.server === undefined && test.tls === undefined && !test.ok) return [];
  const facts: PeerFact[] = [];
  if (test.server !== undefined) facts.push({ label: "Server", value: test.server });
  if (test.tls !== undefined) {
    facts.push({ label: "Encryption", value: test.tls.protocol });
    if (test.tls.certificateSha256 !== undefined) {
      facts.push({ label: "Certificate SHA-256", value: test.tls.certificateSha256 });
    }
  } else if (endpoint.trim().toLowerCase().startsWith("http://")) {
    facts.push({
      label: "Encryption",
      value: "None: plain HTTP. The API key, tokens and DEKs cross the network readable; use HTTPS beyond this computer.",
      warning: true,
    });
  }
  return facts;
}

/** A fresh id for a new connection. */
export function newConnectionId(): string {
  if (typeof globalThis.crypto.randomUUID === "function") return globalThis.crypto.randomUUID();
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `remote-${Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("")}`;
}
