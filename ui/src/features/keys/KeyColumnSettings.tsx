import { Checkbox, CheckboxGroup, Toggletip, ToggletipButton, ToggletipContent } from "@carbon/react";
import { Settings } from "@carbon/icons-react";
import { KEY_TABLE_COLUMNS, useKeyColumns } from "../../lib/preferences";
import { OPTIONAL_HEADERS, toggleColumn } from "./keyColumns";

/** The key table's column settings: which optional columns show, remembered in the preferences. */
export function KeyColumnSettings() {
  const [shown, setShown] = useKeyColumns();
  return (
    <Toggletip align="bottom-right" className="key-table__columns">
      <ToggletipButton id="key-table-columns" label="Columns">
        <Settings />
      </ToggletipButton>
      <ToggletipContent>
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
      </ToggletipContent>
    </Toggletip>
  );
}
