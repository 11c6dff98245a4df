import type { AuthorizationInfo } from "../../lib/types";

/** Services that commonly wrap their data keys with a Key Protect root key. */
export const KNOWN_SOURCE_SERVICES: { id: string; text: string }[] = [
  { id: "cloud-object-storage", text: "Cloud Object Storage (cloud-object-storage)" },
  { id: "databases-for-postgresql", text: "Databases for PostgreSQL (databases-for-postgresql)" },
  { id: "containers-kubernetes", text: "Kubernetes Service (containers-kubernetes)" },
  { id: "cloudantnosqldb", text: "Cloudant (cloudantnosqldb)" },
  { id: "server-protect", text: "Server Protect (server-protect)" },
];

/** What part of the instance an authorization reaches, in words. */
export function scopeOf(authorization: AuthorizationInfo): string {
  if (authorization.keyId !== undefined) return `Key ${authorization.keyId}`;
  if (authorization.keyRing !== undefined) return `Key ring ${authorization.keyRing}`;
  return "All keys of this instance";
}

/** Whether the authorization reaches a key in the given ring. */
export function reachesKey(authorization: AuthorizationInfo, keyId: string, keyRing: string): boolean {
  if (authorization.keyId !== undefined) return authorization.keyId === keyId;
  if (authorization.keyRing !== undefined) return authorization.keyRing === keyRing;
  return true;
}
