import { OverflowMenu, OverflowMenuItem } from "@carbon/react";
import { Countdown } from "../../components/Countdown";
import { formatTimestamp } from "../../lib/format";
import { PURGE_DELAY_HOURS } from "../../lib/keyLifecycle";
import type { KeyInfo } from "../../lib/types";
import { useKeyLifecycle } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /** Opens the details panel; the menu offers "Details" when given. */
  onDetails?: () => void;
}

/** The per-row menu; offers only what the key's state allows. */
export function KeyActions({ keyInfo, onChanged, onDetails }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const { allowed, purgeWait } = lifecycle;
  const { name } = keyInfo;

  return (
    <>
      <OverflowMenu aria-label={`Actions for ${name}`} iconDescription={`Actions for ${name}`} size="sm" flipped>
        {onDetails !== undefined && <OverflowMenuItem itemText="Details" data-action="details" onClick={onDetails} />}
        {allowed.rotate && <OverflowMenuItem itemText="Rotate" data-action="rotate" onClick={lifecycle.rotate} />}
        {allowed.disable && <OverflowMenuItem itemText="Disable" data-action="disable" onClick={lifecycle.disable} />}
        {allowed.enable && <OverflowMenuItem itemText="Enable" data-action="enable" onClick={lifecycle.enable} />}
        {allowed.restore && <OverflowMenuItem itemText="Restore" data-action="restore" onClick={lifecycle.restore} />}
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
            // The countdown says how long; the hover text says why.
            requireTitle={purgeWait !== undefined}
            title={
              purgeWait === undefined
                ? undefined
                : `Purge is possible ${PURGE_DELAY_HOURS} hours after the deletion: from ${formatTimestamp(purgeWait.toISOString())}.`
            }
            data-action="purge"
            isDelete
            hasDivider
            disabled={purgeWait !== undefined}
            onClick={lifecycle.requestPurge}
          />
        )}
        {allowed.delete && (
          <OverflowMenuItem
            itemText="Delete"
            data-action="delete"
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
