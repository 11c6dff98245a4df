import { createContext } from "react";
import type { CallerInfo } from "../bindings/CallerInfo";

/** The caller of the current connection; undefined while loading or when the keystore cannot say. */
export const CallerContext = createContext<CallerInfo | undefined>(undefined);
