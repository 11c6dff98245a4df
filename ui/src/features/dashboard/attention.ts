import type { Backend } from "../../lib/backend";
import { nextRotationAt, restorableUntil } from "../../lib/keyLifecycle";
import { DEFAULT_PREFERENCES } from "../../lib/preferences";
import type { KeyInfo, ListKeysRequest } from "../../lib/types";
import { keystoreNow } from "../../lib/clock";

const DAY_MS = 24 * 60 * 60 * 1000;
/** Keys expiring or rotating within this many days are listed, unless the preferences say otherwise. */
export const DEFAULT_WARN_DAYS = DEFAULT_PREFERENCES.warnDays;
/** Destroyed keys whose restore window closes within this many days are listed. */
export const RESTORE_WARNING_DAYS = 7;
/** A first authorization to delete lasts 7 days (Key Protect's dual authorization). */
const DELETION_AUTHORIZATION_DAYS = 7;
/** The most keys each check reads; beyond it the list says how many it checked. */
export const ATTENTION_SCAN_LIMIT = 1000;
const PAGE_SIZE = 250;

export interface Checked<T> {
  items: T[];
  /** Keys read. */
  checked: number;
  /** Keys the check could have read; more than `checked` when the scan limit cut it short. */
  total: number;
  /** Whether the ordering proved that no unread key qualifies. */
  complete: boolean;
}

export interface Expiring {
  key: KeyInfo;
  expiresAt: number;
}

export interface RotationComing {
  key: KeyInfo;
  /** When the key's rotation policy asks for a new version; in the past when it is already due. */
  rotatesAt: number;
}

export interface PendingDeletion {
  key: KeyInfo;
  /** When the first authorization lapses unless someone completes the deletion. */
  authorizationExpiresAt: number;
}

export interface RestoreClosing {
  key: KeyInfo;
  restorableUntil: number;
}

/** An import token about to expire while it can still be retrieved: someone may be mid-import. */
export interface ImportTokenExpiring {
  expiresAt: number;
  remaining: number;
  max: number;
}

/**
 * How far ahead an import token's expiry is flagged: the last five minutes. Tokens live 10 minutes
 * by default, so a wider window would flag every fresh token for its whole life.
 */
export const IMPORT_TOKEN_WARNING_MS = 5 * 60 * 1000;

export interface Attention {
  /** The time the checks counted from, for the countdowns. */
  now: number;
  /** How many days ahead the expiry and rotation checks looked. */
  warnDays: number;
  expiring: Checked<Expiring>;
  rotating: Checked<RotationComing>;
  pendingDeletion: Checked<PendingDeletion>;
  restoreClosing: Checked<RestoreClosing>;
  /** Absent when there is no token, it is spent or expired already, or the keystore cannot say. */
  importToken?: ImportTokenExpiring;
}

type Filter = Omit<ListKeysRequest, "offset" | "limit">;

/**
 * Reads keys in the filter's order until `done` says no later key can qualify, the list ends,
 * or the scan limit is reached; keeps what `pick` returns.
 */
async function scan<T>(
  backend: Backend,
  filter: Filter,
  pick: (key: KeyInfo) => T | undefined,
  done: (key: KeyInfo) => boolean,
): Promise<Checked<T>> {
  const items: T[] = [];
  let checked = 0;
  let total = 0;
  while (checked < ATTENTION_SCAN_LIMIT) {
    const page = await backend.listKeys({ ...filter, offset: checked, limit: Math.min(PAGE_SIZE, ATTENTION_SCAN_LIMIT - checked) });
    total = page.total;
    for (const key of page.keys) {
      checked += 1;
      if (done(key)) return { items, checked, total, complete: true };
      const item = pick(key);
      if (item !== undefined) items.push(item);
    }
    if (page.keys.length === 0 || checked >= total) return { items, checked, total, complete: true };
  }
  return { items, checked, total, complete: checked >= total };
}

const time = (rfc3339: string | undefined) => (rfc3339 === undefined ? Number.NaN : Date.parse(rfc3339));

/**
 * Live keys whose expiry falls within `warnDays` days, soonest first. Latest expiry comes first
 * in the listing, so reading stops at the first key already expired.
 */
export function expiringKeys(backend: Backend, now: number, warnDays = DEFAULT_WARN_DAYS): Promise<Checked<Expiring>> {
  const horizon = now + warnDays * DAY_MS;
  return scan<Expiring>(
    backend,
    { states: ["active", "suspended"], sort: [{ field: "expirationDate", descending: true }] },
    (key) => {
      const expiresAt = time(key.expiresAt);
      return expiresAt > now && expiresAt <= horizon ? { key, expiresAt } : undefined;
    },
    (key) => time(key.expiresAt) <= now,
  ).then((result) => ({ ...result, items: result.items.sort((a, b) => a.expiresAt - b.expiresAt) }));
}

/**
 * When an enabled rotation policy asks for the key's next version: its interval (30-day months)
 * after the last rotation, or after creation if it was never rotated; the keystore's rule.
 */
export function scheduledRotation(key: KeyInfo): number | undefined {
  return nextRotationAt(key, key.rotation)?.getTime();
}

/**
 * Active root keys whose rotation policy asks for a new version within `warnDays` days, or
 * already did, soonest first. No listing order bounds where such keys are, so this reads up to
 * the scan limit, least recently rotated first.
 */
export function rotationsComing(backend: Backend, now: number, warnDays = DEFAULT_WARN_DAYS): Promise<Checked<RotationComing>> {
  const horizon = now + warnDays * DAY_MS;
  return scan<RotationComing>(
    backend,
    { states: ["active"], keyType: "root", sort: [{ field: "lastRotateDate", descending: false }] },
    (key) => {
      const rotatesAt = scheduledRotation(key);
      return rotatesAt !== undefined && (rotatesAt <= horizon || key.rotationDue) ? { key, rotatesAt } : undefined;
    },
    () => false,
  ).then((result) => ({ ...result, items: result.items.sort((a, b) => a.rotatesAt - b.rotatesAt) }));
}

/**
 * Keys with a first authorization to delete that has not lapsed, lapsing soonest first.
 * Authorizing updates the key, so reading newest-updated first can stop at keys untouched for
 * longer than an authorization lasts.
 */
export function pendingDeletions(backend: Backend, now: number): Promise<Checked<PendingDeletion>> {
  const oldest = now - DELETION_AUTHORIZATION_DAYS * DAY_MS;
  return scan<PendingDeletion>(
    backend,
    { states: ["active", "suspended", "deactivated"], sort: [{ field: "lastUpdateDate", descending: true }] },
    (key) => {
      const lapses = time(key.dualAuthDelete.authExpiration);
      return key.dualAuthDelete.keySetForDeletion && lapses > now ? { key, authorizationExpiresAt: lapses } : undefined;
    },
    (key) => time(key.updatedAt) < oldest,
  ).then((result) => ({
    ...result,
    items: result.items.sort((a, b) => a.authorizationExpiresAt - b.authorizationExpiresAt),
  }));
}

/**
 * Destroyed keys that can be restored for at most {@link RESTORE_WARNING_DAYS} more days,
 * closing soonest first. Newest deletions come first, so reading stops at the first key whose
 * window has already closed.
 */
export function restoreWindowsClosing(backend: Backend, now: number): Promise<Checked<RestoreClosing>> {
  const closes = (key: KeyInfo) => restorableUntil(key)?.getTime() ?? Number.NaN;
  return scan<RestoreClosing>(
    backend,
    { states: ["destroyed"], sort: [{ field: "deletionDate", descending: true }] },
    (key) => {
      const until = closes(key);
      return until > now && until <= now + RESTORE_WARNING_DAYS * DAY_MS ? { key, restorableUntil: until } : undefined;
    },
    (key) => closes(key) <= now,
  ).then((result) => ({ ...result, items: result.items.sort((a, b) => a.restorableUntil - b.restorableUntil) }));
}

/**
 * The import token, when it expires within five minutes with retrievals left. Read through the status
 * call, which spends no retrieval; any refusal (no token, a Reader, IBM Key Protect) just means
 * nothing to show.
 */
export async function importTokenExpiring(backend: Backend, now: number): Promise<ImportTokenExpiring | undefined> {
  try {
    const token = await backend.importTokenStatus();
    const expiresAt = time(token.expirationDate);
    const live = expiresAt > now && token.remainingRetrievals > 0;
    return live && expiresAt - now <= IMPORT_TOKEN_WARNING_MS
      ? { expiresAt, remaining: token.remainingRetrievals, max: token.maxAllowedRetrievals }
      : undefined;
  } catch {
    return undefined;
  }
}

export async function loadAttention(
  backend: Backend,
  now: number = keystoreNow(),
  warnDays = DEFAULT_WARN_DAYS,
): Promise<Attention> {
  const [expiring, rotating, pendingDeletion, restoreClosing, importToken] = await Promise.all([
    expiringKeys(backend, now, warnDays),
    rotationsComing(backend, now, warnDays),
    pendingDeletions(backend, now),
    restoreWindowsClosing(backend, now),
    importTokenExpiring(backend, now),
  ]);
  return {
    now,
    warnDays,
    expiring,
    rotating,
    pendingDeletion,
    restoreClosing,
    ...(importToken === undefined ? {} : { importToken }),
  };
}

/** "6 d 23 h", "3 h 12 min", "4 min": a countdown precise enough to act on. */
export function timeLeft(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes % 60} min`;
  return `${minutes} min`;
}
