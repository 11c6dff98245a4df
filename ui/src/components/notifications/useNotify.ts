import { use } from "react";
import { NotifyContext, type Notify } from "./context";

export function useNotify(): Notify {
  const notify = use(NotifyContext);
  if (notify === null) {
    throw new Error("useNotify must be called inside a NotificationsProvider");
  }
  return notify;
}
