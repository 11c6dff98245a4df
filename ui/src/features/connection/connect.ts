import { HttpBackend } from "../../lib/backend/http";

/** Makes the backend for these credentials; replaced in tests. */
export type Connect = (apiKey: string, instanceId: string) => HttpBackend;

/** The REST API of the server that serves this page. */
export const connectSameOrigin: Connect = (apiKey, instanceId) =>
  new HttpBackend({ baseUrl: window.location.origin, instanceId, apiKey });

/** The instance id from `?instance=`, so a shared link opens with it filled in. */
export function instanceFromLocation(search: string = window.location.search): string {
  return new URLSearchParams(search).get("instance")?.trim() ?? "";
}
