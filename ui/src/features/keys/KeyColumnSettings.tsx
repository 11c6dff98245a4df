import { Checkbox, CheckboxGroup, Popover, PopoverContent } from "@carbon/react";
import { Settings } from "@carbon/icons-react";
import { useState, type KeyboardEvent } from "react";
import { KEY_TABLE_COLUMNS, useKeyColumns } from "../../lib/preferences";
import { OPTIONAL_HEADERS, toggleColumn } from "./keyColumns";

/**
 * The key table's column settings: which optional columns show, remembered in the preferences.
 * A controlled Popover rather than a Toggletip: in a real browser a Toggletip closes when
 * focus leaves its button, so a click on a checkbox's label closed it before the box changed.
 */
export function KeyColumnSettings() {
  const [shown, setShown] = useKeyColumns();
  const [open, setOpen] = useState(false);
  const closeOnEscape = (event: KeyboardEvent) => {
    if (event.key === "Escape") {
      setOpen(false);
      document.getElementById("key-table-columns")?.focus();
    }
  };
  return (
    <Popover
      open={open}
      align="bottom-right"
      className="key-table__columns"
      onRequestClose={() => setOpen(false)}
      onKeyDown={closeOnEscape}
    >
      <button
        id="key-table-columns"
        type="button"
        className="key-table__columns-button"
        aria-label="Columns"
        title="Columns"
        aria-expanded={open}
        aria-controls="key-table-columns-list"
        onClick={() => setOpen((was) => !was)}
      >
        <Settings />
      </button>
      <PopoverContent id="key-table-columns-list" className="key-table__columns-content">
        <CheckboxGroup legendText="Optional columns" className="key-table__columns-list">
          {KEY_TABLE_COLUMNS.map((column) => (
            <Checkbox
              key={column}
              id={`key-table-column-${column}`}
              labelText={OPTIONAL_HEADERS[column].header}
              checked={shown.includes(column)}
              onChange={(_event, { checked }) => setShown(toggleColumn(shown, column, checked))}
            />
          ))}
        </CheckboxGroup>
      </PopoverContent>
    </Popover>
  );
}
