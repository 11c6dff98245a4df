import { describe, expect, it } from "vitest";
import { DESKTOP_CALLER } from "../../lib/bindings/callers";
import { ACTION_LABELS, roleActions } from "./roles";

const table = DESKTOP_CALLER.actionRoles;
const labels = (role: string) => roleActions(role, table).map((row) => row.label);

describe("roleActions", () => {
  it("gives Reader, by the keystore's table, what envelope encryption needs, registrations, and nothing that changes a key", () => {
    expect(labels("Reader")).toEqual([
      "List keys",
      "Read key metadata",
      "List key versions",
      "Wrap",
      "Unwrap",
      "Rewrap",
      "List key rings",
      "Read registrations",
      "See when the import token expires",
      "Register resources (services only)",
      "Replace registrations (services only)",
      "Update registrations (services only)",
      "Remove registrations",
    ]);
  });

  it("keeps purge for KeyPurge alone", () => {
    expect(labels("KeyPurge")).toEqual(["Purge destroyed keys"]);
    expect(labels("Manager")).not.toContain("Purge destroyed keys");
    expect(labels("Manager")).toHaveLength(table.length - 1);
  });

  it("reads role CRNs and any case, and knows no role the table does not name", () => {
    expect(labels("crn:v1:bluemix:public:iam::::serviceRole:Reader")).toEqual(labels("Reader"));
    expect(labels("readerplus")).toContain("Read a standard key's material");
    expect(labels("Administrator")).toEqual([]);
  });

  it("has words for every action of the keystore's table, and shows an unknown one by its name", () => {
    expect(table.filter((row) => ACTION_LABELS[row.action] === undefined)).toEqual([]);
    expect(roleActions("Reader", [{ action: "kms.secrets.teleport", roles: ["Reader"] }])).toEqual([
      { action: "kms.secrets.teleport", label: "kms.secrets.teleport" },
    ]);
  });
});
