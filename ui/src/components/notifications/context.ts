import { createContext } from "react";

export interface Notice {
  kind: "success" | "error" | "info" | "warning";
  title: string;
  subtitle?: string;
}

export type Notify = (notice: Notice) => void;

/** A notice as the log keeps it: toasts fade, the log does not (Carbon's rule). */
export interface LoggedNotice extends Notice {
  id: number;
  at: Date;
}

export interface NoticeLog {
  notices: LoggedNotice[];
  clear: () => void;
}

export const NotifyContext = createContext<Notify | null>(null);
export const NoticeLogContext = createContext<NoticeLog>({ notices: [], clear: () => undefined });
