import { useCallback } from "react";
import { useBackend, type Backend } from "../backend";
import { HttpBackend } from "../backend/http";
import type { CurlTarget } from "../curl";
import type { ConnectionProfile } from "../types";
import { useRequest } from "./useRequest";

/** IAM's base URL from a token URL (`…/identity/token` or `…/oidc/token`). */
function iamBase(tokenUrl: string): string {
  return tokenUrl.replace(/\/(identity|oidc)\/token\/?$/, "");
}

function fromProfile(profile: ConnectionProfile): CurlTarget {
  // The embedded keystore has no URL of its own; the local server's snippets cover it.
  if (profile.mode !== "remote" || profile.endpoint === undefined) return {};
  return {
    kmsUrl: profile.endpoint,
    instanceId: profile.instanceId,
    iamUrl: profile.tokenUrl === undefined ? profile.endpoint : iamBase(profile.tokenUrl),
  };
}

async function targetOf(backend: Backend): Promise<CurlTarget> {
  if (backend instanceof HttpBackend) {
    // Served by `strongroom serve`: one origin answers both Key Protect and IAM calls.
    const { baseUrl, instanceId } = backend.endpoint;
    return { kmsUrl: baseUrl, instanceId, iamUrl: baseUrl };
  }
  if (!backend.capabilities.connections) return {};
  return fromProfile(await backend.currentConnection());
}

/**
 * What curl snippets can fill in from the current connection; the rest stays a shell
 * variable. Empty until known, and when the connection cannot be read.
 */
export function useCurlTarget(): CurlTarget {
  const backend = useBackend();
  const load = useCallback(() => targetOf(backend).catch(() => ({})), [backend]);
  return useRequest(load).data ?? {};
}
