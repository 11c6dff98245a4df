import { InlineLoading } from "@carbon/react";
import { CliSnippet } from "../../components/CliSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { keyActionCommand } from "../../lib/cli";
import type { KeyInfo } from "../../lib/types";
import { PurgeWait } from "./PurgeWait";
import { useKeyLifecycle, type LifecycleAction } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /** Extra buttons at the end of the bar, e.g. the envelope test on the key page. */
  children?: React.ReactNode;
}

/**
 * The buttons for what the key's state allows, shared by the details panel and the key page;
 * what the caller lacks the role for is disabled with the reason.
 */
export function KeyActionBar({ keyInfo, onChanged, children }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const { allowed, access, busy, purgeWait } = lifecycle;
  const label = (action: LifecycleAction, text: string, busyText: string) =>
    busy === action ? <InlineLoading description={busyText} /> : text;
  return (
    <>
      <div className="key-details__actions" role="group" aria-label="Key actions">
        {allowed.rotate && (
          <GuardedButton
            access={access.rotate}
            size="sm"
            kind="tertiary"
            id="key-details-rotate"
            data-panel-action="rotate"
            disabled={busy !== null}
            onClick={lifecycle.rotate}
          >
            Rotate
          </GuardedButton>
        )}
        {allowed.disable && (
          <GuardedButton access={access.disable} size="sm" kind="tertiary" data-panel-action="disable" disabled={busy !== null} onClick={lifecycle.disable}>
            {label("disable", "Disable", "Disabling…")}
          </GuardedButton>
        )}
        {allowed.enable && (
          <GuardedButton access={access.enable} size="sm" kind="tertiary" data-panel-action="enable" disabled={busy !== null} onClick={lifecycle.enable}>
            {label("enable", "Enable", "Enabling…")}
          </GuardedButton>
        )}
        {allowed.restore && (
          <GuardedButton access={access.restore} size="sm" kind="tertiary" data-panel-action="restore" disabled={busy !== null} onClick={lifecycle.restore}>
            {label("restore", "Restore", "Restoring…")}
          </GuardedButton>
        )}
        {allowed.delete && (
          <GuardedButton
            access={access.delete}
            size="sm"
            kind="danger--tertiary"
            data-panel-action="delete"
            disabled={busy !== null}
            onClick={lifecycle.requestDelete}
          >
            Delete
          </GuardedButton>
        )}
        {allowed.purge && (
          <GuardedButton
            access={access.purge}
            size="sm"
            kind="danger--tertiary"
            id="key-details-purge"
            data-panel-action="purge"
            disabled={busy !== null}
            aria-describedby={purgeWait === undefined ? undefined : "key-purge-wait"}
            onClick={lifecycle.requestPurge}
          >
            Purge
          </GuardedButton>
        )}
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
