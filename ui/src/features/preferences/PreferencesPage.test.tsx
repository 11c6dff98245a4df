import { fireEvent, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";
import { PREFERENCES_STORAGE_KEY } from "../../lib/preferences";
import { fakeBackend } from "../../test/fakeBackend";
import { renderWithBackend } from "../../test/render";
import { PreferencesPage } from "./PreferencesPage";

const byId = (id: string) => {
  const element = document.getElementById(id);
  if (element === null) throw new Error(`#${id} is not in the document`);
  return element;
};

const stored = () => JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "null") as unknown;

describe("PreferencesPage", () => {
  afterEach(() => window.localStorage.clear());

  it("shows the defaults: 30 warn days, each table's own density, the system's theme", () => {
    renderWithBackend(<PreferencesPage />, fakeBackend());
    expect(byId("preferences-warn-days")).toHaveValue(30);
    expect(byId("preferences-density")).toHaveValue("default");
    expect(byId("preferences-theme-system")).toBeChecked();
    expect(byId("preferences-theme")).toBeInTheDocument();
    expect(byId("preferences-locale")).toHaveValue("system");
  });

  it("remembers a valid number of warn days, and refuses one out of range", () => {
    renderWithBackend(<PreferencesPage />, fakeBackend());
    const input = byId("preferences-warn-days");

    fireEvent.change(input, { target: { value: "14" } });
    expect(stored()).toMatchObject({ warnDays: 14 });

    fireEvent.change(input, { target: { value: "400" } });
    expect(screen.getByText("Choose a whole number of days from 1 to 365.")).toBeInTheDocument();
    expect(stored()).toMatchObject({ warnDays: 14 });

    fireEvent.change(input, { target: { value: "" } });
    expect(stored()).toMatchObject({ warnDays: 14 });
  });

  it("remembers the table density and the theme", async () => {
    const user = userEvent.setup();
    renderWithBackend(<PreferencesPage />, fakeBackend());
    await user.selectOptions(byId("preferences-density"), "xs");
    await user.click(byId("preferences-theme-dark"));
    expect(stored()).toEqual({ theme: "dark", warnDays: 30, density: "xs", keyColumns: ["lastRotatedAt"], locale: "system" });
  });

  it("offers each format for dates and numbers in its own language, with today and a number written in it", () => {
    renderWithBackend(<PreferencesPage />, fakeBackend());
    const select = byId("preferences-locale");
    expect(select).toHaveAccessibleName("Dates and numbers");
    expect(
      screen.getByText("Strongroom's text is in English; this changes how dates, times and numbers are written."),
    ).toBeInTheDocument();
    const options = [...select.querySelectorAll("option")];
    expect(options.map((option) => option.value)).toEqual([
      "system",
      "en-US",
      "en-GB",
      "de-DE",
      "fr-FR",
      "es-ES",
      "ja-JP",
      "zh-CN",
      "pt-BR",
    ]);
    const text = (value: string) => options.find((option) => option.value === value)?.textContent;
    expect(text("system")).toMatch(/^Same as the operating system — /);
    expect(text("de-DE")).toMatch(/^Deutsch \(Deutschland\) — \d{2}\.\d{2}\.\d{4}, 1\.234,5$/);
    expect(text("en-US")).toMatch(/^English \(United States\) — \d{2}\/\d{2}\/\d{4}, 1,234\.5$/);
    expect(text("ja-JP")).toMatch(/^日本語 \(日本\) — \d{4}\/\d{2}\/\d{2}, 1,234\.5$/);
    // Today's date, not a fixed one.
    const today = new Date();
    expect(text("en-GB")).toContain(
      `${String(today.getDate()).padStart(2, "0")}/${String(today.getMonth() + 1).padStart(2, "0")}/${today.getFullYear()}`,
    );
    // Each option is read aloud in its own language.
    expect(options.find((option) => option.value === "fr-FR")).toHaveAttribute("lang", "fr-FR");
    expect(options.find((option) => option.value === "system")).not.toHaveAttribute("lang");
  });

  it("remembers the format for dates and numbers, and can follow the system again", async () => {
    const user = userEvent.setup();
    renderWithBackend(<PreferencesPage />, fakeBackend());
    await user.selectOptions(byId("preferences-locale"), "de-DE");
    expect(byId("preferences-locale")).toHaveValue("de-DE");
    expect(stored()).toMatchObject({ locale: "de-DE" });
    await user.selectOptions(byId("preferences-locale"), "system");
    expect(stored()).toMatchObject({ locale: "system" });
  });

  it("starts from what was remembered", () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ theme: "light", warnDays: 60, density: "md", locale: "pt-BR" }));
    renderWithBackend(<PreferencesPage />, fakeBackend());
    expect(byId("preferences-warn-days")).toHaveValue(60);
    expect(byId("preferences-density")).toHaveValue("md");
    expect(byId("preferences-theme-light")).toBeChecked();
    expect(byId("preferences-locale")).toHaveValue("pt-BR");
  });
});
