import { ActionableNotification, FeatureFlags, ToastNotification } from "@carbon/react";
import { useEffect } from "react";
import type { LoggedNotice, NoticeAction } from "./context";
import { NoticeActionButton } from "./NoticeActionButton";

interface Props {
  notice: LoggedNotice;
  /** Milliseconds before it closes on its own; 0 waits to be closed. */
  timeout: number;
  /** The action button's element id; left off where a newer toast uses the same. */
  actionElementId: string | undefined;
  /** Stable across renders: closing a toast never restarts another's timer. */
  onClose: (id: number) => void;
  onAct: (id: number) => void;
}

/** One toast: Carbon's toast, or its actionable toast when the notice carries an action. */
export function NoticeToast({ notice, timeout, actionElementId, onClose, onAct }: Props) {
  const role = notice.kind === "error" ? "alert" : "status";
  if (notice.action === undefined) {
    return (
      <ToastNotification
        kind={notice.kind}
        title={notice.title}
        subtitle={notice.subtitle}
        timeout={timeout}
        role={role}
        onClose={() => {
          onClose(notice.id);
          return false;
        }}
      />
    );
  }
  return (
    <ActionableToast
      notice={notice}
      action={notice.action}
      timeout={timeout}
      actionElementId={actionElementId}
      role={role}
      onClose={onClose}
      onAct={onAct}
    />
  );
}

function ActionableToast({
  notice,
  action,
  timeout,
  actionElementId,
  role,
  onClose,
  onAct,
}: Props & { action: NoticeAction; role: "alert" | "status" }) {
  const { id } = notice;
  useEffect(() => {
    if (timeout === 0) return;
    const timer = setTimeout(() => onClose(id), timeout);
    return () => clearTimeout(timer);
  }, [id, timeout, onClose]);
  return (
    // Without sentinels: this toast is a status, not a dialog that holds the focus.
    <FeatureFlags enableFocusWrapWithoutSentinels>
      <ActionableNotification
        kind={notice.kind}
        title={notice.title}
        subtitle={notice.subtitle}
        role={role}
        hasFocus={false}
        closeOnEscape={false}
        data-notice-id={id}
        onClose={() => {
          onClose(id);
          return false;
        }}
      >
        <NoticeActionButton action={action} id={actionElementId} kind="tertiary" onAct={() => onAct(id)} />
      </ActionableNotification>
    </FeatureFlags>
  );
}
