import { useEffect, useRef } from "react";

function typingInto(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

/**
 * A one-key shortcut for the whole page (`/`, `n`), ignored while the person is typing in a
 * field or holds a modifier, and while a modal dialog is open.
 */
export function useShortcut(key: string, action: () => void): void {
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  });
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== key || event.ctrlKey || event.metaKey || event.altKey || typingInto(event.target)) return;
      if (document.querySelector(".cds--modal.is-visible") !== null) return;
      event.preventDefault();
      latest.current();
    };
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, [key]);
}

/** "/" moves focus to the search field with this id. */
export function useSlashToSearch(inputId: string): void {
  useShortcut("/", () => {
    const input = document.getElementById(inputId);
    if (input instanceof HTMLInputElement) input.focus();
  });
}
