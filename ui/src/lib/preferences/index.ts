export {
  DEFAULT_PREFERENCES,
  KEY_TABLE_COLUMNS,
  PREFERENCES_STORAGE_KEY,
  TABLE_DENSITIES,
  THEME_CHOICES,
  WARN_DAYS_MAX,
  WARN_DAYS_MIN,
  isWarnDays,
  type KeyTableColumn,
  type Preferences,
  type TableDensity,
  type TableSize,
  type ThemeChoice,
} from "./preferences";
export { PreferencesProvider } from "./PreferencesProvider";
export { useCarbonTheme, useKeyColumns, usePreferences, useTableSize, useWarnDays } from "./usePreferences";
