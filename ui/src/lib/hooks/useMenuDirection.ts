import { useState, type KeyboardEvent, type PointerEvent } from "react";

export type MenuDirection = "top" | "bottom";

/** Opens downwards from the upper half of the window, upwards from the lower half. */
export function directionFor(triggerTop: number, windowHeight: number): MenuDirection {
  return triggerTop > windowHeight / 2 ? "top" : "bottom";
}

/**
 * Which way a long menu should open, decided just before it opens (a pointer press or a key
 * on its trigger), from where the trigger sits in the window. Spread `openIntent` on an element
 * wrapping the menu.
 */
export function useMenuDirection() {
  const [direction, setDirection] = useState<MenuDirection>("bottom");
  const measure = (element: Element) => {
    setDirection(directionFor(element.getBoundingClientRect().top, window.innerHeight));
  };
  return {
    direction,
    openIntent: {
      onPointerDownCapture: (event: PointerEvent<HTMLElement>) => measure(event.currentTarget),
      onKeyDownCapture: (event: KeyboardEvent<HTMLElement>) => measure(event.currentTarget),
    },
  };
}
