import { MultiSelect } from "@carbon/react";
import { ALL_STATES, STATE_LABELS, stateTitle } from "../../lib/format";
import type { KeyStateName } from "../../lib/types";
import { filtersStates, statesToList } from "./filterChips";

interface Props {
  states: readonly KeyStateName[];
  onChange: (states: KeyStateName[]) => void;
}

function StateItem({ state }: { state: KeyStateName }) {
  return <span title={`${STATE_LABELS[state]} · ${stateTitle(state)}`}>{STATE_LABELS[state]}</span>;
}

/**
 * The key table's state filter: any mix of the four non-purged states, all of them to start
 * with, so no key is hidden without the person asking (Key Protect's console shows Enabled only).
 */
export function KeyStateFilter({ states, onChange }: Props) {
  const chosen = statesToList(states);
  const narrowed = filtersStates(states);
  return (
    <MultiSelect<KeyStateName>
      id="key-state-filter"
      // Carbon always shows a count badge for a selection; every state chosen is the default,
      // not a filter, so the badge (and its clear button, which would change nothing) is hidden.
      className={`key-table__filter key-table__filter--states${narrowed ? "" : " key-table__filter--all-states"}`}
      titleText="State"
      hideLabel
      label={narrowed ? "States" : "All states"}
      type="inline"
      size="lg"
      items={ALL_STATES}
      selectedItems={chosen}
      // The menu keeps the lifecycle order, chosen or not.
      sortItems={(items) => [...items]}
      selectionFeedback="fixed"
      itemToString={(state) => STATE_LABELS[state]}
      itemToElement={(state) => <StateItem state={state} />}
      onChange={({ selectedItems }) => onChange(selectedItems ?? [])}
    />
  );
}
