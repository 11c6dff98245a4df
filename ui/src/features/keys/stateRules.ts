import type { Access } from "../../lib/access";
import { STATE_LABELS } from "../../lib/format";
import type { KeyInfo, KeyStateName } from "../../lib/types";

/** The life-cycle actions a key's row menu and action bar offer. */
export type LifecycleAction = "rotate" | "disable" | "enable" | "delete" | "restore" | "purge";

const ACTION_NAMES: Record<LifecycleAction, string> = {
  rotate: "Rotate",
  disable: "Disable",
  enable: "Enable",
  delete: "Delete",
  restore: "Restore",
  purge: "Purge",
};

/**
 * Key Protect's state × action table, for the actions the console offers. Deactivated (expired)
 * keys still rotate, so a new version can be given a new expiry; they also unwrap and rewrap,
 * which are not menu items. Purge has its own 4-hour wait on top.
 */
const ALLOWED_IN: Record<LifecycleAction, readonly KeyStateName[]> = {
  rotate: ["active", "deactivated"],
  disable: ["active"],
  enable: ["suspended"],
  delete: ["active", "suspended", "deactivated"],
  restore: ["destroyed"],
  purge: ["destroyed"],
};

/**
 * Why the key's state (or type) forbids `action`, as a sentence a person reads, e.g.
 * "Rotate: the key is Suspended (disabled)."; undefined when the state allows it.
 */
export function stateRefusal(action: LifecycleAction, key: Pick<KeyInfo, "state" | "keyType">): string | undefined {
  if (action === "rotate" && key.keyType !== "root") return "Standard keys cannot be rotated.";
  if (ALLOWED_IN[action].includes(key.state)) return undefined;
  return `${ACTION_NAMES[action]}: the key is ${STATE_LABELS[key.state]}.`;
}

/** What one key gets when deleted: Key Protect's dual authorization changes the call. */
export type DeleteKind = "delete" | "schedule" | "complete";

/** A dual-authorization key is scheduled first; once someone has, a delete is the second authorization. */
export function deleteKindOf(key: Pick<KeyInfo, "dualAuthDelete">): DeleteKind {
  if (!key.dualAuthDelete.enabled) return "delete";
  return key.dualAuthDelete.keySetForDeletion ? "complete" : "schedule";
}

/** Why Delete is refused to the person who gave a dual-authorization key's first authorization. */
export const SELF_APPROVAL_REASON = "You authorized this deletion; a different person must delete the key.";

/**
 * Key Protect's two-person rule as the console applies it: whoever authorized the deletion
 * (`authorizedBy`) may not also delete the key. The reason when `iamId` is that person, else undefined.
 */
export function selfApproval(key: Pick<KeyInfo, "state" | "dualAuthDelete">, iamId: string | undefined): string | undefined {
  const { keySetForDeletion, authorizedBy } = key.dualAuthDelete;
  if (key.state === "destroyed" || !keySetForDeletion || iamId === undefined) return undefined;
  return authorizedBy === iamId ? SELF_APPROVAL_REASON : undefined;
}

/**
 * The words on an action's menu item and button. A dual-authorization key's delete reads
 * "Schedule deletion" (Key Protect's wording) until someone has authorized it; then "Delete".
 */
export function actionLabel(action: LifecycleAction, key: Pick<KeyInfo, "state" | "dualAuthDelete">): string {
  const scheduling = action === "delete" && key.state !== "destroyed" && deleteKindOf(key) === "schedule";
  return scheduling ? "Schedule deletion" : ACTION_NAMES[action];
}

/** One value per life-cycle action, e.g. each action's refusal for one key. */
export function perAction<T>(valueFor: (action: LifecycleAction) => T): Record<LifecycleAction, T> {
  return {
    rotate: valueFor("rotate"),
    disable: valueFor("disable"),
    enable: valueFor("enable"),
    delete: valueFor("delete"),
    restore: valueFor("restore"),
    purge: valueFor("purge"),
  };
}

/**
 * The role rule and the state rule (or another rule's refusal, such as an instance policy's)
 * together, for a control that stays visible either way. When both forbid, both reasons show,
 * the missing role first.
 */
export function roleAndState(role: Access, refusal: string | undefined): Access {
  if (refusal === undefined) return role;
  return { allowed: false, reason: role.allowed ? refusal : `${role.reason} ${refusal}` };
}
