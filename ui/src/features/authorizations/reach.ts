import { toBackendError, type Backend } from "../../lib/backend";
import type { AuthorizationInfo, KeyInfo, KeyStateName, KeyType } from "../../lib/types";

/** How many reached keys the details list. */
export const REACH_LIMIT = 20;
/** Destroyed keys serve nobody, so they are not counted as reached. */
const USABLE_STATES: KeyStateName[] = ["active", "suspended", "deactivated"];

export type Reach =
  /** A key-scoped authorization: its key, or null when the key no longer exists. */
  | { kind: "key"; key: KeyInfo | null }
  /** An instance- or ring-scoped one: the first keys, newest first, and how many there are. */
  | { kind: "listed"; keys: KeyInfo[]; total: number };

/** How much of a ring's or instance's keys to read: the first `limit`, of one type if given. */
export interface ReachPage {
  limit: number;
  keyType?: KeyType;
}

/** The keys an authorization reaches now: its key, its key ring's keys, or every key of the instance. */
export async function reachedKeys(
  backend: Backend,
  authorization: AuthorizationInfo,
  page: ReachPage = { limit: REACH_LIMIT },
): Promise<Reach> {
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
    limit: page.limit,
    states: USABLE_STATES,
    ...(page.keyType === undefined ? {} : { keyType: page.keyType }),
    ...(authorization.keyRing === undefined ? {} : { keyRing: authorization.keyRing }),
  });
  return { kind: "listed", keys: list.keys, total: list.total };
}
