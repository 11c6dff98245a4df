import { act, renderHook } from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { formatLocale, formatNumber, setFormatLocale } from "../format";
import { LEGACY_THEME_STORAGE_KEY, PREFERENCES_STORAGE_KEY } from "./preferences";
import { PreferencesProvider } from "./PreferencesProvider";
import { useCarbonTheme, useKeyColumns, usePreferences, useTableSize, useWarnDays } from "./usePreferences";

const wrapper = ({ children }: { children: ReactNode }) => <PreferencesProvider>{children}</PreferencesProvider>;

function stored(): unknown {
  return JSON.parse(window.localStorage.getItem(PREFERENCES_STORAGE_KEY) ?? "null");
}

describe("preferences hooks", () => {
  afterEach(() => {
    window.localStorage.clear();
    vi.restoreAllMocks();
    // The provider sets the module's locale; the next test starts from the system's.
    setFormatLocale(undefined);
  });

  it("applies a change everywhere below the provider and remembers it", () => {
    const { result } = renderHook(
      () => ({ state: usePreferences(), size: useTableSize("sm"), warnDays: useWarnDays() }),
      { wrapper },
    );
    expect(result.current.size).toBe("sm");
    expect(result.current.warnDays).toBe(30);

    act(() => result.current.state.update({ density: "lg", warnDays: 7 }));

    expect(result.current.size).toBe("lg");
    expect(result.current.warnDays).toBe(7);
    expect(stored()).toEqual({ theme: "system", warnDays: 7, density: "lg", keyColumns: ["lastRotatedAt"], locale: "system" });
  });

  it("starts from what was stored, ignoring what does not validate", () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ warnDays: 90, density: "huge" }));
    const { result } = renderHook(() => ({ size: useTableSize("md"), warnDays: useWarnDays() }), { wrapper });
    expect(result.current).toEqual({ size: "md", warnDays: 90 });
  });

  it("gives the defaults to readers outside a provider, but refuses to edit there", () => {
    const { result } = renderHook(() => ({ size: useTableSize("sm"), warnDays: useWarnDays() }));
    expect(result.current).toEqual({ size: "sm", warnDays: 30 });
    vi.spyOn(console, "error").mockImplementation(() => undefined);
    expect(() => renderHook(() => usePreferences())).toThrow(/PreferencesProvider/);
  });

  it("shows and remembers the key table's columns, and keeps the defaults outside a provider", () => {
    const { result } = renderHook(() => useKeyColumns(), { wrapper });
    expect(result.current[0]).toEqual(["lastRotatedAt"]);
    act(() => result.current[1](["updatedAt", "imported"]));
    expect(result.current[0]).toEqual(["updatedAt", "imported"]);
    expect(stored()).toMatchObject({ keyColumns: ["updatedAt", "imported"] });

    const outside = renderHook(() => useKeyColumns());
    act(() => outside.result.current[1]([]));
    expect(outside.result.current[0]).toEqual(["lastRotatedAt"]);
  });

  it("draws the stored theme, the legacy one, or the system's", () => {
    window.localStorage.setItem(LEGACY_THEME_STORAGE_KEY, "g100");
    const legacy = renderHook(() => useCarbonTheme(), { wrapper });
    expect(legacy.result.current).toBe("g100");
    legacy.unmount();

    window.localStorage.clear();
    vi.spyOn(window, "matchMedia").mockImplementation(
      (query: string) =>
        ({
          matches: query === "(prefers-color-scheme: dark)",
          media: query,
          addEventListener: () => undefined,
          removeEventListener: () => undefined,
        }) as unknown as MediaQueryList,
    );
    const system = renderHook(() => ({ theme: useCarbonTheme(), state: usePreferences() }), { wrapper });
    expect(system.result.current.theme).toBe("g100");
    act(() => system.result.current.state.update({ theme: "light" }));
    expect(system.result.current.theme).toBe("g10");
  });

  it("writes dates and numbers in the stored locale from the first render, and in a new one at once", () => {
    window.localStorage.setItem(PREFERENCES_STORAGE_KEY, JSON.stringify({ locale: "de-DE" }));
    const { result } = renderHook(() => ({ state: usePreferences(), number: formatNumber(1234) }), { wrapper });
    expect(formatLocale()).toBe("de-DE");
    expect(result.current.number).toBe("1.234");

    act(() => result.current.state.update({ locale: "en-US" }));
    expect(result.current.number).toBe("1,234");
    expect(stored()).toMatchObject({ locale: "en-US" });

    act(() => result.current.state.update({ locale: "system" }));
    expect(formatLocale()).toBeUndefined();
    expect(result.current.number).toBe((1234).toLocaleString());
  });

  it("keeps working when storage is blocked", () => {
    vi.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    const { result } = renderHook(() => ({ state: usePreferences(), warnDays: useWarnDays() }), { wrapper });
    expect(result.current.warnDays).toBe(30);
    act(() => result.current.state.update({ warnDays: 10 }));
    expect(result.current.warnDays).toBe(10);
  });
});
