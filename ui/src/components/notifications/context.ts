import { createContext } from "react";

/** One thing a person can do from a notice, e.g. "Re-enable" after a disable. */
export interface NoticeAction {
  label: string;
  /** Until then the button stays disabled and counts down; absent means at once. */
  availableAt?: Date;
  /** Runs once: the action then leaves the toast and the log. */
  onClick: () => void;
  /** The toast button's element id (the log's copy adds `-log`), for end-to-end tests. */
  id?: string;
}

export interface Notice {
  kind: "success" | "error" | "info" | "warning";
  title: string;
  subtitle?: string;
  action?: NoticeAction;
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
  /** Runs the action of the notice with this id, once; later calls do nothing. */
  act: (id: number) => void;
}

export const NotifyContext = createContext<Notify | null>(null);
export const NoticeLogContext = createContext<NoticeLog>({ notices: [], clear: () => undefined, act: () => undefined });
