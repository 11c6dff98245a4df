export {
  DEFAULT_PREFERENCES,
  PREFERENCES_STORAGE_KEY,
  TABLE_DENSITIES,
  THEME_CHOICES,
  WARN_DAYS_MAX,
  WARN_DAYS_MIN,
  isWarnDays,
  type Preferences,
  type TableDensity,
  type TableSize,
  type ThemeChoice,
} from "./preferences";
export { PreferencesProvider } from "./PreferencesProvider";
export { useCarbonTheme, usePreferences, useTableSize, useWarnDays } from "./usePreferences";
