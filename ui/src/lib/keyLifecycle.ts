import type { KeyInfo, RotationPolicyInfo } from "./types";

const SECOND_MS = 1000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * A destroyed key can be restored for 30 days after its deletion, and purged from 4 hours after it
 * (Key Protect's rules). The dates shown come from the keystore (`KeyInfo.deletionWindow`), which
 * refuses a purge before (PURGE_TOO_EARLY); these are for sentences, and for a keystore that sends no dates.
 */
export const RESTORE_WINDOW_DAYS = 30;
export const PURGE_DELAY_HOURS = 4;
/** Key Protect asks for 30 seconds between disabling a key and enabling it again. */
export const REENABLE_DELAY_SECONDS = 30;
/** A month of a rotation interval counts as 30 days (Key Protect's rule, and the keystore's). */
export const ROTATION_MONTH_DAYS = 30;

/** `rfc3339` moved by `ms`, or undefined when absent or unreadable. */
function after(rfc3339: string | undefined, ms: number): Date | undefined {
  if (rfc3339 === undefined) return undefined;
  const time = Date.parse(rfc3339);
  return Number.isNaN(time) ? undefined : new Date(time + ms);
}

/**
 * The end of a destroyed key's restore window: the keystore's date, or Key Protect's rule from the
 * deletion date where the keystore gives none (an older `strongroom serve`). Undefined without either.
 */
export function restorableUntil(key: Pick<KeyInfo, "deletionWindow" | "deletedAt">): Date | undefined {
  const window = key.deletionWindow;
  return window === undefined ? after(key.deletedAt, RESTORE_WINDOW_DAYS * DAY_MS) : after(window.restorableUntil, 0);
}

/** When a destroyed key may first be purged, found as `restorableUntil` is. */
export function purgeableFrom(key: Pick<KeyInfo, "deletionWindow" | "deletedAt">): Date | undefined {
  const window = key.deletionWindow;
  return window === undefined ? after(key.deletedAt, PURGE_DELAY_HOURS * HOUR_MS) : after(window.purgeableFrom, 0);
}

/** When a key disabled at `disabledAt` may be enabled again. */
export function reenableAt(disabledAt: Date): Date {
  return new Date(disabledAt.getTime() + REENABLE_DELAY_SECONDS * SECOND_MS);
}

/**
 * When a rotation policy makes a root key due: its last rotation (its creation if never rotated)
 * plus the interval. Undefined for a standard key, or without an enabled policy. The keystore
 * marks the key due then (`rotationDue`) and rotates it within the hour.
 */
export function nextRotationAt(
  key: Pick<KeyInfo, "keyType" | "createdAt" | "lastRotatedAt">,
  policy: RotationPolicyInfo | undefined,
): Date | undefined {
  if (key.keyType !== "root" || policy === undefined || !policy.enabled) return undefined;
  return after(key.lastRotatedAt ?? key.createdAt, policy.intervalMonth * ROTATION_MONTH_DAYS * DAY_MS);
}
