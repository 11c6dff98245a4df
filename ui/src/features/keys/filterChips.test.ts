import { describe, expect, it } from "vitest";
import { filterChips } from "./filterChips";

const none = { state: "all", keyType: "all", keyRing: "", search: "" } as const;

describe("filterChips", () => {
  it("has no chip without a filter", () => {
    expect(filterChips(none)).toEqual([]);
  });

  it("names each filter in force, in the toolbar's order", () => {
    expect(filterChips({ state: "destroyed", keyType: "root", keyRing: "payments", search: "pay" })).toEqual([
      { name: "state", label: "State: Destroyed (deleted)" },
      { name: "keyType", label: "Type: Root keys" },
      { name: "keyRing", label: "Key ring: payments" },
      { name: "search", label: "Search: “pay”" },
    ]);
  });

  it("leaves out the filters not in force", () => {
    expect(filterChips({ ...none, keyType: "standard" })).toEqual([{ name: "keyType", label: "Type: Standard keys" }]);
    expect(filterChips({ ...none, search: "a b" }).map((chip) => chip.name)).toEqual(["search"]);
  });
});
