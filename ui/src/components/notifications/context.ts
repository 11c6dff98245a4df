import { createContext } from "react";

export interface Notice {
  kind: "success" | "error" | "info" | "warning";
  title: string;
  subtitle?: string;
}

export type Notify = (notice: Notice) => void;

export const NotifyContext = createContext<Notify | null>(null);
