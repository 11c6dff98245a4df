import { useCallback, useState } from "react";
import { addTestVector, newTestVectorId, readTestVectors, testVectorsStorageKey, writeTestVectors, type NewTestVector, type StoredTestVectors, type TestVector } from "./testVectors";

export interface TestVectors extends StoredTestVectors {
  /** False until the page knows which connection profile it is on. */
  available: boolean;
  /** Whether the vector could be kept (storage may be full or blocked). */
  save: (vector: NewTestVector) => boolean;
  remove: (id: string) => void;
}

const NONE: StoredTestVectors = { vectors: [], ignored: 0 };

/**
 * The test vectors saved for a connection profile (`null`: the one list of a console without
 * profiles; `undefined`: not known yet, so nothing is read or written).
 */
export function useTestVectors(profileId: string | null | undefined): TestVectors {
  const storageKey = profileId === undefined ? null : testVectorsStorageKey(profileId);
  const [state, setState] = useState(() => ({
    storageKey,
    ...(storageKey === null ? NONE : readTestVectors(storageKey)),
  }));
  // The profile becomes known after the first render on the desktop: read its list then.
  if (state.storageKey !== storageKey) {
    setState({ storageKey, ...(storageKey === null ? NONE : readTestVectors(storageKey)) });
  }

  const store = useCallback(
    (vectors: TestVector[]) => {
      if (storageKey === null || !writeTestVectors(storageKey, vectors)) return false;
      setState({ storageKey, vectors, ignored: 0 });
      return true;
    },
    [storageKey],
  );
  const save = useCallback(
    (vector: NewTestVector) => {
      const now = new Date();
      return store(addTestVector(state.vectors, vector, now, newTestVectorId(now)));
    },
    [state.vectors, store],
  );
  const remove = useCallback(
    (id: string) => void store(state.vectors.filter((vector) => vector.id !== id)),
    [state.vectors, store],
  );

  return { vectors: state.vectors, ignored: state.ignored, available: storageKey !== null, save, remove };
}
