import type { Backend } from "../../lib/backend";
import type { KeyInfo } from "../../lib/types";

/** A key in the envelope page's picker: usable, or listed disabled with the reason. */
export interface KeyChoice {
  key: KeyInfo;
  /** Why the key can be neither wrapped nor unwrapped with; absent when it can. */
  refusal?: string;
}

/** Why a key cannot wrap or unwrap, or undefined when it can (deactivated keys still unwrap). */
export function refusalOf(key: KeyInfo): string | undefined {
  if (key.keyType !== "root") return "standard key: only root keys wrap";
  if (key.state === "suspended") return "suspended: enable it to wrap or unwrap";
  if (key.state === "destroyed") return "destroyed: it no longer wraps or unwraps";
  return undefined;
}

/** Usable keys first, in the keystore's order, then the others with their reasons. */
export function keyChoices(keys: readonly KeyInfo[]): KeyChoice[] {
  const choices = keys.map((key) => {
    const refusal = refusalOf(key);
    return refusal === undefined ? { key } : { key, refusal };
  });
  return [...choices.filter((choice) => choice.refusal === undefined), ...choices.filter((choice) => choice.refusal !== undefined)];
}

/** What the picker shows: the name alone for a key that wraps, and what else a key is good for. */
export function choiceLabel({ key, refusal }: KeyChoice): string {
  if (refusal !== undefined) return `${key.name} (${refusal})`;
  return key.state === "deactivated" ? `${key.name} (deactivated: unwrap only)` : key.name;
}

/** The choosable keys stay within one bounded page; suspended and destroyed keys come after. */
export const USABLE_LIMIT = 200;
export const REFUSED_LIMIT = 100;

/** The keys the picker lists: the usable states first, so refused keys never crowd them out. */
export async function loadKeyChoices(backend: Backend): Promise<KeyChoice[]> {
  const [usable, refused] = await Promise.all([
    backend.listKeys({ offset: 0, limit: USABLE_LIMIT, states: ["active", "deactivated"] }),
    backend.listKeys({ offset: 0, limit: REFUSED_LIMIT, states: ["suspended", "destroyed"] }),
  ]);
  // Each key once, should a keystore answer both with it.
  const seen = new Set(usable.keys.map((key) => key.id));
  return keyChoices([...usable.keys, ...refused.keys.filter((key) => !seen.has(key.id))]);
}
