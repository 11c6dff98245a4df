import { useCallback } from "react";
import { useBackend } from "../backend";
import type { CliTarget } from "../cli";
import { useRequest } from "./useRequest";

export interface CliContext {
  /** The remote instance commands must name; undefined for the embedded keystore. */
  target: CliTarget | undefined;
  /** Whether the commands go to a remote instance, whose API key the CLI reads from the environment. */
  remote: boolean;
}

/**
 * Where a copied command should run. The desktop knows its connection's endpoint and instance;
 * the web console does not, and relies on the CLI's IBM_KEY_PROTECT_* variables instead.
 */
export function useCliTarget(): CliContext {
  const backend = useBackend();
  const load = useCallback(
    () => (backend.capabilities.connections ? backend.currentConnection() : Promise.resolve(undefined)),
    [backend],
  );
  const { data: profile } = useRequest(load);
  if (!backend.capabilities.connections) return { target: undefined, remote: true };
  if (profile?.mode !== "remote" || profile.endpoint === undefined || profile.instanceId === undefined) {
    return { target: undefined, remote: profile?.mode === "remote" };
  }
  return {
    target: {
      endpoint: profile.endpoint,
      instanceId: profile.instanceId,
      ...(profile.tokenUrl === undefined ? {} : { tokenUrl: profile.tokenUrl }),
      ...(profile.caFile === undefined ? {} : { caFile: profile.caFile }),
    },
    remote: true,
  };
}
