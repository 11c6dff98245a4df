import { act, renderHook } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { useReached } from "./useReached";

/** Lets fake time pass, and React render what it changed. */
const pass = (ms: number) => act(() => vi.advanceTimersByTimeAsync(ms));

describe("useReached", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T10:00:00Z"));
  });
  afterEach(() => vi.useRealTimers());

  it("turns true when the moment comes, not before", async () => {
    const { result } = renderHook(() => useReached(new Date("2026-03-01T10:00:30Z")));
    expect(result.current).toBe(false);
    await pass(29_000);
    expect(result.current).toBe(false);
    await pass(1_000);
    expect(result.current).toBe(true);
  });

  it("is true at once for a past moment or none", () => {
    expect(renderHook(() => useReached(new Date("2026-03-01T09:00:00Z"))).result.current).toBe(true);
    expect(renderHook(() => useReached(undefined)).result.current).toBe(true);
  });

  it("waits for moments beyond setTimeout's longest delay", async () => {
    const { result } = renderHook(() => useReached(new Date("2026-03-31T10:00:00Z")));
    await pass(29 * 86_400_000);
    expect(result.current).toBe(false);
    await pass(86_400_000);
    expect(result.current).toBe(true);
  });
});
