export type { Notice, Notify } from "./context";
export { NoticeLogButton } from "./NoticeLogButton";
export { NotificationsProvider } from "./NotificationsProvider";
export { useNotify } from "./useNotify";
