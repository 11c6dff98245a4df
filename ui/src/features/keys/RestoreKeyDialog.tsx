import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useBackend } from "../../lib/backend";
import { keyActionCommand } from "../../lib/cli";
import { RESTORE_WINDOW_DAYS } from "../../lib/keyLifecycle";
import type { KeyInfo } from "../../lib/types";
import { RestoreWindow } from "./RestoreWindow";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  onRestored: () => void;
}

/** Restores a destroyed key, stating the 30-day rule and until when this one can come back. */
export function RestoreKeyDialog({ keyInfo, onClose, onRestored }: Props) {
  const backend = useBackend();
  const { id, name } = keyInfo;
  return (
    <ConfirmDialog
      title={`Restore key ${name}?`}
      label="Restore key"
      primaryText="Restore"
      primaryId="restore-key-confirm"
      busyText="Restoring…"
      onClose={onClose}
      onConfirm={async () => {
        await backend.restoreKey(id);
        onRestored();
      }}
    >
      <p id="restore-key-rule">
        A deleted key can be restored for {RESTORE_WINDOW_DAYS} days after its deletion; after that it is gone for
        good. Restored, it wraps and unwraps again with the versions it had.
      </p>
      {keyInfo.deletedAt !== undefined && (
        <p>
          This key is restorable until <RestoreWindow id="restore-key-until" keyInfo={keyInfo} />.
        </p>
      )}
      <CliSnippet id="restore-key-cli" command={(target) => keyActionCommand({ action: "restore", keyId: id }, target)} />
    </ConfirmDialog>
  );
}
