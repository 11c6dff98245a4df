import { use, useSyncExternalStore } from "react";
import { PreferencesContext, type PreferencesState } from "./context";
import { carbonTheme, DEFAULT_PREFERENCES, tableSize, type KeyTableColumn, type Preferences, type TableSize } from "./preferences";

/** The preferences and their setter, for the page that edits them. */
export function usePreferences(): PreferencesState {
  const state = use(PreferencesContext);
  if (state === null) {
    throw new Error("usePreferences must be called inside a PreferencesProvider");
  }
  return state;
}

/** Reading needs no provider: outside one, every preference has its default. */
function useCurrentPreferences(): Preferences {
  return use(PreferencesContext)?.preferences ?? DEFAULT_PREFERENCES;
}

/**
 * The `size` for a Carbon DataTable: the density the person chose, or `own` (the size the
 * table is designed for) when they left it at the default.
 */
export function useTableSize(own: TableSize): TableSize {
  return tableSize(useCurrentPreferences().density, own);
}

/** How many days ahead to warn of expiry and scheduled rotation. */
export function useWarnDays(): number {
  return useCurrentPreferences().warnDays;
}

const keepFor = () => undefined;

/**
 * The optional key table columns shown, and a setter that remembers the choice. Outside a
 * provider the defaults show and a choice is not kept.
 */
export function useKeyColumns(): [KeyTableColumn[], (columns: KeyTableColumn[]) => void] {
  const state = use(PreferencesContext);
  if (state === null) return [DEFAULT_PREFERENCES.keyColumns, keepFor];
  return [state.preferences.keyColumns, (keyColumns) => state.update({ keyColumns })];
}

const DARK_QUERY = "(prefers-color-scheme: dark)";

function subscribeToSystemTheme(onChange: () => void): () => void {
  if (typeof window.matchMedia !== "function") return () => undefined;
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener("change", onChange);
  return () => query.removeEventListener("change", onChange);
}

const systemIsDark = () => typeof window.matchMedia === "function" && window.matchMedia(DARK_QUERY).matches;

/** The Carbon theme to draw with; "system" follows the operating system as it changes. */
export function useCarbonTheme(): "g10" | "g100" {
  const { theme } = useCurrentPreferences();
  const systemDark = useSyncExternalStore(subscribeToSystemTheme, systemIsDark, () => false);
  return carbonTheme(theme, systemDark);
}
