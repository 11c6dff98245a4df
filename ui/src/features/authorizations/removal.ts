import { ACTIONS } from "../../lib/access";
import type { Backend } from "../../lib/backend";
import type { ActionRoles, AuthorizationInfo, KeyInfo } from "../../lib/types";
import { reachedKeys, type Reach } from "./reach";
import { roleActions } from "./roles";
import { reachesKey } from "./scope";

/** How many keys of a key ring the remove dialog names. */
export const RING_LIMIT = 10;
/** For the whole instance the count matters more than the names, so fewer are shown. */
export const INSTANCE_LIMIT = 5;
/** A key-scoped authorization's key (null when gone), or a ring's or the instance's newest root keys and their count. */
export type AtStake = Reach;

/** The root keys an authorization lets its source wrap and unwrap with now, as far as the dialog shows them. */
export function keysAtStake(backend: Backend, authorization: AuthorizationInfo): Promise<AtStake> {
  const limit = authorization.keyRing === undefined ? INSTANCE_LIMIT : RING_LIMIT;
  return reachedKeys(backend, authorization, { limit, keyType: "root" });
}

/**
 * Whether `other` lets the same source in: the same service, for every instance or the same
 * one. An authorization for one instance does not stand in for one covering all of them.
 */
function sameSource(other: AuthorizationInfo, removed: AuthorizationInfo): boolean {
  return (
    other.sourceService === removed.sourceService &&
    (other.sourceInstance === undefined || other.sourceInstance === removed.sourceInstance)
  );
}

/** Without the keystore's role table every KMS service role is taken to allow wrapping, as all but KeyPurge do. */
function allowsWrapping(authorization: AuthorizationInfo, table: readonly ActionRoles[] | undefined): boolean {
  if (table === undefined) return true;
  return authorization.roles.some((role) =>
    roleActions(role, table).some(({ action }) => action === ACTIONS.wrap || action === ACTIONS.unwrap),
  );
}

export interface Cover {
  /** Other authorizations of the same source that reach every key this one does: nothing stops working. */
  whole: AuthorizationInfo[];
  /** Others that reach some of its keys, which keep working. */
  part: AuthorizationInfo[];
  /** Whether a key still works for the source once this authorization is gone. */
  keeps: (key: KeyInfo) => boolean;
}

/** What the source keeps through its other authorizations once `removed` is gone. */
export function remainingCover(
  removed: AuthorizationInfo,
  all: readonly AuthorizationInfo[],
  table: readonly ActionRoles[] | undefined,
  atStake: AtStake | undefined,
): Cover {
  const others = all.filter(
    (other) => other.id !== removed.id && sameSource(other, removed) && allowsWrapping(other, table),
  );
  const keeps = (key: KeyInfo) => others.some((other) => reachesKey(other, key.id, key.keyRing));
  const coversAll = (other: AuthorizationInfo): boolean => {
    if (other.keyId === undefined && other.keyRing === undefined) return true;
    if (removed.keyId !== undefined) {
      if (other.keyId === removed.keyId) return true;
      return atStake?.kind === "key" && atStake.key !== null && reachesKey(other, atStake.key.id, atStake.key.keyRing);
    }
    return removed.keyRing !== undefined && other.keyId === undefined && other.keyRing === removed.keyRing;
  };
  const whole = others.filter(coversAll);
  if (whole.length > 0) return { whole, part: [], keeps };
  const listed = atStake?.kind === "listed" ? atStake.keys : [];
  // An instance-wide authorization overlaps every narrower one; a ring-scoped one overlaps a
  // key-scoped one only when that key is in the ring, which the listed keys can tell.
  const part = others.filter((other) =>
    removed.keyId === undefined && removed.keyRing === undefined
      ? true
      : listed.some((key) => reachesKey(other, key.id, key.keyRing)),
  );
  return { whole, part, keeps };
}
