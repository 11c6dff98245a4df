import type { CallerInfo } from "../bindings/CallerInfo";
import type { CallerGrant } from "../bindings/CallerGrant";

/**
 * Activity Tracker names of the actions the console offers. The Rust role table sends, for
 * each, the roles that allow it (`CallerInfo.actionRoles`), so no role table is kept here.
 */
export const ACTIONS = {
  createKey: "kms.secrets.create",
  readPayload: "kms.secrets.read",
  wrap: "kms.secrets.wrap",
  unwrap: "kms.secrets.unwrap",
  rewrap: "kms.secrets.rewrap",
  rotate: "kms.secrets.rotate",
  disable: "kms.secrets.disable",
  enable: "kms.secrets.enable",
  setForDeletion: "kms.secrets.setkeyfordeletion",
  unsetForDeletion: "kms.secrets.unsetkeyfordeletion",
  delete: "kms.secrets.delete",
  restore: "kms.secrets.restore",
  purge: "kms.secrets.purge",
  move: "kms.secrets.patch",
  createAlias: "kms.secrets-alias.create",
  deleteAlias: "kms.secrets-alias.delete",
  createKeyRing: "kms.key-rings.create",
  deleteKeyRing: "kms.key-rings.delete",
  readPolicies: "kms.policies.read",
  writePolicies: "kms.policies.write",
  importToken: "kms.import-token.create",
} as const;

export type Action = (typeof ACTIONS)[keyof typeof ACTIONS];

/** What an action acts on: the instance, a key ring (creating a key in it) or a key. */
export interface AccessTarget {
  keyId?: string;
  keyRing?: string;
}

export type Access = { allowed: true } | { allowed: false; reason: string };

const ALLOWED: Access = { allowed: true };

/** Mirrors the domain's scope rule: an instance grant covers everything; a key ring grant the
 * ring and the keys in it; a key grant that key. */
function covers(grant: CallerGrant, target: AccessTarget): boolean {
  if (grant.keyId !== undefined) return grant.keyId === target.keyId;
  if (grant.keyRing !== undefined) return grant.keyRing === target.keyRing;
  return true;
}

function roleList(roles: string[]): string {
  if (roles.length <= 1) return roles[0] ?? "";
  return `${roles.slice(0, -1).join(", ")} or ${roles[roles.length - 1]}`;
}

/**
 * Whether the caller may run `action` on `target`, and if not, a sentence naming the missing
 * role. Unknown callers (a keystore without `GET /api/v2/caller`, such as IBM Key Protect,
 * or a caller still loading) may try everything: the keystore has the last word anyway.
 */
export function accessFor(caller: CallerInfo | undefined, action: Action, target: AccessTarget = {}): Access {
  if (caller === undefined) return ALLOWED;
  const reaching = caller.grants.filter((grant) => covers(grant, target));
  if (reaching.some((grant) => grant.actions.includes(action))) return ALLOWED;
  const roles = caller.actionRoles.find((row) => row.action === action)?.roles ?? [];
  const needed = roles.length > 0 ? `the ${roleList(roles)} role` : "a role that allows it";
  const where = target.keyId !== undefined ? "on this key" : target.keyRing !== undefined ? `on key ring ${target.keyRing}` : "on this instance";
  const heldElsewhere = caller.grants.some((grant) => grant.actions.includes(action));
  return {
    allowed: false,
    reason: heldElsewhere
      ? `You hold ${needed} elsewhere, but not ${where}.`
      : `This needs ${needed} ${where}; you (${caller.iamId}) do not have it.`,
  };
}

/** A denial with its reason, e.g. for a rule of the key's state. */
export function denied(reason: string): Access {
  return { allowed: false, reason };
}

/**
 * The state rule and the role rule together. When both forbid, the state's reason wins: a
 * person who gains the role still could not act, and the state is what they can change.
 */
export function bothAllow(state: Access, role: Access): Access {
  return state.allowed ? role : state;
}

/** What a denied control carries: disabled, with the reason on hover, for screen readers and for tests. */
export interface DeniedProps {
  disabled?: true;
  title?: string;
  "aria-description"?: string;
  "data-denied-reason"?: string;
}

/** Props for a control the caller may lack the role for (e.g. a batch action button); none when allowed. */
export function deniedProps(access: Access): DeniedProps {
  if (access.allowed) return {};
  return { disabled: true, title: access.reason, "aria-description": access.reason, "data-denied-reason": access.reason };
}

/** The same for a Carbon `OverflowMenuItem`, which shows a title only when asked to. */
export function deniedItemProps(access: Access): DeniedProps & { requireTitle?: true } {
  return access.allowed ? {} : { ...deniedProps(access), requireTitle: true };
}
