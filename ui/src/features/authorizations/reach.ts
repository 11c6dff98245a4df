import { toBackendError, type Backend } from "../../lib/backend";
import type { AuthorizationInfo, KeyInfo, KeyStateName } from "../../lib/types";

/** How many reached keys the details list. */
export const REACH_LIMIT = 20;
/** Destroyed keys serve nobody, so they are not counted as reached. */
const USABLE_STATES: KeyStateName[] = ["active", "suspended", "deactivated"];

export type Reach =
  /** A key-scoped authorization: its key, or null when the key no longer exists. */
  | { kind: "key"; key: KeyInfo | null }
  /** An instance- or ring-scoped one: the first keys, newest first, and how many there are. */
  | { kind: "listed"; keys: KeyInfo[]; total: number };

/** The keys an authorization reaches now: its key, its key ring's keys, or every key of the instance. */
export async function reachedKeys(backend: Backend, authorization: AuthorizationInfo): Promise<Reach> {
  if (authorization.keyId !== undefined) {
    try {
      return { kind: "key", key: await backend.key(authorization.keyId) };
    } catch (thrown) {
      const error = toBackendError(thrown);
      if (error.code === "NOT_FOUND") return { kind: "key", key: null };
      throw error;
    }
  }
  const list = await backend.listKeys({
    offset: 0,
    limit: REACH_LIMIT,
    states: USABLE_STATES,
    ...(authorization.keyRing === undefined ? {} : { keyRing: authorization.keyRing }),
  });
  return { kind: "listed", keys: list.keys, total: list.total };
}
