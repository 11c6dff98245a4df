import { OverflowMenu, OverflowMenuItem, PasswordInput } from "@carbon/react";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import type { KeyInfo } from "../../lib/types";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
}

type Dialog = "delete" | "rotate-imported" | null;

/** The per-row menu; offers only what the key's state allows. */
export function KeyActions({ keyInfo, onChanged }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [payload, setPayload] = useState("");
  const { id, name, state } = keyInfo;

  const succeeded = (pastTense: string) => {
    notify({ kind: "success", title: `Key ${name} ${pastTense}` });
    onChanged();
  };

  const run = async (verb: string, pastTense: string, call: () => Promise<unknown>) => {
    try {
      await call();
      succeeded(pastTense);
    } catch (thrown) {
      notify({
        kind: "error",
        title: `Could not ${verb} key ${name}`,
        subtitle: describe(toBackendError(thrown)),
      });
    }
  };

  const rotate = () => {
    if (keyInfo.imported) {
      setPayload("");
      setDialog("rotate-imported");
    } else {
      void run("rotate", "rotated", () => backend.rotateKey({ keyId: id }));
    }
  };

  return (
    <>
      <OverflowMenu aria-label={`Actions for ${name}`} iconDescription={`Actions for ${name}`} size="sm" flipped>
        {state === "active" && keyInfo.keyType === "root" && (
          <OverflowMenuItem itemText="Rotate" data-action="rotate" onClick={rotate} />
        )}
        {state === "active" && (
          <OverflowMenuItem
            itemText="Disable"
            data-action="disable"
            onClick={() => void run("disable", "disabled", () => backend.disableKey(id))}
          />
        )}
        {state === "suspended" && (
          <OverflowMenuItem
            itemText="Enable"
            data-action="enable"
            onClick={() => void run("enable", "enabled", () => backend.enableKey(id))}
          />
        )}
        {state === "destroyed" && (
          <OverflowMenuItem
            itemText="Restore"
            data-action="restore"
            onClick={() => void run("restore", "restored", () => backend.restoreKey(id))}
          />
        )}
        {state !== "destroyed" && (
          <OverflowMenuItem
            itemText="Delete"
            data-action="delete"
            isDelete
            hasDivider
            onClick={() => setDialog("delete")}
          />
        )}
      </OverflowMenu>

      {dialog === "delete" && (
        <ConfirmDialog
          title={`Delete key ${name}?`}
          label="Delete key"
          primaryText="Delete"
          primaryId="delete-key-confirm"
          busyText="Deleting…"
          danger
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await backend.deleteKey(id);
            setDialog(null);
            succeeded("deleted");
          }}
        >
          <p>
            Nothing can wrap or unwrap with this key once it is destroyed. It can be restored for a limited time;
            after that, every DEK it wrapped is lost for good.
          </p>
        </ConfirmDialog>
      )}

      {dialog === "rotate-imported" && (
        <ConfirmDialog
          title={`Rotate key ${name}`}
          label="Rotate key"
          primaryText="Rotate"
          primaryId="rotate-key-confirm"
          busyText="Rotating…"
          confirmDisabled={payload.trim() === ""}
          onClose={() => setDialog(null)}
          onConfirm={async () => {
            await backend.rotateKey({ keyId: id, payload: payload.trim() });
            setDialog(null);
            succeeded("rotated");
          }}
        >
          <p>
            This key&apos;s material was imported, so the new version needs new material. Existing ciphertexts still
            unwrap; new wraps use the new version.
          </p>
          <PasswordInput
            id="rotate-key-payload"
            labelText="New key material"
            helperText="Base64: 16, 24 or 32 bytes for a root key."
            autoComplete="off"
            value={payload}
            showPasswordLabel="Show key material"
            hidePasswordLabel="Hide key material"
            onChange={(event) => setPayload(event.target.value)}
          />
        </ConfirmDialog>
      )}
    </>
  );
}
