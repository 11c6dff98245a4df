import type { Notice } from "../../components/notifications";
import type { KeyAction } from "../../lib/cli";
import type { KeyInfo } from "../../lib/types";
import { DeleteKeyDialog } from "./DeleteKeyDialog";
import { DisableKeyDialog } from "./DisableKeyDialog";
import { PurgeKeyDialog } from "./PurgeKeyDialog";
import { RestoreKeyDialog } from "./RestoreKeyDialog";
import { RotateKeyDialog } from "./RotateKeyDialog";

/** The life-cycle actions that ask first, each in its own dialog. */
export type LifecycleDialog = "rotate" | "disable" | "delete" | "restore" | "purge";

/** Reports an action that succeeded; `more` adds to the success toast, e.g. an action to undo. */
export type Succeeded = (pastTense: string, done: KeyAction, more?: Pick<Notice, "subtitle" | "action">) => void;

interface Props {
  open: LifecycleDialog | null;
  keyInfo: KeyInfo;
  onClose: () => void;
  onChanged: () => void;
  succeeded: Succeeded;
  /** What the disable's success toast adds: the offer to enable the key again. */
  reenableOffer: () => Pick<Notice, "subtitle" | "action">;
}

/** The open confirmation dialog of one key's life-cycle actions, if any. */
export function KeyLifecycleDialogs({ open, keyInfo, onClose, onChanged, succeeded, reenableOffer }: Props) {
  const keyId = keyInfo.id;
  const done: Succeeded = (...args) => {
    onClose();
    succeeded(...args);
  };
  switch (open) {
    case "rotate":
      return (
        <RotateKeyDialog
          keyInfo={keyInfo}
          onClose={onClose}
          onChanged={onChanged}
          onRotated={(imported) => done("rotated", { action: "rotate", keyId, imported })}
        />
      );
    case "disable":
      return (
        <DisableKeyDialog
          keyInfo={keyInfo}
          onClose={onClose}
          onDisabled={() => done("disabled", { action: "disable", keyId }, reenableOffer())}
        />
      );
    case "delete":
      return (
        <DeleteKeyDialog
          keyInfo={keyInfo}
          onClose={onClose}
          onDeleted={(force) => done("deleted", { action: "delete", keyId, force })}
          onScheduled={() =>
            done("scheduled for deletion", { action: "schedule-deletion", keyId }, {
              subtitle: "A different person must delete it within 7 days.",
            })
          }
        />
      );
    case "restore":
      return (
        <RestoreKeyDialog
          keyInfo={keyInfo}
          onClose={onClose}
          onRestored={() => done("restored", { action: "restore", keyId })}
        />
      );
    case "purge":
      return <PurgeKeyDialog keyInfo={keyInfo} onClose={onClose} onPurged={() => done("purged", { action: "purge", keyId })} />;
    case null:
      return null;
  }
}
