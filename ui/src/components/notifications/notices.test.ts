import { describe, expect, it } from "vitest";
import { ACTION_GRACE_MS, newestById, TOAST_TIMEOUT_MS, toastTimeout } from "./notices";

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

describe("newestById", () => {
  const at = new Date("2026-03-01T10:00:00Z");
  const notice = (id: number, actionId?: string) => ({
    id,
    at,
    kind: "success" as const,
    title: `n${id}`,
    ...(actionId === undefined ? {} : { action: { label: "Re-enable", id: actionId, onClick } }),
  });

  it("keeps an action's element id on the newest notice that uses it", () => {
    const notices = [notice(1, "toast-reenable"), notice(3, "toast-reenable"), notice(2, "toast-view-keys"), notice(4)];
    expect([...newestById(notices)].sort()).toEqual([2, 3]);
  });
});
