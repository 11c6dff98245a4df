import { ToastNotification } from "@carbon/react";
import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { NoticeLogContext, NotifyContext, type LoggedNotice, type Notice } from "./context";

const SUCCESS_TIMEOUT_MS = 6000;
/** The log keeps the session's latest notices; older ones drop off. */
const LOG_LENGTH = 100;

/**
 * Toasts in the bottom-right corner, clear of page toolbars. Successes fade on their own; errors
 * wait to be read. Every notice also goes to the log the header's bell opens.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<LoggedNotice[]>([]);
  const [log, setLog] = useState<LoggedNotice[]>([]);
  const nextId = useRef(0);

  const notify = useCallback((notice: Notice) => {
    nextId.current += 1;
    const logged = { ...notice, id: nextId.current, at: new Date() };
    setToasts((current) => [...current.slice(-2), logged]);
    setLog((current) => [logged, ...current].slice(0, LOG_LENGTH));
  }, []);
  const clear = useCallback(() => setLog([]), []);
  const noticeLog = useMemo(() => ({ notices: log, clear }), [log, clear]);

  const dismiss = (id: number) => setToasts((current) => current.filter((t) => t.id !== id));

  return (
    <NotifyContext value={notify}>
      <NoticeLogContext value={noticeLog}>
        {children}
        <div className="toast-stack" aria-live="polite">
          {toasts.map((toast) => (
            <ToastNotification
              key={toast.id}
              kind={toast.kind}
              title={toast.title}
              subtitle={toast.subtitle}
              timeout={toast.kind === "success" || toast.kind === "info" ? SUCCESS_TIMEOUT_MS : 0}
              role={toast.kind === "error" ? "alert" : "status"}
              onClose={() => {
                dismiss(toast.id);
                return false;
              }}
            />
          ))}
        </div>
      </NoticeLogContext>
    </NotifyContext>
  );
}
