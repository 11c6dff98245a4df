import type { LoggedNotice, Notice } from "./context";

/** How long a success or info toast stays without an action (Carbon suggests about 5 s). */
export const TOAST_TIMEOUT_MS = 6000;
/** How long an action stays on screen once it can be used. */
export const ACTION_GRACE_MS = 10_000;

/**
 * Milliseconds before a toast closes on its own; 0 means it waits to be closed. Errors and
 * warnings wait to be read. A toast with an action stays until the action has been usable for
 * {@link ACTION_GRACE_MS}, so a wait such as Key Protect's 30 s before re-enabling can be sat out.
 */
export function toastTimeout(notice: Notice, now: number): number {
  if (notice.kind === "error" || notice.kind === "warning") return 0;
  if (notice.action === undefined) return TOAST_TIMEOUT_MS;
  const usableFrom = Math.max(now, notice.action.availableAt?.getTime() ?? now);
  return Math.max(TOAST_TIMEOUT_MS, usableFrom - now + ACTION_GRACE_MS);
}

/**
 * The notices whose action's element id no newer notice uses: two disables in a row both offer
 * "Re-enable", and an element id must stay unique.
 */
export function newestById(notices: LoggedNotice[]): Set<number> {
  const seen = new Set<string>();
  const newest = new Set<number>();
  for (const notice of [...notices].sort((a, b) => b.id - a.id)) {
    const elementId = notice.action?.id;
    if (elementId === undefined || seen.has(elementId)) continue;
    seen.add(elementId);
    newest.add(notice.id);
  }
  return newest;
}
