import type { Backend } from "../../lib/backend";
import { HttpBackend } from "../../lib/backend/http";
import type { ConnectionProfile, KeystoreMode } from "../../lib/types";

/** Which keystore the header names: this computer's, or a remote instance and its id when known. */
export interface HeaderInstance {
  mode: KeystoreMode;
  /** The remote instance's GUID; the embedded keystore has none. */
  instanceId?: string;
}

/**
 * The keystore the console talks to, as far as the header can tell: the remote console knows the
 * instance it signed in to; the desktop knows it from the active connection profile. Undefined
 * until the desktop has read its profile.
 */
export function headerInstance(backend: Backend, profile: ConnectionProfile | undefined): HeaderInstance | undefined {
  if (backend instanceof HttpBackend) {
    const { instanceId } = backend.endpoint;
    return instanceId === "" ? { mode: "remote" } : { mode: "remote", instanceId };
  }
  if (profile === undefined) return undefined;
  if (profile.mode === "embedded" || profile.instanceId === undefined || profile.instanceId === "") {
    return { mode: profile.mode };
  }
  return { mode: profile.mode, instanceId: profile.instanceId };
}
