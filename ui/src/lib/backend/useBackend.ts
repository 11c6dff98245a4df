import { use } from "react";
import type { Backend } from "./backend";
import { BackendContext } from "./context";

export function useBackend(): Backend {
  const backend = use(BackendContext);
  if (backend === null) {
    throw new Error("useBackend must be called inside a BackendProvider");
  }
  return backend;
}
