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
    expect(stored()).toEqual({ theme: "dark", warnDays: 30, density: "xs", keyColumns: ["lastRotatedAt"] });
  });

  it("starts from what was remembered", () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ theme: "light", warnDays: 60, density: "md" }));
    renderWithBackend(<PreferencesPage />, fakeBackend());
    expect(byId("preferences-warn-days")).toHaveValue(60);
    expect(byId("preferences-density")).toHaveValue("md");
    expect(byId("preferences-theme-light")).toBeChecked();
  });
});
