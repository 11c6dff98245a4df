import { useEffect, useState } from "react";
import { useKeystoreClockOffset } from "../clock";

/** The keystore's current time in milliseconds, refreshed every `intervalMs` for countdowns. */
export function useNow(intervalMs: number): number {
  const offset = useKeystoreClockOffset();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now + offset;
}
