import { describe, expect, it } from "vitest";
import { ACTION_GRACE_MS, TOAST_TIMEOUT_MS, toastTimeout } from "./toastTimeout";

const NOW = Date.parse("2026-03-01T10:00:00Z");
const onClick = () => undefined;

describe("toastTimeout", () => {
  it("lets plain successes and infos fade, and keeps errors and warnings", () => {
    expect(toastTimeout({ kind: "success", title: "t" }, NOW)).toBe(TOAST_TIMEOUT_MS);
    expect(toastTimeout({ kind: "info", title: "t" }, NOW)).toBe(TOAST_TIMEOUT_MS);
    expect(toastTimeout({ kind: "error", title: "t" }, NOW)).toBe(0);
    expect(toastTimeout({ kind: "warning", title: "t", action: { label: "a", onClick } }, NOW)).toBe(0);
  });

  it("keeps an action on screen until it has been usable for a while", () => {
    const availableAt = new Date(NOW + 30_000);
    expect(toastTimeout({ kind: "success", title: "t", action: { label: "Re-enable", availableAt, onClick } }, NOW)).toBe(
      30_000 + ACTION_GRACE_MS,
    );
    expect(toastTimeout({ kind: "success", title: "t", action: { label: "Undo", onClick } }, NOW)).toBe(ACTION_GRACE_MS);
    const past = new Date(NOW - 60_000);
    expect(toastTimeout({ kind: "info", title: "t", action: { label: "Undo", availableAt: past, onClick } }, NOW)).toBe(
      ACTION_GRACE_MS,
    );
  });
});
