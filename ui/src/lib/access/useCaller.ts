import { useContext } from "react";
import type { CallerInfo } from "../bindings/CallerInfo";
import { CallerContext } from "./context";

/** The current connection's caller: undefined while loading, or when the keystore cannot say. */
export function useCaller(): CallerInfo | undefined {
  return useContext(CallerContext);
}
