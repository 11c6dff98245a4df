import { Tag } from "@carbon/react";
import { STATE_LABELS } from "../lib/format";
import type { KeyStateName } from "../lib/types";

const TAG_TYPES = {
  active: "green",
  suspended: "purple",
  deactivated: "cool-gray",
  destroyed: "red",
} as const satisfies Record<KeyStateName, string>;

export function KeyStateTag({ state }: { state: KeyStateName }) {
  return (
    <Tag type={TAG_TYPES[state]} size="sm" data-state={state}>
      {STATE_LABELS[state]}
    </Tag>
  );
}
