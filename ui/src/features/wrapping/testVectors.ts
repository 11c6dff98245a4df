import { isBase64 } from "../../lib/base64";

/**
 * A wrap kept for later checks: the ciphertext and what unwrapping it needs. Never the DEK:
 * a test vector holds nothing that unwraps without the keystore.
 */
export interface TestVector {
  id: string;
  label: string;
  keyId: string;
  /** The key version that sealed the ciphertext. */
  keyVersion: string;
  ciphertext: string;
  aad: string[];
  /** RFC 3339. */
  savedAt: string;
}

export type NewTestVector = Omit<TestVector, "id" | "savedAt">;

/** The most vectors kept per list; saving another drops the oldest. */
export const TEST_VECTOR_LIMIT = 50;
export const LABEL_MAX_LENGTH = 120;
export const TEST_VECTORS_STORAGE_KEY = "strongroom.testVectors";

/**
 * One list per connection profile, since a key id means something only on its own keystore;
 * `null` where the console has no profiles (the web console, where storage is per origin).
 */
export function testVectorsStorageKey(profileId: string | null): string {
  return profileId === null ? TEST_VECTORS_STORAGE_KEY : `${TEST_VECTORS_STORAGE_KEY}.${profileId}`;
}

const isText = (value: unknown, maxLength = 10_000): value is string =>
  typeof value === "string" && value.trim() !== "" && value.length <= maxLength;

/**
 * A test vector from whatever storage held, or null when it does not look like one. Only the
 * known fields are copied, so anything else stored beside them (a DEK included) is dropped.
 */
export function toTestVector(value: unknown): TestVector | null {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const { id, label, keyId, keyVersion, ciphertext, aad, savedAt } = value as Record<string, unknown>;
  if (!isText(id, 100) || !isText(label, LABEL_MAX_LENGTH) || !isText(keyId, 200) || !isText(keyVersion, 200)) return null;
  if (typeof ciphertext !== "string" || !isBase64(ciphertext)) return null;
  if (!Array.isArray(aad) || !aad.every((item): item is string => typeof item === "string")) return null;
  if (typeof savedAt !== "string" || Number.isNaN(Date.parse(savedAt))) return null;
  return { id, label, keyId, keyVersion, ciphertext: ciphertext.trim(), aad: [...aad], savedAt };
}

export interface StoredTestVectors {
  vectors: TestVector[];
  /** Entries that were stored but could not be read; they are dropped on the next save. */
  ignored: number;
}

/** The saved list, newest first, from storage's text: corrupt or foreign content yields what is usable. */
export function parseTestVectors(stored: string | null): StoredTestVectors {
  if (stored === null) return { vectors: [], ignored: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return { vectors: [], ignored: 1 };
  }
  if (!Array.isArray(parsed)) return { vectors: [], ignored: 1 };
  const vectors = parsed.map(toTestVector).filter((vector) => vector !== null);
  return { vectors: vectors.slice(0, TEST_VECTOR_LIMIT), ignored: parsed.length - vectors.length };
}

export function readTestVectors(storageKey: string): StoredTestVectors {
  try {
    return parseTestVectors(window.localStorage.getItem(storageKey));
  } catch {
    return { vectors: [], ignored: 0 };
  }
}

/** Whether the list was written; storage may be full or blocked. */
export function writeTestVectors(storageKey: string, vectors: readonly TestVector[]): boolean {
  try {
    window.localStorage.setItem(storageKey, JSON.stringify(vectors));
    return true;
  } catch {
    return false;
  }
}

/** The list with `vector` first, built field by field so nothing else rides along. */
export function addTestVector(vectors: readonly TestVector[], vector: NewTestVector, now: Date, id: string): TestVector[] {
  const saved: TestVector = {
    id,
    label: vector.label.trim().slice(0, LABEL_MAX_LENGTH),
    keyId: vector.keyId,
    keyVersion: vector.keyVersion,
    ciphertext: vector.ciphertext.trim(),
    aad: [...vector.aad],
    savedAt: now.toISOString(),
  };
  return [saved, ...vectors].slice(0, TEST_VECTOR_LIMIT);
}

/** Unique within one list, which is all a vector's id needs; crypto.randomUUID is missing over plain HTTP. */
export function newTestVectorId(now: Date): string {
  return `${now.getTime().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
