import { useCallback, useState } from "react";

/** Reads a remembered choice; storage may be missing or blocked, which is not an error. */
function read<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const stored = window.localStorage.getItem(key);
    return allowed.find((value) => value === stored) ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * A small preference (a page, a theme) kept in localStorage across launches. Only values in
 * `allowed` are ever returned, so a stale or tampered entry falls back to `fallback`.
 * Never use this for secrets.
 */
export function useStoredState<T extends string>(key: string, allowed: readonly T[], fallback: T): [T, (value: T) => void] {
  const [value, setValue] = useState<T>(() => read(key, allowed, fallback));
  const store = useCallback(
    (next: T) => {
      setValue(next);
      try {
        window.localStorage.setItem(key, next);
      } catch {
        // Not remembered this time; the choice still applies.
      }
    },
    [key],
  );
  return [value, store];
}
