import { Tag } from "@carbon/react";
import { STATE_LABELS, stateTitle } from "../lib/format";
import type { KeyStateName } from "../lib/types";

const TAG_TYPES = {
  active: "green",
  suspended: "purple",
  deactivated: "cool-gray",
  destroyed: "red",
} as const satisfies Record<KeyStateName, string>;

export function KeyStateTag({ state }: { state: KeyStateName }) {
  // Carbon's Tag drops its own `title` and titles its label with the text, so the hover text
  // sits on an inner element to win over both.
  return (
    <Tag type={TAG_TYPES[state]} size="sm" data-state={state}>
      <span title={stateTitle(state)}>{STATE_LABELS[state]}</span>
    </Tag>
  );
}
