export const ALIAS_MIN = 2;
export const ALIAS_MAX = 90;
export const ALIASES_PER_KEY = 5;
const ALIAS_PATTERN = /^[A-Za-z0-9_-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Key Protect's alias rules, as a sentence for the first one broken; undefined when the alias is fine. */
export function aliasProblem(alias: string, existing: readonly string[] = []): string | undefined {
  if (alias.length < ALIAS_MIN || alias.length > ALIAS_MAX) {
    return `An alias has ${ALIAS_MIN} to ${ALIAS_MAX} characters.`;
  }
  if (!ALIAS_PATTERN.test(alias)) return "Use letters, digits, hyphens (-) and underscores (_) only.";
  if (UUID.test(alias)) return "An alias cannot look like a key id.";
  if (existing.includes(alias)) return "This key already has that alias.";
  if (existing.length >= ALIASES_PER_KEY) return `A key has at most ${ALIASES_PER_KEY} aliases.`;
  return undefined;
}
