import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { keyActionCommand } from "../../lib/cli";
import { toBackendError, useBackend } from "../../lib/backend";
import type { KeyInfo, RegistrationInfo } from "../../lib/types";
import { formatTimestamp } from "../../lib/format";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  /** `force` tells whether registered resources were overridden. */
  onDeleted: (force: boolean) => void;
}

/**
 * Deletes a key. A dual-authorization key needs a first authorization from someone else; a key
 * with registered resources is refused, and only then is a forced delete offered, naming them.
 */
export function DeleteKeyDialog({ keyInfo, onClose, onDeleted }: Props) {
  const backend = useBackend();
  const [protectedBy, setProtectedBy] = useState<RegistrationInfo[] | null>(null);
  const { name, id, dualAuthDelete } = keyInfo;
  const force = protectedBy !== null;

  const confirm = async () => {
    try {
      await (force ? backend.deleteKey(id, true) : backend.deleteKey(id));
    } catch (thrown) {
      const error = toBackendError(thrown);
      if (error.code === "PROTECTED_RESOURCE" && !force) {
        setProtectedBy(await backend.registrations(id).catch(() => []));
        return;
      }
      throw error;
    }
    onDeleted(force);
  };

  return (
    // A new dialog once forcing is offered, so its button is ready again.
    <ConfirmDialog
      key={force ? "force" : "plain"}
      title={force ? `Force delete key ${name}?` : `Delete key ${name}?`}
      label="Delete key"
      primaryText={force ? "Force delete" : "Delete"}
      primaryId={force ? "force-delete-key-confirm" : "delete-key-confirm"}
      busyText="Deleting…"
      danger
      onClose={onClose}
      onConfirm={confirm}
    >
      {dualAuthDelete.enabled && (
        <p id="delete-key-dual-auth">
          {dualAuthDelete.keySetForDeletion
            ? `Deletion was authorized by ${dualAuthDelete.authorizedBy ?? "another user"}${
                dualAuthDelete.authExpiration === undefined
                  ? ""
                  : ` until ${formatTimestamp(dualAuthDelete.authExpiration)}`
              }. Deleting now is the second authorization; it must come from a different person.`
            : "This key needs two people to delete it. Someone else must first choose “Authorize deletion”; then a second person deletes it within 7 days."}
        </p>
      )}
      <p>
        Nothing can wrap or unwrap with this key once it is destroyed. It can be restored for 30 days; after that,
        every DEK it wrapped is lost for good.
      </p>
      {force && (
        <div id="delete-key-protected">
          <p>
            <strong>Resources of other services are registered to this key.</strong> Deleting it anyway makes their
            data unreadable:
          </p>
          {protectedBy.length === 0 ? (
            <p>The registrations could not be listed.</p>
          ) : (
            <ul className="key-details__list">
              {protectedBy.map((registration) => (
                <li key={registration.resourceCrn}>
                  <code>{registration.resourceCrn}</code> ({registration.service})
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      <CliSnippet id="delete-key-cli" command={(target) => keyActionCommand({ action: "delete", keyId: id, force }, target)} />
    </ConfirmDialog>
  );
}
