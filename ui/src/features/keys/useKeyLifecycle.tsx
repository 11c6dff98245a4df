import { useState, type ReactNode } from "react";
import { useNotify } from "../../components/notifications";
import { ACTIONS, bothAllow, denied, useAccess, useCaller, type Access } from "../../lib/access";
import { toBackendError, useBackend } from "../../lib/backend";
import type { KeyAction } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { PURGE_DELAY_HOURS, purgeableFrom, reenableAt } from "../../lib/keyLifecycle";
import { useReached } from "../../lib/hooks/useReached";
import type { KeyInfo } from "../../lib/types";
import { roleActionFor } from "./batch";
import { KeyLifecycleDialogs, type LifecycleDialog, type Succeeded } from "./KeyLifecycleDialogs";
import { perAction, selfApproval, stateRefusal, type LifecycleAction } from "./stateRules";
import { keystoreNow } from "../../lib/clock";

export type { LifecycleAction } from "./stateRules";

export interface KeyLifecycle {
  /** What the key's state allows (Key Protect's state table). */
  allowed: Record<LifecycleAction, boolean>;
  /** Why the key's state forbids each action; undefined where it allows it. */
  stateRefusals: Record<LifecycleAction, string | undefined>;
  /**
   * Whether the caller may run each action the state allows: denied, the control stays
   * visible but disabled with the reason. For purge, the 4-hour wait counts too.
   */
  access: Record<LifecycleAction, Access>;
  /** While a destroyed key is too recent to purge: when it may be (4 hours after its deletion). */
  purgeWait: Date | undefined;
  /** The action in flight, if any. */
  busy: LifecycleAction | null;
  /** Opens the rotate panel: versions, the rotation policy, and new material for an imported key. */
  rotate: () => void;
  /** Asks first, in a dialog that names what stops working. */
  requestDisable: () => void;
  enable: () => void;
  /** Asks first, in a dialog. */
  requestDelete: () => void;
  /** Asks first, in a dialog that states the 30-day rule. */
  requestRestore: () => void;
  /** Asks first, in a dialog that explains the 4-hour rule. */
  requestPurge: () => void;
  /** The confirmation dialogs; render them once, anywhere. */
  dialogs: ReactNode;
  /** The last action that succeeded here, for "Copy as CLI" beside the buttons. */
  lastAction: KeyAction | null;
}

/** The life-cycle actions on one key, shared by its row menu and its details panel. */
export function useKeyLifecycle(keyInfo: KeyInfo, onChanged: () => void): KeyLifecycle {
  const backend = useBackend();
  const notify = useNotify();
  const can = useAccess();
  const caller = useCaller();
  const [dialog, setDialog] = useState<LifecycleDialog | null>(null);
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [lastAction, setLastAction] = useState<KeyAction | null>(null);
  const { id, name, state } = keyInfo;
  const purgeFrom = state === "destroyed" ? purgeableFrom(keyInfo) : undefined;
  const purgeReady = useReached(purgeFrom);

  /** `more` adds to the success toast, e.g. an action to undo. */
  const succeeded: Succeeded = (pastTense, done, more = {}) => {
    notify({ kind: "success", title: `Key ${name} ${pastTense}`, ...more });
    setLastAction(done);
    onChanged();
  };

  const enable = async () => {
    setBusy("enable");
    try {
      await backend.enableKey(id);
      succeeded("enabled", { action: "enable", keyId: id });
    } catch (thrown) {
      notify({ kind: "error", title: `Could not enable key ${name}`, subtitle: describe(toBackendError(thrown)) });
    } finally {
      setBusy(null);
    }
  };

  // Key Protect's undo for a disable: enabling again, from 30 s after it.
  const reenableOffer = () => ({
    subtitle: "Wrap and unwrap with it fail until it is enabled again.",
    action: {
      label: "Re-enable",
      id: "toast-reenable",
      availableAt: reenableAt(new Date(keystoreNow())),
      onClick: () => void enable(),
    },
  });

  const dialogs = (
    <KeyLifecycleDialogs
      open={dialog}
      keyInfo={keyInfo}
      onClose={() => setDialog(null)}
      onChanged={onChanged}
      succeeded={succeeded}
      reenableOffer={reenableOffer}
    />
  );

  const target = { keyId: id, keyRing: keyInfo.keyRing };
  // The two-person rule: whoever authorized the deletion cannot also delete the key.
  const selfApproved = selfApproval(keyInfo, caller?.iamId);
  const stateRefusals = perAction((action) => stateRefusal(action, keyInfo));
  const purgeWait = purgeReady ? undefined : purgeFrom;
  const purgeState: Access =
    purgeWait === undefined
      ? { allowed: true }
      : denied(`Purge is possible ${PURGE_DELAY_HOURS} hours after the deletion: from ${formatTimestamp(purgeWait.toISOString())}.`);

  return {
    access: {
      rotate: can(ACTIONS.rotate, target),
      disable: can(ACTIONS.disable, target),
      enable: can(ACTIONS.enable, target),
      delete: bothAllow(selfApproved === undefined ? { allowed: true } : denied(selfApproved), can(roleActionFor("delete", keyInfo), target)),
      restore: can(ACTIONS.restore, target),
      purge: bothAllow(purgeState, can(ACTIONS.purge, target)),
    },
    allowed: perAction((action) => stateRefusals[action] === undefined),
    stateRefusals,
    purgeWait,
    busy,
    rotate: () => setDialog("rotate"),
    requestDisable: () => setDialog("disable"),
    enable: () => void enable(),
    requestDelete: () => setDialog("delete"),
    requestRestore: () => setDialog("restore"),
    requestPurge: () => setDialog("purge"),
    dialogs,
    lastAction,
  };
}
