import { describe, expect, it } from "vitest";
import { keyTableHeaders, toggleColumn } from "./keyColumns";

const names = (headers: { header: string }[]) => headers.map((header) => header.header);

describe("keyTableHeaders", () => {
  it("keeps Key Protect's defaults with Created, then the menu", () => {
    expect(names(keyTableHeaders(["createdAt"], false))).toEqual(["Name", "Key ID", "Key ring", "Aliases", "Type", "State", "Created", ""]);
  });

  it("puts the chosen optional columns in the table's order, before the restore deadline", () => {
    expect(names(keyTableHeaders(["dualAuth", "expiresAt"], true)).slice(6)).toEqual(["Expiration", "Dual auth", "Restorable until", ""]);
  });

  it("sorts the date columns and Imported in the backend, not the policy columns", () => {
    const sortable = keyTableHeaders(["createdAt", "updatedAt", "expiresAt", "imported", "rotation", "dualAuth"], false)
      .filter((header) => header.sortBy !== undefined)
      .map((header) => header.sortBy);
    expect(sortable).toEqual(["name", "keyType", "state", "creationDate", "lastUpdateDate", "expirationDate", "imported"]);
  });
});

describe("toggleColumn", () => {
  it("adds a column in its place and takes one away", () => {
    expect(toggleColumn(["createdAt", "dualAuth"], "imported", true)).toEqual(["createdAt", "imported", "dualAuth"]);
    expect(toggleColumn(["createdAt", "dualAuth"], "createdAt", false)).toEqual(["dualAuth"]);
    expect(toggleColumn(["createdAt"], "createdAt", true)).toEqual(["createdAt"]);
  });
});
