import { TextInput } from "@carbon/react";
import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useBackend } from "../../lib/backend";
import { keyActionCommand } from "../../lib/cli";
import { formatTimestamp } from "../../lib/format";
import { PURGE_DELAY_HOURS, purgeableFrom } from "../../lib/keyLifecycle";
import type { KeyInfo } from "../../lib/types";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  onPurged: () => void;
}

/**
 * Removes a destroyed key for good, once its name is typed; the keystore refuses
 * (PURGE_TOO_EARLY) within 4 hours of the deletion.
 */
export function PurgeKeyDialog({ keyInfo, onClose, onPurged }: Props) {
  const backend = useBackend();
  const [typed, setTyped] = useState("");
  const allowedFrom = purgeableFrom(keyInfo)?.toISOString();
  return (
    <ConfirmDialog
      title={`Purge key ${keyInfo.name}?`}
      label="Purge key"
      primaryText="Purge"
      primaryId="purge-key-confirm"
      busyText="Purging…"
      danger
      confirmDisabled={typed !== keyInfo.name}
      onClose={onClose}
      onConfirm={async () => {
        await backend.purgeKey(keyInfo.id);
        onPurged();
      }}
    >
      <p>
        <strong>This cannot be undone.</strong> Purging shreds the key material and removes the key&apos;s metadata.
        It cannot be restored afterwards, and anything it wrapped is lost for good.
      </p>
      <p id="purge-key-rule">
        A key can be purged from {PURGE_DELAY_HOURS} hours after its deletion
        {allowedFrom === undefined ? "." : `: this one from ${formatTimestamp(allowedFrom)}.`}
      </p>
      <TextInput
        id="purge-key-name"
        labelText={`Type ${keyInfo.name} to confirm`}
        autoComplete="off"
        spellCheck={false}
        value={typed}
        onChange={(event) => setTyped(event.target.value)}
      />
      <CliSnippet id="purge-key-cli" command={(target) => keyActionCommand({ action: "purge", keyId: keyInfo.id }, target)} />
    </ConfirmDialog>
  );
}
