import { useSyncExternalStore } from "react";
import type { Backend } from "./backend";
import { formatDuration } from "./format";

/**
 * How far the keystore's clock runs ahead of this computer's, in milliseconds: 0 unless a test
 * server's virtual clock was moved (`strongroom serve --virtual-clock`). Countdowns, due dates
 * and "expires soon" count in the keystore's time, because its rules do.
 */
let offsetMs = 0;
const listeners = new Set<() => void>();

/** Now, in the keystore's time (milliseconds since the epoch, as `Date.now()`). */
export function keystoreNow(): number {
  return Date.now() + offsetMs;
}

/** Sets how far the keystore's clock runs ahead (negative counts as none), and tells whoever counts. */
export function setKeystoreClockOffset(seconds: number): void {
  const next = Math.max(0, seconds) * 1000;
  if (next === offsetMs) return;
  offsetMs = next;
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The offset, in milliseconds, re-rendering the caller when it changes: a countdown drawn before
 * the keystore's answer arrived (or before it moved again) is redrawn at once, not at its next tick.
 */
export function useKeystoreClockOffset(): number {
  return useSyncExternalStore(subscribe, () => offsetMs);
}

/** How far a keystore's clock runs ahead, and whether it may still move. */
export interface KeystoreClock {
  offsetSeconds: number;
  /** A test server's virtual clock, or one already moved: worth asking again. */
  mayMove: boolean;
}

/**
 * `backend`'s clock. A keystore that publishes none (IBM Key Protect) or cannot be asked right
 * now runs on the real time, and is not asked again until the next switch.
 */
export async function loadKeystoreClock(backend: Backend): Promise<KeystoreClock> {
  try {
    const clock = await backend.clock();
    return { offsetSeconds: clock.offsetSeconds, mayMove: clock.advanceable || clock.offsetSeconds > 0 };
  } catch {
    return { offsetSeconds: 0, mayMove: false };
  }
}

/** "31 d", "4 h", "2 d 3 h": how far ahead a clock runs, without a trailing zero unit. */
export function aheadLabel(offsetSeconds: number): string {
  return formatDuration(offsetSeconds * 1000).replace(/ 0 (h|min|s)$/, "");
}
