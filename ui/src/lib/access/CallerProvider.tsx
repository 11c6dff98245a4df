import { useCallback, type ReactNode } from "react";
import { useBackend } from "../backend";
import { useRequest } from "../hooks/useRequest";
import { CallerContext } from "./context";

/**
 * Loads the caller's grants once per connection (remount it on a switch). A keystore that
 * cannot answer leaves every control enabled; the keystore still refuses what it must.
 */
export function CallerProvider({ children }: { children: ReactNode }) {
  const backend = useBackend();
  const load = useCallback(() => backend.caller(), [backend]);
  const caller = useRequest(load);
  return <CallerContext value={caller.error === undefined ? caller.data : undefined}>{children}</CallerContext>;
}
