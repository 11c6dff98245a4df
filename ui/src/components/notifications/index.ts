export type { Notice, NoticeAction, Notify } from "./context";
export { NoticeLogButton } from "./NoticeLogButton";
export { NotificationsProvider } from "./NotificationsProvider";
export { useNotify } from "./useNotify";
