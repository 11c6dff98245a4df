import { curlCommand, pathSegment, type CurlTarget } from "../../lib/curl";

export function createKeyRingCurl(id: string, target: CurlTarget = {}): string {
  return curlCommand(
    { method: "POST", api: "kms", path: `/api/v2/key_rings/${pathSegment(id === "" ? "<key-ring-id>" : id)}` },
    target,
  );
}

/** With `force`, Key Protect moves the ring's destroyed keys to `default` first. */
export function deleteKeyRingCurl(id: string, force: boolean, target: CurlTarget = {}): string {
  return curlCommand(
    { method: "DELETE", api: "kms", path: `/api/v2/key_rings/${pathSegment(id)}${force ? "?force=true" : ""}` },
    target,
  );
}
