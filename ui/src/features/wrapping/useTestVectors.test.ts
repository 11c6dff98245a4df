import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testVectorsStorageKey, type NewTestVector } from "./testVectors";
import { useTestVectors } from "./useTestVectors";

const vector: NewTestVector = {
  label: "orders",
  keyId: "k1",
  keyVersion: "v1",
  ciphertext: "ZW52ZWxvcGUtdjEtb3BhcXVlLWJ5dGVz",
  aad: [],
};

describe("useTestVectors", () => {
  afterEach(() => {
    window.localStorage.clear();
    vi.restoreAllMocks();
  });

  it("reads the profile's list once the profile becomes known, and saves into it", () => {
    window.localStorage.setItem(
      testVectorsStorageKey("local"),
      JSON.stringify([{ ...vector, id: "old", savedAt: "2026-03-01T10:00:00Z" }]),
    );
    const { result, rerender } = renderHook(({ profileId }) => useTestVectors(profileId), {
      initialProps: { profileId: undefined as string | null | undefined },
    });
    expect(result.current.available).toBe(false);
    expect(result.current.vectors).toEqual([]);
    expect(result.current.save(vector)).toBe(false);

    rerender({ profileId: "local" });
    expect(result.current.available).toBe(true);
    expect(result.current.vectors.map((saved) => saved.id)).toEqual(["old"]);

    let kept = false;
    act(() => {
      kept = result.current.save(vector);
    });
    expect(kept).toBe(true);
    expect(result.current.vectors).toHaveLength(2);
    expect(JSON.parse(window.localStorage.getItem(testVectorsStorageKey("local")) ?? "[]")).toHaveLength(2);

    act(() => result.current.remove("old"));
    expect(result.current.vectors.map((saved) => saved.label)).toEqual(["orders"]);
  });

  it("reports a save that storage refused, and keeps the list as it was", () => {
    vi.spyOn(Storage.prototype, "setItem").mockImplementation(() => {
      throw new DOMException("full", "QuotaExceededError");
    });
    const { result } = renderHook(() => useTestVectors(null));
    let kept = true;
    act(() => {
      kept = result.current.save(vector);
    });
    expect(kept).toBe(false);
    expect(result.current.vectors).toEqual([]);
  });
});
