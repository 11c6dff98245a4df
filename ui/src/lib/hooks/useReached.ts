import { useEffect, useState } from "react";
import { keystoreNow } from "../clock";

/** setTimeout's longest delay (about 24.8 days); a later moment is waited for in steps. */
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Whether the moment `at` has come, flipping to true when it does: one timer, no ticking.
 * Undefined means no wait at all.
 */
export function useReached(at: Date | undefined): boolean {
  const target = at?.getTime();
  const [now, setNow] = useState(() => keystoreNow());
  const reached = target === undefined || now >= target;
  useEffect(() => {
    if (target === undefined || reached) return;
    // Measured from the clock as it is now: `now` may be older than this effect.
    const timer = setTimeout(() => setNow(keystoreNow()), Math.min(Math.max(0, target - keystoreNow()), MAX_DELAY_MS));
    return () => clearTimeout(timer);
  }, [target, reached, now]);
  return reached;
}
