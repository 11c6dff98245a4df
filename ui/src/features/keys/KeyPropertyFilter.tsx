import { MultiSelect } from "@carbon/react";
import { KEY_PROPERTIES, PROPERTY_LABELS, type KeyProperty } from "./filterChips";

interface Props {
  properties: readonly KeyProperty[];
  onChange: (properties: KeyProperty[]) => void;
}

const PROPERTY_TITLES: Record<KeyProperty, string> = {
  imported: "Keys whose material was imported rather than generated",
  dualAuthDelete: "Keys whose deletion needs a second approver",
  rotationDue: "Root keys their rotation policy says are due now",
};

/**
 * Properties a key must have to be listed. The keystore filters (Key Protect's console has
 * no such filters); against an instance that cannot, the table says so instead of showing
 * every key as if it matched.
 */
export function KeyPropertyFilter({ properties, onChange }: Props) {
  return (
    <MultiSelect<KeyProperty>
      id="key-property-filter"
      className="key-table__filter key-table__filter--properties"
      titleText="Key properties"
      hideLabel
      label="Properties"
      type="inline"
      size="lg"
      items={[...KEY_PROPERTIES]}
      selectedItems={KEY_PROPERTIES.filter((property) => properties.includes(property))}
      sortItems={(items) => [...items]}
      selectionFeedback="fixed"
      itemToString={(property) => PROPERTY_LABELS[property]}
      itemToElement={(property) => <span title={PROPERTY_TITLES[property]}>{PROPERTY_LABELS[property]}</span>}
      onChange={({ selectedItems }) => onChange(selectedItems ?? [])}
    />
  );
}
