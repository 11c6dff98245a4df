import { formatDay } from "../../lib/format";
import { nextRotationAt } from "../../lib/keyLifecycle";
import type { KeyInfo } from "../../lib/types";
import { stateRefusal } from "./stateRules";

const DAY_MS = 86_400_000;

/** What the key table's leading status column points out (KeyStore Explorer's shape column). */
export type KeyStatusKind = "rotation-due" | "expiring";

export interface KeyStatusNotice {
  kind: KeyStatusKind;
  /** When it falls due, in milliseconds; undefined for a rotation due with no policy date. */
  at: number | undefined;
  /** The sentence on hover, e.g. "Rotation due on 3 Mar 2026" or "Expires in 3 days". */
  label: string;
}

function expiresIn(left: number): string {
  const days = Math.floor(left / DAY_MS);
  if (days < 1) return "Expires in less than a day";
  return `Expires in ${days} ${days === 1 ? "day" : "days"}`;
}

/**
 * A root key that can rotate whose rotation policy asks for a new version within `warnDays`
 * days, or already did (or that the keystore marks due). Suspended and destroyed keys do not rotate.
 */
function rotationNotice(key: KeyInfo, horizon: number): KeyStatusNotice | undefined {
  if (stateRefusal("rotate", key) !== undefined) return undefined;
  const next = nextRotationAt(key, key.rotation)?.getTime();
  if (!key.rotationDue && (next === undefined || next > horizon)) return undefined;
  return { kind: "rotation-due", at: next, label: next === undefined ? "Rotation due" : `Rotation due on ${formatDay(next)}` };
}

/** A key still wrapping (active or suspended) that expires within `warnDays` days. */
function expiryNotice(key: KeyInfo, now: number, horizon: number): KeyStatusNotice | undefined {
  if (key.expiresAt === undefined || (key.state !== "active" && key.state !== "suspended")) return undefined;
  const at = Date.parse(key.expiresAt);
  if (Number.isNaN(at) || at <= now || at > horizon) return undefined;
  return { kind: "expiring", at, label: expiresIn(at - now) };
}

/** What needs attention on `key` within `warnDays` days of `now`, soonest first; empty for nothing. */
export function keyStatus(key: KeyInfo, warnDays: number, now: number): KeyStatusNotice[] {
  const horizon = now + warnDays * DAY_MS;
  const notices = [rotationNotice(key, horizon), expiryNotice(key, now, horizon)].filter(
    (notice): notice is KeyStatusNotice => notice !== undefined,
  );
  // A due rotation without a date is due already: it comes first.
  return notices.sort((a, b) => (a.at ?? -Infinity) - (b.at ?? -Infinity));
}
