import { useCallback } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useBackend } from "../../lib/backend";
import { keyActionCommand } from "../../lib/cli";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo } from "../../lib/types";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  onDisabled: () => void;
}

/** How many resources of other services are registered to the key; nothing until known. */
function RegisteredResources({ keyId }: { keyId: string }) {
  const backend = useBackend();
  const load = useCallback(() => backend.registrations(keyId), [backend, keyId]);
  const count = useRequest(load).data?.length ?? 0;
  if (count === 0) return null;
  return (
    <p id="disable-key-registrations">
      <strong>
        {count === 1 ? "1 resource is" : `${count} resources are`} registered to this key.
      </strong>{" "}
      Their services cannot read that data while the key is disabled.
    </p>
  );
}

/** Disables (suspends) a key after naming what stops working; it can be enabled again. */
export function DisableKeyDialog({ keyInfo, onClose, onDisabled }: Props) {
  const backend = useBackend();
  const { id, name } = keyInfo;
  return (
    <ConfirmDialog
      title={`Disable key ${name}?`}
      label="Disable key"
      primaryText="Disable"
      primaryId="disable-key-confirm"
      busyText="Disabling…"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await backend.disableKey(id);
        onDisabled();
      }}
    >
      <p id="disable-key-consequence">
        Services can no longer wrap or unwrap with {name}. It stays disabled until someone enables it again.
      </p>
      <RegisteredResources keyId={id} />
      <CliSnippet id="disable-key-cli" command={(target) => keyActionCommand({ action: "disable", keyId: id }, target)} />
    </ConfirmDialog>
  );
}
