import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { keyActionCommand } from "../../lib/cli";
import { toBackendError, useBackend } from "../../lib/backend";
import type { KeyInfo, RegistrationInfo } from "../../lib/types";
import { formatTimestamp } from "../../lib/format";
import { deleteKindOf } from "./stateRules";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  /** `force` tells whether registered resources were overridden. */
  onDeleted: (force: boolean) => void;
  /** A dual-authorization key's deletion was scheduled (the first of two authorizations). */
  onScheduled: () => void;
}

/**
 * Deletes a key. A dual-authorization key that nobody has authorized yet is scheduled for
 * deletion instead (Key Protect's first authorization); a key with registered resources is
 * refused, and only then is a forced delete offered, naming them.
 */
export function DeleteKeyDialog({ keyInfo, onClose, onDeleted, onScheduled }: Props) {
  if (deleteKindOf(keyInfo) === "schedule") {
    return <ScheduleDeletionDialog keyInfo={keyInfo} onClose={onClose} onScheduled={onScheduled} />;
  }
  return <DeleteNowDialog keyInfo={keyInfo} onClose={onClose} onDeleted={onDeleted} />;
}

function ScheduleDeletionDialog({ keyInfo, onClose, onScheduled }: Omit<Props, "onDeleted">) {
  const backend = useBackend();
  const { name, id } = keyInfo;
  return (
    <ConfirmDialog
      title={`Schedule deletion of key ${name}?`}
      label="Delete key"
      primaryText="Schedule deletion"
      primaryId="schedule-deletion-confirm"
      busyText="Scheduling…"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await backend.setKeyForDeletion(id);
        onScheduled();
      }}
    >
      <p id="delete-key-dual-auth">
        This key needs two people to delete it. Scheduling is the first authorization; a different person must then
        delete the key within 7 days, or the authorization lapses. The key stays usable until it is deleted.
      </p>
      <CliSnippet
        id="schedule-deletion-cli"
        command={(target) => keyActionCommand({ action: "schedule-deletion", keyId: id }, target)}
      />
    </ConfirmDialog>
  );
}

function DeleteNowDialog({ keyInfo, onClose, onDeleted }: Omit<Props, "onScheduled">) {
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
            : "This key needs two people to delete it."}
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
