import { OverflowMenu, OverflowMenuItem } from "@carbon/react";
import { useMenuDirection } from "../../lib/hooks/useMenuDirection";
import { Countdown } from "../../components/Countdown";
import { deniedItemProps, useAccess, type Access } from "../../lib/access";
import type { KeyInfo } from "../../lib/types";
import {
  ITEM_LABELS,
  ITEM_ROLE_ACTIONS,
  ITEM_SECTIONS,
  itemRefusal,
  type KeyDetailsSection,
  type KeyMenuItem,
} from "./sectionRules";
import { actionLabel, roleAndState, type LifecycleAction } from "./stateRules";
import { useKeyLifecycle } from "./useKeyLifecycle";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
  /**
   * Opens the details panel, at a section when given one; the menu offers "Details" and the
   * items that open a section (aliases, key ring, rotation policy, resources) when given.
   */
  onDetails?: (section?: KeyDetailsSection) => void;
  /** Opens the envelope encryption page with this key chosen; the menu offers it when given. */
  onOpenEnvelope?: () => void;
}

const SECTION_ITEMS = Object.keys(ITEM_SECTIONS) as (keyof typeof ITEM_SECTIONS)[];
const ALLOWED: Access = { allowed: true };

/**
 * The per-row menu. Every life-cycle item is always there: what the key's state forbids (Key
 * Protect's state table) or the caller lacks the role for is disabled, with the reason on hover.
 */
export function KeyActions({ keyInfo, onChanged, onDetails, onOpenEnvelope }: Props) {
  const lifecycle = useKeyLifecycle(keyInfo, onChanged);
  const can = useAccess();
  const { access, stateRefusals, purgeWait } = lifecycle;
  const { name } = keyInfo;
  const menu = useMenuDirection();
  const guard = (action: LifecycleAction) => deniedItemProps(roleAndState(access[action], stateRefusals[action]));
  // Any one of an item's role actions is enough; without one, the first one's reason shows.
  const guardItem = (item: KeyMenuItem) => {
    const roles = ITEM_ROLE_ACTIONS[item].map((action) => can(action, { keyId: keyInfo.id, keyRing: keyInfo.keyRing }));
    const role = roles.find((candidate) => candidate.allowed) ?? roles[0] ?? ALLOWED;
    return deniedItemProps(roleAndState(role, itemRefusal(item, keyInfo)));
  };

  return (
    <>
      {/* The full set is a dozen items: in the lower half of the window the menu opens upwards. */}
      <span className="key-actions__menu" {...menu.openIntent}>
      <OverflowMenu
        aria-label={`Actions for ${name}`}
        iconDescription={`Actions for ${name}`}
        size="sm"
        flipped
        direction={menu.direction}
      >
        {onDetails !== undefined && (
          <OverflowMenuItem itemText="Details" data-action="details" onClick={() => onDetails()} />
        )}
        {onOpenEnvelope !== undefined && (
          <OverflowMenuItem
            itemText={ITEM_LABELS.envelope}
            data-action="envelope"
            {...guardItem("envelope")}
            onClick={onOpenEnvelope}
          />
        )}
        {onDetails !== undefined &&
          SECTION_ITEMS.map((item) => (
            <OverflowMenuItem
              key={item}
              itemText={ITEM_LABELS[item]}
              data-action={item}
              {...guardItem(item)}
              onClick={() => onDetails(ITEM_SECTIONS[item])}
            />
          ))}
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
      </span>
      {lifecycle.dialogs}
    </>
  );
}
