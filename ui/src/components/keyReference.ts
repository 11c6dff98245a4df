import type { KeyInfo } from "../lib/types";

/** What a key id or an alias may look like: Key Protect's alias characters, which a UUID also fits. */
const KEY_REFERENCE = /^[A-Za-z0-9_-]{2,90}$/;

/**
 * The id or alias to send for what is in the box: the picked key's id; typed text that is a found
 * key's id or alias as it is; a found key's exact name as that key's id; other text that looks like
 * an id or alias as it is. Empty when the text names no key.
 */
export function keyReference(text: string, keys: readonly KeyInfo[], picked: KeyInfo | null): string {
  const typed = text.trim();
  if (typed === "") return "";
  if (picked !== null && (typed === picked.name || typed === picked.id)) return picked.id;
  if (keys.some((key) => key.id === typed || key.aliases.includes(typed))) return typed;
  const named = keys.filter((key) => key.name === typed);
  if (named.length === 1 && named[0] !== undefined) return named[0].id;
  return KEY_REFERENCE.test(typed) ? typed : "";
}

/** The found key that `reference` names, when the search has it. */
export function resolvedKey(reference: string, keys: readonly KeyInfo[], picked: KeyInfo | null): KeyInfo | undefined {
  if (reference === "") return undefined;
  if (picked !== null && picked.id === reference) return picked;
  return keys.find((key) => key.id === reference || key.aliases.includes(reference));
}
