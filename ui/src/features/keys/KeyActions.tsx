import { OverflowMenu, OverflowMenuItem } from "@carbon/react";
import { Countdown } from "../../components/Countdown";
import { deniedItemProps } from "../../lib/access";
import type { KeyInfo } from "../../lib/types";
import { useKeyLifecycle } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /** Opens the details panel; the menu offers "Details" when given. */
  onDetails?: () => void;
}

/**
 * The per-row menu; offers only what the key's state allows. What the caller lacks the role
 * for stays in the menu, disabled, with the reason on hover.
 */
export function KeyActions({ keyInfo, onChanged, onDetails }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const { allowed, access, purgeWait } = lifecycle;
  const { name } = keyInfo;

  return (
    <>
      <OverflowMenu aria-label={`Actions for ${name}`} iconDescription={`Actions for ${name}`} size="sm" flipped>
        {onDetails !== undefined && <OverflowMenuItem itemText="Details" data-action="details" onClick={onDetails} />}
        {allowed.rotate && (
          <OverflowMenuItem itemText="Rotate" data-action="rotate" {...deniedItemProps(access.rotate)} onClick={lifecycle.rotate} />
        )}
        {allowed.disable && (
          <OverflowMenuItem itemText="Disable" data-action="disable" {...deniedItemProps(access.disable)} onClick={lifecycle.disable} />
        )}
        {allowed.enable && (
          <OverflowMenuItem itemText="Enable" data-action="enable" {...deniedItemProps(access.enable)} onClick={lifecycle.enable} />
        )}
        {allowed.restore && (
          <OverflowMenuItem itemText="Restore" data-action="restore" {...deniedItemProps(access.restore)} onClick={lifecycle.restore} />
        )}
        {allowed.purge && (
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
            // The countdown says how long; the hover text says why (the wait, or the missing role).
            {...deniedItemProps(access.purge)}
            data-action="purge"
            isDelete
            hasDivider
            onClick={lifecycle.requestPurge}
          />
        )}
        {allowed.delete && (
          <OverflowMenuItem
            itemText="Delete"
            data-action="delete"
            {...deniedItemProps(access.delete)}
            isDelete
            hasDivider
            onClick={lifecycle.requestDelete}
          />
        )}
      </OverflowMenu>
      {lifecycle.dialogs}
    </>
  );
}
