import { describe, expect, it } from "vitest";
import { ALL_STATES } from "../../lib/format";
import { filterChips, filtersStates, propertyFilters, statesToList, withoutState } from "./filterChips";

const none = { states: ALL_STATES, keyType: "all", keyRing: "", properties: [], search: "" } as const;

describe("filterChips", () => {
  it("has no chip without a filter, nor for every state or none", () => {
    expect(filterChips(none)).toEqual([]);
    expect(filterChips({ ...none, states: [] })).toEqual([]);
  });

  it("names each filter in force, in the toolbar's order, one chip per state chosen", () => {
    const chips = filterChips({
      states: ["destroyed", "active"],
      keyType: "root",
      keyRing: "payments",
      properties: ["rotationDue", "imported"],
      search: "pay",
    });
    expect(chips.map(({ id, label }) => ({ id, label }))).toEqual([
      { id: "state-active", label: "State: Active" },
      { id: "state-destroyed", label: "State: Destroyed (deleted)" },
      { id: "keyType", label: "Type: Root keys" },
      { id: "keyRing", label: "Key ring: payments" },
      { id: "property-imported", label: "Imported" },
      { id: "property-rotationDue", label: "Rotation due" },
      { id: "search", label: "Search: “pay”" },
    ]);
    expect(chips[1]).toMatchObject({ name: "states", state: "destroyed" });
    expect(chips[5]).toMatchObject({ name: "properties", property: "rotationDue" });
  });

  it("leaves out the filters not in force", () => {
    expect(filterChips({ ...none, keyType: "standard" }).map((chip) => chip.label)).toEqual(["Type: Standard keys"]);
    expect(filterChips({ ...none, search: "a b" }).map((chip) => chip.name)).toEqual(["search"]);
  });
});

describe("property filters", () => {
  it("asks the keystore for each chosen property and leaves the others out", () => {
    expect(propertyFilters([])).toEqual({});
    expect(propertyFilters(["dualAuthDelete", "rotationDue"])).toEqual({ dualAuthDelete: true, rotationDue: true });
  });
});

describe("state filter", () => {
  it("filters only with some but not all states chosen", () => {
    expect(filtersStates(ALL_STATES)).toBe(false);
    expect(filtersStates([])).toBe(false);
    expect(filtersStates(["suspended", "active"])).toBe(true);
  });

  it("asks for the chosen states in lifecycle order, and for every state when none is chosen", () => {
    expect(statesToList(["destroyed", "active"])).toEqual(["active", "destroyed"]);
    expect(statesToList([])).toEqual(["active", "suspended", "deactivated", "destroyed"]);
  });

  it("takes one state away, and the last one away clears the filter", () => {
    expect(withoutState(["active", "suspended"], "active")).toEqual(["suspended"]);
    expect(withoutState(["suspended"], "suspended")).toEqual(ALL_STATES);
  });
});
