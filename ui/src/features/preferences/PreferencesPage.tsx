import { NumberInput, RadioButton, RadioButtonGroup, Select, SelectItem, Stack, Tile } from "@carbon/react";
import { useState } from "react";
import { formatNumber, formatNumericDay } from "../../lib/format";
import {
  formatLocaleOf,
  isWarnDays,
  LOCALE_CHOICES,
  TABLE_DENSITIES,
  THEME_CHOICES,
  usePreferences,
  WARN_DAYS_MAX,
  WARN_DAYS_MIN,
  type LocaleChoice,
  type TableDensity,
  type ThemeChoice,
} from "../../lib/preferences";

const THEME_LABELS: Record<ThemeChoice, string> = {
  system: "Same as the operating system",
  light: "Light",
  dark: "Dark",
};

const DENSITY_LABELS: Record<TableDensity, string> = {
  default: "As designed (each table's own)",
  xs: "Extra small rows",
  sm: "Small rows",
  md: "Medium rows",
  lg: "Large rows",
};

/** Each format named in its own language, so a person finds theirs without reading English. */
const LOCALE_NAMES: Record<LocaleChoice, string> = {
  system: "Same as the operating system",
  "en-US": "English (United States)",
  "en-GB": "English (United Kingdom)",
  "de-DE": "Deutsch (Deutschland)",
  "fr-FR": "Français (France)",
  "es-ES": "Español (España)",
  "ja-JP": "日本語 (日本)",
  "zh-CN": "中文 (中国)",
  "pt-BR": "Português (Brasil)",
};

/** The number each choice shows how it writes: thousands and decimals both. */
const SAMPLE_NUMBER = 1234.5;

/** "Deutsch (Deutschland) — 30.11.2026, 1.234,5": the name, then today and a number in that format. */
function localeLabel(choice: LocaleChoice, today: Date): string {
  const locale = formatLocaleOf(choice);
  return `${LOCALE_NAMES[choice]} — ${formatNumericDay(today, locale)}, ${formatNumber(SAMPLE_NUMBER, undefined, locale)}`;
}

const isDensity = (value: string): value is TableDensity => TABLE_DENSITIES.some((density) => density === value);
const isLocaleChoice = (value: string): value is LocaleChoice => LOCALE_CHOICES.some((choice) => choice === value);
const isThemeChoice = (value: unknown): value is ThemeChoice => THEME_CHOICES.some((choice) => choice === value);

/** How this console looks and warns; kept on this computer (localStorage), never on the keystore. */
export function PreferencesPage() {
  const { preferences, update } = usePreferences();
  // What is typed, which may be out of range for a moment; only valid numbers are kept.
  const [warnDays, setWarnDays] = useState<number | "">(preferences.warnDays);
  const warnDaysValid = isWarnDays(warnDays);
  const today = new Date();

  return (
    <div className="app-page app-page--narrow">
      <header className="app-page__header">
        <h1 className="app-page__title">Preferences</h1>
        <p className="app-page__intro">
          How this console looks and when it warns. They are kept in this browser or app on this computer and apply to
          every connection; changes take effect at once.
        </p>
      </header>
      <Tile className="preferences">
        <Stack gap={7}>
          <NumberInput
            id="preferences-warn-days"
            label="Warn days"
            helperText="The dashboard lists keys that expire, or whose rotation policy rotates them, within this many days."
            min={WARN_DAYS_MIN}
            max={WARN_DAYS_MAX}
            step={1}
            allowEmpty
            value={warnDays}
            invalid={!warnDaysValid}
            invalidText={`Choose a whole number of days from ${WARN_DAYS_MIN} to ${WARN_DAYS_MAX}.`}
            onChange={(_event, { value }) => {
              const next = value === "" || value === undefined ? "" : Number(value);
              setWarnDays(next);
              if (isWarnDays(next)) update({ warnDays: next });
            }}
          />
          <Select
            id="preferences-density"
            labelText="Table density"
            helperText="Row height of the audit log, authorizations, aliases and key tables."
            value={preferences.density}
            onChange={(event) => {
              if (isDensity(event.target.value)) update({ density: event.target.value });
            }}
          >
            {TABLE_DENSITIES.map((density) => (
              <SelectItem key={density} value={density} text={DENSITY_LABELS[density]} />
            ))}
          </Select>
          <Select
            id="preferences-locale"
            labelText="Dates and numbers"
            helperText="Strongroom's text is in English; this changes how dates, times and numbers are written."
            value={preferences.locale}
            onChange={(event) => {
              if (isLocaleChoice(event.target.value)) update({ locale: event.target.value });
            }}
          >
            {LOCALE_CHOICES.map((choice) => (
              <SelectItem
                key={choice}
                value={choice}
                text={localeLabel(choice, today)}
                // Read aloud in its own language; the operating system's choice is English text.
                {...(choice === "system" ? {} : { lang: choice })}
              />
            ))}
          </Select>
          <RadioButtonGroup
            id="preferences-theme"
            legendText="Theme"
            name="preferences-theme"
            orientation="vertical"
            valueSelected={preferences.theme}
            onChange={(value) => {
              if (isThemeChoice(value)) update({ theme: value });
            }}
          >
            {THEME_CHOICES.map((choice) => (
              <RadioButton key={choice} id={`preferences-theme-${choice}`} labelText={THEME_LABELS[choice]} value={choice} />
            ))}
          </RadioButtonGroup>
        </Stack>
      </Tile>
    </div>
  );
}
