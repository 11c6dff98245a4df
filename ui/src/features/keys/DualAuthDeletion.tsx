import { InlineLoading } from "@carbon/react";
import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, useAccess } from "../../lib/access";
import { toBackendError, useBackend } from "../../lib/backend";
import { keyActionCommand } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import type { KeyInfo } from "../../lib/types";
import { PendingDeletionTag } from "./PendingDeletionTag";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
}

/** The two-person delete of a dual-authorization key: who authorized it, until when, and the buttons. */
export function DualAuthDeletion({ keyInfo, onChanged }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const can = useAccess();
  const [busy, setBusy] = useState(false);
  const { dualAuthDelete: dual, name, id } = keyInfo;
  const target = { keyId: id, keyRing: keyInfo.keyRing };
  if (!dual.enabled || keyInfo.state === "destroyed") return null;

  const run = async (authorize: boolean) => {
    setBusy(true);
    try {
      await (authorize ? backend.setKeyForDeletion(id) : backend.unsetKeyForDeletion(id));
      notify({ kind: "success", title: authorize ? `Deletion of ${name} authorized` : `Authorization to delete ${name} cancelled` });
      onChanged();
    } catch (thrown) {
      notify({
        kind: "error",
        title: authorize ? `Could not authorize deletion of ${name}` : "Could not cancel the authorization",
        subtitle: describe(toBackendError(thrown)),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section id="key-details-dual-auth-state" aria-labelledby="key-details-dual-auth-title" className="key-details__section">
      <h3 id="key-details-dual-auth-title" className="key-details__subtitle">
        Deletion needs two people
      </h3>
      {dual.keySetForDeletion ? (
        <>
          <PendingDeletionTag id="key-details-pending-deletion" dualAuthDelete={dual} />
          <p>
            Authorized by <strong>{dual.authorizedBy ?? "another user"}</strong>
            {dual.authExpiration !== undefined && (
              <>
                {" "}
                until <time dateTime={dual.authExpiration}>{formatTimestamp(dual.authExpiration)}</time>
              </>
            )}
            . A different person with the Manager role can now delete the key; after that date the authorization lapses.
          </p>
          <GuardedButton
            access={can(ACTIONS.unsetForDeletion, target)}
            id="key-details-cancel-authorization" kind="tertiary" size="sm" disabled={busy} onClick={() => void run(false)}>
            {busy ? <InlineLoading description="Cancelling…" /> : "Cancel authorization"}
          </GuardedButton>
        </>
      ) : (
        <>
          <p>
            To delete this key, one person authorizes the deletion here; then a different person deletes it within 7
            days. The key stays usable until then.
          </p>
          <GuardedButton
            access={can(ACTIONS.setForDeletion, target)}
            id="key-details-authorize-deletion" kind="tertiary" size="sm" disabled={busy} onClick={() => void run(true)}>
            {busy ? <InlineLoading description="Authorizing…" /> : "Authorize deletion"}
          </GuardedButton>
        </>
      )}
      <CliSnippet
        id="key-details-dual-auth-cli"
        command={(cli) =>
          keyActionCommand({ action: dual.keySetForDeletion ? "cancel-deletion" : "schedule-deletion", keyId: id }, cli)
        }
      />
    </section>
  );
}
