import { Button, DismissibleTag } from "@carbon/react";
import type { FilterChip } from "./filterChips";

interface Props {
  chips: FilterChip[];
  onDismiss: (chip: FilterChip) => void;
  onClear: () => void;
}

/** The filters in force above the key table, each removable, and "Clear filters"; nothing without one. */
export function KeyFilterChips({ chips, onDismiss, onClear }: Props) {
  if (chips.length === 0) return null;
  return (
    <div className="key-table__chips" role="group" aria-label="Active filters" id="key-filter-chips">
      {chips.map((chip) => (
        <DismissibleTag
          key={chip.id}
          id={`key-filter-chip-${chip.id}`}
          size="md"
          type="gray"
          text={chip.label}
          title={`Remove filter ${chip.label}`}
          dismissTooltipLabel={`Remove filter ${chip.label}`}
          onClose={() => onDismiss(chip)}
        />
      ))}
      <Button id="key-filters-clear" kind="ghost" size="sm" onClick={onClear}>
        Clear filters
      </Button>
    </div>
  );
}
