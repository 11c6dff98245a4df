import type { Backend } from "./backend";
import { formatDuration } from "./format";

/**
 * How far the keystore's clock runs ahead of this computer's, in milliseconds: 0 unless a test
 * server's virtual clock was moved (`strongroom serve --virtual-clock`). Countdowns, due dates
 * and "expires soon" count in the keystore's time, because its rules do.
 */
let offsetMs = 0;

/** Now, in the keystore's time (milliseconds since the epoch, as `Date.now()`). */
export function keystoreNow(): number {
  return Date.now() + offsetMs;
}

/** Sets how far the keystore's clock runs ahead; negative offsets count as none. */
export function setKeystoreClockOffset(seconds: number): void {
  offsetMs = Math.max(0, seconds) * 1000;
}

/**
 * How far `backend`'s clock runs ahead, in seconds. A keystore that publishes no clock (IBM Key
 * Protect) or cannot be asked right now runs on the real time: 0.
 */
export async function loadKeystoreClockOffset(backend: Backend): Promise<number> {
  try {
    return (await backend.clock()).offsetSeconds;
  } catch {
    return 0;
  }
}

/** "31 d", "4 h", "2 d 3 h": how far ahead a clock runs, without a trailing zero unit. */
export function aheadLabel(offsetSeconds: number): string {
  return formatDuration(offsetSeconds * 1000).replace(/ 0 (h|min|s)$/, "");
}
