import { useCallback, useContext } from "react";
import { accessFor, type Access, type AccessTarget, type Action } from "./access";
import { CallerContext } from "./context";

/** `can(action, target)` for the current connection's caller. */
export function useAccess(): (action: Action, target?: AccessTarget) => Access {
  const caller = useContext(CallerContext);
  return useCallback((action: Action, target?: AccessTarget) => accessFor(caller, action, target), [caller]);
}
