import { InlineLoading } from "@carbon/react";
import { CliSnippet } from "../../components/CliSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { keyActionCommand } from "../../lib/cli";
import type { KeyInfo } from "../../lib/types";
import { PurgeWait } from "./PurgeWait";
import { actionLabel, roleAndState } from "./stateRules";
import { useKeyLifecycle, type KeyLifecycle, type LifecycleAction } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /** Extra buttons at the end of the bar, e.g. the envelope test on the key page. */
  children?: React.ReactNode;
}

interface BarButton {
  action: LifecycleAction;
  /** Shown while the action runs here; the dialog actions show their progress in the dialog. */
  busyText?: string;
  danger?: boolean;
  id?: string;
}

/** The bar's buttons, in the row menu's order of life-cycle actions. */
const BUTTONS: readonly BarButton[] = [
  { action: "rotate", id: "key-details-rotate" },
  { action: "disable" },
  { action: "enable", busyText: "Enabling…" },
  { action: "restore" },
  { action: "delete", danger: true },
  { action: "purge", danger: true, id: "key-details-purge" },
];

function starts(lifecycle: KeyLifecycle): Record<LifecycleAction, () => void> {
  return {
    rotate: lifecycle.rotate,
    disable: lifecycle.requestDisable,
    enable: lifecycle.enable,
    restore: lifecycle.requestRestore,
    delete: lifecycle.requestDelete,
    purge: lifecycle.requestPurge,
  };
}

/**
 * The life-cycle buttons, shared by the details panel and the key page. Like the row menu, every
 * action is there: what the key's state forbids or the caller lacks the role for is disabled,
 * with the reason.
 */
export function KeyActionBar({ keyInfo, onChanged, children }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const { allowed, access, stateRefusals, busy, purgeWait } = lifecycle;
  const start = starts(lifecycle);
  return (
    <>
      <div className="key-details__actions" role="group" aria-label="Key actions">
        {BUTTONS.map(({ action, busyText, danger = false, id }) => (
          <GuardedButton
            key={action}
            access={roleAndState(access[action], stateRefusals[action])}
            size="sm"
            kind={danger ? "danger--tertiary" : "tertiary"}
            id={id}
            data-panel-action={action}
            disabled={busy !== null}
            aria-describedby={action === "purge" && purgeWait !== undefined ? "key-purge-wait" : undefined}
            onClick={start[action]}
          >
            {busy === action && busyText !== undefined ? <InlineLoading description={busyText} /> : actionLabel(action, keyInfo)}
          </GuardedButton>
        ))}
        {children}
        {lifecycle.dialogs}
      </div>
      {allowed.purge && purgeWait !== undefined && <PurgeWait id="key-purge-wait" from={purgeWait} />}
      {lifecycle.lastAction !== null && (
        <CliSnippet
          id="key-details-cli"
          command={(target) => (lifecycle.lastAction === null ? null : keyActionCommand(lifecycle.lastAction, target))}
        />
      )}
    </>
  );
}
