export {
  DEFAULT_PREFERENCES,
  KEY_TABLE_COLUMNS,
  LOCALE_CHOICES,
  PREFERENCES_STORAGE_KEY,
  TABLE_DENSITIES,
  THEME_CHOICES,
  WARN_DAYS_MAX,
  WARN_DAYS_MIN,
  formatLocaleOf,
  isWarnDays,
  type KeyTableColumn,
  type LocaleChoice,
  type Preferences,
  type TableDensity,
  type TableSize,
  type ThemeChoice,
} from "./preferences";
export { PreferencesProvider } from "./PreferencesProvider";
export { useCarbonTheme, useKeyColumns, usePreferences, useTableSize, useWarnDays } from "./usePreferences";
