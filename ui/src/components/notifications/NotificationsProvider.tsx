import { useCallback, useMemo, useRef, useState, type ReactNode } from "react";
import { NoticeLogContext, NotifyContext, type LoggedNotice, type Notice, type NoticeAction } from "./context";
import { NoticeToast } from "./NoticeToast";
import { newestById, toastTimeout } from "./notices";
import { keystoreNow } from "../../lib/clock";

/** The log keeps the session's latest notices; older ones drop off. */
const LOG_LENGTH = 100;

interface Toast {
  notice: LoggedNotice;
  timeout: number;
}

/**
 * Toasts in the bottom-right corner, clear of page toolbars. Successes fade on their own, later
 * when they carry an action; errors wait to be read. Every notice also goes to the log the
 * header's bell opens, where an unused action stays available.
 */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [log, setLog] = useState<LoggedNotice[]>([]);
  const nextId = useRef(0);
  // Actions not yet used, by notice id: each runs at most once, from the toast or the log.
  const actions = useRef(new Map<number, NoticeAction>());

  const notify = useCallback((notice: Notice) => {
    nextId.current += 1;
    const at = new Date();
    const logged = { ...notice, id: nextId.current, at };
    if (notice.action !== undefined) actions.current.set(logged.id, notice.action);
    // An action's moment is in the keystore's time (its rules decide when it becomes usable).
    setToasts((current) => [...current.slice(-2), { notice: logged, timeout: toastTimeout(notice, keystoreNow()) }]);
    setLog((current) => [logged, ...current].slice(0, LOG_LENGTH));
  }, []);
  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((t) => t.notice.id !== id)), []);
  const act = useCallback(
    (id: number) => {
      const action = actions.current.get(id);
      if (action === undefined) return;
      actions.current.delete(id);
      dismiss(id);
      setLog((current) => current.map((notice) => (notice.id === id ? { ...notice, action: undefined } : notice)));
      action.onClick();
    },
    [dismiss],
  );
  // Actions outlive a cleared log: a toast on screen may still offer one.
  const clear = useCallback(() => setLog([]), []);
  const noticeLog = useMemo(() => ({ notices: log, clear, act }), [log, clear, act]);
  const newestWithActionId = newestById(toasts.map((toast) => toast.notice));

  return (
    <NotifyContext value={notify}>
      <NoticeLogContext value={noticeLog}>
        {children}
        <div className="toast-stack" aria-live="polite">
          {toasts.map(({ notice, timeout }) => (
            <NoticeToast
              key={notice.id}
              notice={notice}
              timeout={timeout}
              actionElementId={newestWithActionId.has(notice.id) ? notice.action?.id : undefined}
              onClose={dismiss}
              onAct={act}
            />
          ))}
        </div>
      </NoticeLogContext>
    </NotifyContext>
  );
}
