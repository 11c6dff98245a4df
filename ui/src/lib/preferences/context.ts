import { createContext } from "react";
import type { Preferences } from "./preferences";

export interface PreferencesState {
  preferences: Preferences;
  /** Applies and remembers the fields given. */
  update: (change: Partial<Preferences>) => void;
}

export const PreferencesContext = createContext<PreferencesState | null>(null);
