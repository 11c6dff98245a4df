import { useEffect, useState } from "react";
import { toBackendError, type BackendError } from "../backend";

export interface RequestState<T> {
  /** The latest result; kept while a newer request is in flight so layouts stay put. */
  data: T | undefined;
  error: BackendError | undefined;
  loading: boolean;
}

interface Settled<T> {
  load: () => Promise<T>;
  reloadKey: number;
  data?: T;
  error?: BackendError;
}

/**
 * Runs `load` whenever it changes (memoize it with useCallback) or whenever
 * `reloadKey` changes, and ignores answers to requests that were superseded.
 */
export function useRequest<T>(load: () => Promise<T>, reloadKey = 0): RequestState<T> {
  const [settled, setSettled] = useState<Settled<T> | null>(null);

  useEffect(() => {
    let current = true;
    load().then(
      (data) => {
        if (current) setSettled({ load, reloadKey, data });
      },
      (thrown: unknown) => {
        if (current) setSettled({ load, reloadKey, error: toBackendError(thrown) });
      },
    );
    return () => {
      current = false;
    };
  }, [load, reloadKey]);

  const loading = settled === null || settled.load !== load || settled.reloadKey !== reloadKey;
  return {
    data: settled?.data,
    error: loading ? undefined : settled.error,
    loading,
  };
}
