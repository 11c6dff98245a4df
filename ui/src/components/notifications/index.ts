export type { Notice, Notify } from "./context";
export { NotificationsProvider } from "./NotificationsProvider";
export { useNotify } from "./useNotify";
