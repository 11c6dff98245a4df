import { createContext } from "react";
import type { Backend } from "./backend";

export const BackendContext = createContext<Backend | null>(null);
