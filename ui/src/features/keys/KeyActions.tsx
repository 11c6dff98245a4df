import { OverflowMenu, OverflowMenuItem } from "@carbon/react";
import { Countdown } from "../../components/Countdown";
import { deniedItemProps } from "../../lib/access";
import type { KeyInfo } from "../../lib/types";
import { actionLabel, roleAndState, type LifecycleAction } from "./stateRules";
import { useKeyLifecycle } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /** Opens the details panel; the menu offers "Details" when given. */
  onDetails?: () => void;
}

/**
 * The per-row menu. Every life-cycle item is always there: what the key's state forbids (Key
 * Protect's state table) or the caller lacks the role for is disabled, with the reason on hover.
 */
export function KeyActions({ keyInfo, onChanged, onDetails }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const { access, stateRefusals, purgeWait } = lifecycle;
  const { name } = keyInfo;
  const guard = (action: LifecycleAction) => deniedItemProps(roleAndState(access[action], stateRefusals[action]));

  return (
    <>
      <OverflowMenu aria-label={`Actions for ${name}`} iconDescription={`Actions for ${name}`} size="sm" flipped>
        {onDetails !== undefined && <OverflowMenuItem itemText="Details" data-action="details" onClick={onDetails} />}
        <OverflowMenuItem itemText="Rotate" data-action="rotate" {...guard("rotate")} onClick={lifecycle.rotate} />
        <OverflowMenuItem itemText="Disable" data-action="disable" {...guard("disable")} onClick={lifecycle.requestDisable} />
        <OverflowMenuItem itemText="Enable" data-action="enable" {...guard("enable")} onClick={lifecycle.enable} />
        <OverflowMenuItem itemText="Restore" data-action="restore" {...guard("restore")} onClick={lifecycle.requestRestore} />
        <OverflowMenuItem
          itemText={
            purgeWait === undefined ? (
              "Purge"
            ) : (
              <>
                Purge (in <Countdown to={purgeWait} />)
              </>
            )
          }
          // The countdown says how long; the hover text says why (the state, the wait, or the missing role).
          {...guard("purge")}
          data-action="purge"
          isDelete
          hasDivider
          onClick={lifecycle.requestPurge}
        />
        <OverflowMenuItem
          itemText={actionLabel("delete", keyInfo)}
          data-action="delete"
          {...guard("delete")}
          isDelete
          hasDivider
          onClick={lifecycle.requestDelete}
        />
      </OverflowMenu>
      {lifecycle.dialogs}
    </>
  );
}
