import { useCallback, useMemo, useState, type ReactNode } from "react";
import { PreferencesContext } from "./context";
import { readPreferences, writePreferences, type Preferences } from "./preferences";

/** Holds the person's preferences for everything below it, read from and saved to localStorage. */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [preferences, setPreferences] = useState<Preferences>(readPreferences);
  const update = useCallback(
    (change: Partial<Preferences>) => {
      const next = { ...preferences, ...change };
      setPreferences(next);
      writePreferences(next);
    },
    [preferences],
  );
  const state = useMemo(() => ({ preferences, update }), [preferences, update]);
  return <PreferencesContext value={state}>{children}</PreferencesContext>;
}
