import { describe, expect, it } from "vitest";
import {
  addTestVector,
  parseTestVectors,
  TEST_VECTOR_LIMIT,
  testVectorsStorageKey,
  toTestVector,
  type TestVector,
} from "./testVectors";

const vector: TestVector = {
  id: "v1",
  label: "orders, tenant 42",
  keyId: "0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f",
  keyVersion: "9f8e7d6c-7a3b-4c9d-8e1f-2a3b4c5d6e7f",
  ciphertext: "ZW52ZWxvcGUtdjEtb3BhcXVlLWJ5dGVz",
  aad: ["tenant=42", ""],
  savedAt: "2026-03-01T10:00:00.000Z",
};

describe("parseTestVectors", () => {
  it("reads a saved list", () => {
    expect(parseTestVectors(JSON.stringify([vector]))).toEqual({ vectors: [vector], ignored: 0 });
    expect(parseTestVectors(null)).toEqual({ vectors: [], ignored: 0 });
  });

  it.each([
    ["text that is not JSON", "[{"],
    ["an object", JSON.stringify({ vectors: [vector] })],
    ["a string", JSON.stringify("ZW52")],
    ["null", "null"],
  ])("reads nothing, and says so, from %s", (_name, stored) => {
    expect(parseTestVectors(stored)).toEqual({ vectors: [], ignored: 1 });
  });

  it("keeps the entries that validate and counts the rest", () => {
    const stored = JSON.stringify([
      vector,
      { ...vector, id: "no-base64", ciphertext: "not base64!" },
      { ...vector, id: "bad-aad", aad: ["ok", 42] },
      { ...vector, id: "bad-date", savedAt: "yesterday" },
      { ...vector, id: "", label: "no id" },
      { ...vector, id: "long", label: "x".repeat(500) },
      { ...vector, id: "no-key", keyId: undefined },
      "v3",
      null,
    ]);
    expect(parseTestVectors(stored)).toEqual({ vectors: [vector], ignored: 8 });
  });

  it("drops fields it does not know, a DEK among them", () => {
    const stored = JSON.stringify([{ ...vector, plaintext: "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=" }]);
    const [read] = parseTestVectors(stored).vectors;
    expect(read).toEqual(vector);
    expect(Object.keys(read ?? {})).not.toContain("plaintext");
  });

  it("keeps at most the limit", () => {
    const many = Array.from({ length: TEST_VECTOR_LIMIT + 5 }, (_, index) => ({ ...vector, id: `v${index}` }));
    expect(parseTestVectors(JSON.stringify(many)).vectors).toHaveLength(TEST_VECTOR_LIMIT);
  });
});

describe("toTestVector", () => {
  it("rejects what is not an object", () => {
    expect(toTestVector([vector])).toBeNull();
    expect(toTestVector(undefined)).toBeNull();
  });
});

describe("addTestVector", () => {
  it("puts the new vector first, stamped, and only with the fields a vector has", () => {
    const now = new Date("2026-03-02T09:30:00Z");
    const withDek = {
      label: "  after rotation  ",
      keyId: vector.keyId,
      keyVersion: "v2",
      ciphertext: " bmV3 ",
      aad: ["a"],
      dek: "q83vEjRWeJCrze8SNFZ4kKvN7xI0VniQq83vEjRWeJA=",
    };
    const list = addTestVector([vector], withDek, now, "v2");
    expect(list).toEqual([
      { id: "v2", label: "after rotation", keyId: vector.keyId, keyVersion: "v2", ciphertext: "bmV3", aad: ["a"], savedAt: "2026-03-02T09:30:00.000Z" },
      vector,
    ]);
    expect(JSON.stringify(list)).not.toContain(withDek.dek);
  });

  it("drops the oldest past the limit", () => {
    const full = Array.from({ length: TEST_VECTOR_LIMIT }, (_, index) => ({ ...vector, id: `v${index}` }));
    const list = addTestVector(full, vector, new Date(), "newest");
    expect(list).toHaveLength(TEST_VECTOR_LIMIT);
    expect(list[0]?.id).toBe("newest");
    expect(list.some((entry) => entry.id === `v${TEST_VECTOR_LIMIT - 1}`)).toBe(false);
  });
});

describe("testVectorsStorageKey", () => {
  it("keeps one list per connection profile, or one in all", () => {
    expect(testVectorsStorageKey("local")).toBe("strongroom.testVectors.local");
    expect(testVectorsStorageKey("prod-eu")).toBe("strongroom.testVectors.prod-eu");
    expect(testVectorsStorageKey(null)).toBe("strongroom.testVectors");
  });
});
