import type { Backend } from "../../lib/backend";
import { ALL_STATES } from "../../lib/format";
import type { KeyInfo, KeyStateName, KeyType } from "../../lib/types";
import { keystoreNow } from "../../lib/clock";

export interface KeyCounts {
  total: number;
  byState: Record<KeyStateName, number>;
  byType: Record<KeyType, number>;
}

/** One `limit: 1` query per figure: the keystore counts, the console never loads every key. */
export async function countKeys(backend: Backend): Promise<KeyCounts> {
  const count = (states: KeyStateName[], keyType?: KeyType) =>
    backend
      .listKeys({ offset: 0, limit: 1, states, ...(keyType === undefined ? {} : { keyType }) })
      .then((list) => list.total);
  const [total, active, suspended, deactivated, destroyed, root, standard] = await Promise.all([
    count(ALL_STATES),
    ...ALL_STATES.map((state) => count([state])),
    count(ALL_STATES, "root"),
    count(ALL_STATES, "standard"),
  ]);
  return {
    total: total ?? 0,
    byState: { active: active ?? 0, suspended: suspended ?? 0, deactivated: deactivated ?? 0, destroyed: destroyed ?? 0 },
    byType: { root: root ?? 0, standard: standard ?? 0 },
  };
}

export const ROTATION_DAYS = 90;
/** How many of the oldest active root keys the rotation check reads, at most. */
export const ROTATION_SCAN_LIMIT = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface RotationDue {
  /** Oldest rotation (or creation) first. */
  keys: KeyInfo[];
  /** Active root keys in the keystore. */
  activeRootKeys: number;
  /** How many of them were checked; fewer than all when there are very many. */
  checked: number;
}

/** When the key's current version was made: its last rotation, or its creation. */
export const lastRotation = (key: KeyInfo): string => key.lastRotatedAt ?? key.createdAt;

/**
 * Active root keys whose current version is older than {@link ROTATION_DAYS} days. Lists come
 * newest first, and the oldest keys are the likeliest to be due, so this reads the last page.
 */
export async function rotationDue(backend: Backend, now: number = keystoreNow()): Promise<RotationDue> {
  const filter = { states: ["active"] as KeyStateName[], keyType: "root" as const };
  const { total } = await backend.listKeys({ offset: 0, limit: 1, ...filter });
  if (total === 0) {
    return { keys: [], activeRootKeys: 0, checked: 0 };
  }
  const offset = Math.max(0, total - ROTATION_SCAN_LIMIT);
  const page = await backend.listKeys({ offset, limit: ROTATION_SCAN_LIMIT, ...filter });
  const cutoff = now - ROTATION_DAYS * DAY_MS;
  const keys = page.keys
    .filter((key) => Date.parse(lastRotation(key)) < cutoff)
    .sort((a, b) => Date.parse(lastRotation(a)) - Date.parse(lastRotation(b)));
  return { keys, activeRootKeys: total, checked: page.keys.length };
}
