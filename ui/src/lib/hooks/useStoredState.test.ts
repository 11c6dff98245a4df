import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { useStoredState } from "./useStoredState";

const THEMES = ["g10", "g100"] as const;

describe("useStoredState", () => {
  afterEach(() => window.localStorage.clear());

  it("starts from the remembered value and remembers changes", () => {
    window.localStorage.setItem("theme", "g100");
    const { result } = renderHook(() => useStoredState("theme", THEMES, "g10"));
    expect(result.current[0]).toBe("g100");
    act(() => result.current[1]("g10"));
    expect(result.current[0]).toBe("g10");
    expect(window.localStorage.getItem("theme")).toBe("g10");
  });

  it("falls back when nothing or something unknown is stored", () => {
    window.localStorage.setItem("theme", "neon");
    const { result } = renderHook(() => useStoredState("theme", THEMES, "g10"));
    expect(result.current[0]).toBe("g10");
  });

  it("still works when storage is blocked", () => {
    vi.spyOn(Storage.prototype, "getItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("blocked", "SecurityError");
    });
    const { result } = renderHook(() => useStoredState("theme", THEMES, "g10"));
    expect(result.current[0]).toBe("g10");
    act(() => result.current[1]("g100"));
    expect(result.current[0]).toBe("g100");
  });
});
