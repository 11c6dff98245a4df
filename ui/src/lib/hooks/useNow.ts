import { useEffect, useState } from "react";
import { keystoreNow } from "../clock";

/** The current time in milliseconds, refreshed every `intervalMs` for countdowns. */
export function useNow(intervalMs: number): number {
  const [now, setNow] = useState(() => keystoreNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(keystoreNow()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
