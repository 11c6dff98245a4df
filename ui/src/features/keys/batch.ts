import { ACTIONS, type Access, type Action } from "../../lib/access";
import { toBackendError, type Backend, type BackendError } from "../../lib/backend";
import { STATE_LABELS } from "../../lib/format";
import type { KeyInfo } from "../../lib/types";
import { toCsv } from "../../lib/csv";
import { deleteKindOf, selfApproval, stateRefusal, type DeleteKind } from "./stateRules";

/** The changes the key table applies to every selected key. */
export type BatchAction = "disable" | "enable" | "move" | "delete";


export interface BatchStep {
  key: KeyInfo;
  /** For deletes: plain, the first authorization, or the second one. */
  kind?: DeleteKind;
}

export interface BatchPlan {
  steps: BatchStep[];
  /** Keys left out, each with the reason a person reads. */
  skipped: { key: KeyInfo; reason: string }[];
}

/**
 * Why the action does not apply to this key, by Key Protect's state table (and, for deletes, the
 * two-person rule); undefined when it does. The life-cycle actions give the row menu's sentences
 * (stateRules), so the two cannot drift.
 */
function skipReason(action: BatchAction, key: KeyInfo, keyRing: string | undefined, iamId: string | undefined): string | undefined {
  switch (action) {
    case "disable":
    case "enable":
      return stateRefusal(action, key);
    case "delete":
      return stateRefusal(action, key) ?? selfApproval(key, iamId);
    case "move":
      // Not a row-menu life-cycle action: the state table has no Move, and a ring is its own rule.
      if (key.state === "destroyed") return `It is ${STATE_LABELS[key.state]}; destroyed keys stay in their key ring.`;
      return key.keyRing === keyRing ? `It is already in key ring ${keyRing}.` : undefined;
  }
}

/** The role-table action a change to `key` needs: the first authorization of a dual-authorization delete is its own. */
export function roleActionFor(action: BatchAction, key: KeyInfo): Action {
  switch (action) {
    case "disable":
      return ACTIONS.disable;
    case "enable":
      return ACTIONS.enable;
    case "move":
      return ACTIONS.move;
    case "delete":
      return deleteKindOf(key) === "schedule" ? ACTIONS.setForDeletion : ACTIONS.delete;
  }
}

/** Whether the caller may change `key` (the role rule); allowed for everyone when not given. */
export type RoleCheck = (key: KeyInfo) => Access;

/**
 * Splits a selection into the calls to send and the keys the action does not apply to: by
 * the key's state first, then (for deletes) by whether `iamId`, the caller, gave the key's first
 * authorization, then by the caller's role on the key.
 */
export function planBatch(
  action: BatchAction,
  keys: KeyInfo[],
  keyRing?: string,
  role?: RoleCheck,
  iamId?: string,
): BatchPlan {
  const plan: BatchPlan = { steps: [], skipped: [] };
  for (const key of keys) {
    const access = role?.(key);
    const reason = skipReason(action, key, keyRing, iamId) ?? (access?.allowed === false ? access.reason : undefined);
    if (reason !== undefined) plan.skipped.push({ key, reason });
    else plan.steps.push(action === "delete" ? { key, kind: deleteKindOf(key) } : { key });
  }
  return plan;
}

/**
 * Whether the batch button is offered: while the caller may change at least one selected key
 * (the others are skipped with the reason), or else the first key's reason.
 */
export function batchAccess(keys: KeyInfo[], role: RoleCheck): Access {
  let first: Access = { allowed: true };
  for (const key of keys) {
    const access = role(key);
    if (access.allowed) return access;
    if (first.allowed) first = access;
  }
  return first;
}

export interface BatchOutcome {
  done: BatchStep[];
  failed: { step: BatchStep; error: BackendError }[];
}

function send(backend: Backend, action: BatchAction, step: BatchStep, keyRing: string | undefined) {
  const { id } = step.key;
  switch (action) {
    case "disable":
      return backend.disableKey(id);
    case "enable":
      return backend.enableKey(id);
    case "move":
      return backend.moveKey(id, keyRing ?? "default");
    case "delete":
      return step.kind === "schedule" ? backend.setKeyForDeletion(id) : backend.deleteKey(id);
  }
}

/**
 * Sends the plan's calls one after another, never in parallel: a keystore applies them in the
 * order shown, and a failure of one key does not stop the rest.
 */
export async function runBatch(
  backend: Backend,
  action: BatchAction,
  plan: BatchPlan,
  keyRing?: string,
  onProgress: (finished: number) => void = () => undefined,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { done: [], failed: [] };
  for (const step of plan.steps) {
    try {
      await send(backend, action, step, keyRing);
      outcome.done.push(step);
    } catch (thrown) {
      outcome.failed.push({ step, error: toBackendError(thrown) });
    }
    onProgress(outcome.done.length + outcome.failed.length);
  }
  return outcome;
}

const CSV_HEADER = ["id", "name", "type", "state", "key ring", "aliases", "created"];

/** The keys' metadata as CSV (RFC 4180, CRLF); never material. */
export function keysToCsv(keys: KeyInfo[]): string {
  const rows = keys.map((key) => [
    key.id,
    key.name,
    key.keyType,
    key.state,
    key.keyRing,
    key.aliases.join(";"),
    key.createdAt,
  ]);
  return toCsv(CSV_HEADER, rows);
}
