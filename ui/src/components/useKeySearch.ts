import { useCallback, useEffect, useState } from "react";
import { toBackendError, useBackend } from "../lib/backend";
import { describe } from "../lib/errors";
import { useDebouncedValue } from "../lib/hooks/useDebouncedValue";
import type { KeyInfo } from "../lib/types";

/** How long typing must pause before the keystore is searched. */
export const KEY_SEARCH_DELAY_MS = 250;
/** How many keys a search offers. */
export const KEY_SEARCH_LIMIT = 20;

export interface KeySearch {
  keys: KeyInfo[];
  /** True from the first keystroke until the answer for the latest text arrives. */
  loading: boolean;
  /** The last search's failure, in words; the typed text is still usable. */
  error: string | undefined;
  /**
   * Searches for the text as it is now, without waiting for typing to pause, and gives the keys
   * found (none when the search fails). For a submit that must not go out with a stale answer.
   */
  settle: () => Promise<KeyInfo[]>;
}

interface Answer {
  search: string;
  keys: KeyInfo[];
  error?: string;
}

const searchRequest = (search: string) => ({
  offset: 0,
  limit: KEY_SEARCH_LIMIT,
  states: [],
  ...(search === "" ? {} : { search }),
});

/** Searches the keystore's keys (name, alias or id, Key Protect's search) as `text` settles. */
export function useKeySearch(text: string): KeySearch {
  const backend = useBackend();
  const search = useDebouncedValue(text.trim(), KEY_SEARCH_DELAY_MS);
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    let current = true;
    backend
      .listKeys(searchRequest(search))
      .then(
        (list) => {
          if (current) setAnswer({ search, keys: list.keys });
        },
        (thrown: unknown) => {
          if (current) setAnswer({ search, keys: [], error: describe(toBackendError(thrown)) });
        },
      );
    return () => {
      current = false;
    };
  }, [backend, search]);

  const typed = text.trim();
  const settle = useCallback(async (): Promise<KeyInfo[]> => {
    try {
      const { keys } = await backend.listKeys(searchRequest(typed));
      setAnswer({ search: typed, keys });
      return keys;
    } catch (thrown) {
      setAnswer({ search: typed, keys: [], error: describe(toBackendError(thrown)) });
      return [];
    }
  }, [backend, typed]);

  const loading = answer === null || answer.search !== typed;
  return { keys: answer?.keys ?? [], loading, error: loading ? undefined : answer.error, settle };
}
