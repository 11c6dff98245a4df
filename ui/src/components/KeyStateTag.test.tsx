import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { ALL_STATES, STATE_LABELS, STATE_NUMBERS, stateTitle } from "../lib/format";
import { KeyStateTag } from "./KeyStateTag";

describe("KeyStateTag", () => {
  it.each([
    ["active", "Active", 1],
    ["suspended", "Suspended (disabled)", 2],
    ["deactivated", "Deactivated (expired)", 3],
    ["destroyed", "Destroyed (deleted)", 5],
  ] as const)("shows %s as %s with Key Protect's state %i on hover", (state, label, number) => {
    const { container } = render(<KeyStateTag state={state} />);
    const text = screen.getByText(label);
    expect(text).toHaveAttribute("title", `Key Protect state ${number} (${state})`);
    expect(container.querySelector("[data-state]")).toHaveAttribute("data-state", state);
  });
});

describe("state vocabulary", () => {
  it("pairs each API state with the console's word and a distinct Key Protect number", () => {
    for (const state of ALL_STATES) {
      expect(STATE_LABELS[state].toLowerCase()).toContain(state);
      expect(stateTitle(state)).toContain(String(STATE_NUMBERS[state]));
    }
    expect(new Set(ALL_STATES.map((state) => STATE_NUMBERS[state])).size).toBe(ALL_STATES.length);
    expect(STATE_NUMBERS.destroyed).toBe(5);
  });
});
