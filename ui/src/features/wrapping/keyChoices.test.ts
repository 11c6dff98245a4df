import { describe, expect, it } from "vitest";
import { fakeBackend, makeKey } from "../../test/fakeBackend";
import { choiceLabel, keyChoices, loadKeyChoices, refusalOf } from "./keyChoices";

describe("key choices", () => {
  it("refuses standard, suspended and destroyed keys, and lets deactivated root keys unwrap", () => {
    expect(refusalOf(makeKey())).toBeUndefined();
    expect(refusalOf(makeKey({ state: "deactivated" }))).toBeUndefined();
    expect(refusalOf(makeKey({ keyType: "standard" }))).toMatch(/standard key/);
    expect(refusalOf(makeKey({ state: "suspended" }))).toMatch(/^suspended/);
    expect(refusalOf(makeKey({ state: "destroyed" }))).toMatch(/^destroyed/);
  });

  it("puts usable keys first, in their order, and labels each", () => {
    const frozen = makeKey({ name: "frozen", state: "suspended" });
    const active = makeKey({ name: "live" });
    const old = makeKey({ name: "old", state: "deactivated" });
    const choices = keyChoices([frozen, active, old]);
    expect(choices.map((choice) => choice.key.name)).toEqual(["live", "old", "frozen"]);
    expect(choices.map(choiceLabel)).toEqual([
      "live",
      "old (deactivated: unwrap only)",
      "frozen (suspended: enable it to wrap or unwrap)",
    ]);
  });

  it("lists each key once, should both listings hold it", async () => {
    const key = makeKey({ name: "twice" });
    const backend = fakeBackend({ listKeys: () => Promise.resolve({ keys: [key], total: 1 }) });
    expect((await loadKeyChoices(backend)).map((choice) => choice.key.name)).toEqual(["twice"]);
  });
});
