import { describe, expect, it } from "vitest";
import { DEFAULT_PREFERENCES, KEY_TABLE_COLUMNS } from "../../lib/preferences";
import { keyTableHeaders, toggleColumn } from "./keyColumns";

const names = (headers: { header: string }[]) => headers.map((header) => header.header);

describe("keyTableHeaders", () => {
  it("leads with the status, then Key Protect's default columns, ending with Last rotated, then the menu", () => {
    expect(names(keyTableHeaders(DEFAULT_PREFERENCES.keyColumns, false))).toEqual([
      "Status",
      "Name",
      "Key ID",
      "Key ring",
      "Aliases",
      "Type",
      "State",
      "Last rotated",
      "",
    ]);
  });

  it("offers Created as an optional column after Last rotated", () => {
    expect(names(keyTableHeaders(["createdAt", "lastRotatedAt"], false)).slice(7)).toEqual(["Last rotated", "Created", ""]);
    expect(names(keyTableHeaders(["createdAt"], false)).slice(7)).toEqual(["Created", ""]);
  });

  it("puts the chosen optional columns in the table's order, before the restore deadline", () => {
    expect(names(keyTableHeaders(["dualAuth", "expiresAt"], true)).slice(7)).toEqual(["Expiration", "Dual auth", "Restorable until", ""]);
  });

  it("sorts the date columns and Imported in the backend, not the policy columns", () => {
    const sortable = keyTableHeaders(KEY_TABLE_COLUMNS, false)
      .filter((header) => header.sortBy !== undefined)
      .map((header) => header.sortBy);
    expect(sortable).toEqual(["name", "keyType", "state", "lastRotateDate", "creationDate", "lastUpdateDate", "expirationDate", "imported"]);
  });
});

describe("toggleColumn", () => {
  it("adds a column in its place and takes one away", () => {
    expect(toggleColumn(["createdAt", "dualAuth"], "imported", true)).toEqual(["createdAt", "imported", "dualAuth"]);
    expect(toggleColumn(["createdAt", "dualAuth"], "createdAt", false)).toEqual(["dualAuth"]);
    expect(toggleColumn(["createdAt"], "createdAt", true)).toEqual(["createdAt"]);
  });
});
