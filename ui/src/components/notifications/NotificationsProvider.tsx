import { ToastNotification } from "@carbon/react";
import { useCallback, useRef, useState, type ReactNode } from "react";
import { NotifyContext, type Notice } from "./context";

interface Toast extends Notice {
  id: number;
}

const SUCCESS_TIMEOUT_MS = 6000;

/** Toasts in the top-right corner. Successes fade on their own; errors wait to be read. */
export function NotificationsProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(0);

  const notify = useCallback((notice: Notice) => {
    nextId.current += 1;
    const toast = { ...notice, id: nextId.current };
    setToasts((current) => [...current.slice(-3), toast]);
  }, []);

  const dismiss = (id: number) => setToasts((current) => current.filter((t) => t.id !== id));

  return (
    <NotifyContext value={notify}>
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
    </NotifyContext>
  );
}
