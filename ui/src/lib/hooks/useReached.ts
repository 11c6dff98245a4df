import { useEffect, useState } from "react";
import { keystoreNow, useKeystoreClockOffset } from "../clock";

/** setTimeout's longest delay (about 24.8 days); a later moment is waited for in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Whether the moment `at` has come, flipping to true when it does: one timer, no ticking.
 * Undefined means no wait at all.
 */
export function useReached(at: Date | undefined): boolean {
  const target = at?.getTime();
  const offset = useKeystoreClockOffset();
  const [now, setNow] = useState(() => Date.now());
  const reached = target === undefined || now + offset >= target;
  useEffect(() => {
    if (target === undefined || reached) return;
    // Measured from the clock as it is now: `now` may be older than this effect.
    const timer = setTimeout(() => setNow(Date.now()), Math.min(Math.max(0, target - keystoreNow()), MAX_DELAY_MS));
    return () => clearTimeout(timer);
  }, [target, reached, now, offset]);
  return reached;
}
