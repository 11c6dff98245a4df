import { useCallback, useMemo, useState, type ReactNode } from "react";
import { setFormatLocale } from "../format";
import { PreferencesContext } from "./context";
import { formatLocaleOf, readPreferences, writePreferences, type Preferences } from "./preferences";

/** Holds the person's preferences for everything below it, read from and saved to localStorage. */
export function PreferencesProvider({ children }: { children: ReactNode }) {
  const [preferences, setPreferences] = useState<Preferences>(readPreferences);
  // Dates and numbers are written in the chosen locale. It is set here, while the provider renders
  // and so before anything below it formats: on the first render (from what was stored) and on
  // every change. The app reads this context, so a change re-renders it with the new formats.
  setFormatLocale(formatLocaleOf(preferences.locale));
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
