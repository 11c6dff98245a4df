import type { CreateImportTokenRequest } from "../lib/types";

/** Key Protect's limits for an import token [KP:create-import-tokens.md]. */
export const TOKEN_LIFETIME_SECONDS = { min: 300, max: 86_400, fallback: 600 } as const;
export const TOKEN_RETRIEVALS = { min: 1, max: 500, fallback: 1 } as const;

/** The token options as typed, before they are checked. */
export interface ImportTokenDraft {
  expiration: string;
  maxAllowedRetrievals: string;
}

export const DEFAULT_TOKEN_DRAFT: ImportTokenDraft = {
  expiration: String(TOKEN_LIFETIME_SECONDS.fallback),
  maxAllowedRetrievals: String(TOKEN_RETRIEVALS.fallback),
};

export type ImportTokenProblems = Partial<Record<keyof ImportTokenDraft, string>>;

/** A whole number as people type it ("86,400", "86 400"); undefined for anything else. */
export function wholeNumber(text: string): number | undefined {
  const digits = text.replace(/[\s,_]/g, "");
  return /^\d{1,9}$/.test(digits) ? Number(digits) : undefined;
}

const within = (value: number | undefined, { min, max }: { min: number; max: number }) =>
  value !== undefined && value >= min && value <= max;

/** A sentence for each option out of Key Protect's range. */
export function tokenProblems(draft: ImportTokenDraft): ImportTokenProblems {
  const problems: ImportTokenProblems = {};
  if (!within(wholeNumber(draft.expiration), TOKEN_LIFETIME_SECONDS)) {
    problems.expiration = "The token lives 300 to 86,400 seconds (5 minutes to 24 hours). Enter a whole number of seconds.";
  }
  if (!within(wholeNumber(draft.maxAllowedRetrievals), TOKEN_RETRIEVALS)) {
    problems.maxAllowedRetrievals = "A token may be retrieved 1 to 500 times. Enter a whole number.";
  }
  return problems;
}

/** The request to send, or undefined while an option is out of range. */
export function tokenRequest(draft: ImportTokenDraft): CreateImportTokenRequest | undefined {
  const expiration = wholeNumber(draft.expiration);
  const maxAllowedRetrievals = wholeNumber(draft.maxAllowedRetrievals);
  if (Object.keys(tokenProblems(draft)).length > 0 || expiration === undefined || maxAllowedRetrievals === undefined) {
    return undefined;
  }
  return { expiration, maxAllowedRetrievals };
}
