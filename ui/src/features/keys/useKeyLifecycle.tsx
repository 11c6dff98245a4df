import { PasswordInput } from "@carbon/react";
import { useState, type ReactNode } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useNotify, type Notice } from "../../components/notifications";
import { BackendError, toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { keyActionCommand, type KeyAction } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { reenableAt } from "../../lib/keyLifecycle";
import { ROOT_KEY_SIZES, SecureImportError } from "../../lib/secureImport";
import type { KeyInfo } from "../../lib/types";
import { DeleteKeyDialog } from "./DeleteKeyDialog";
import { rotateImportedKey } from "./importSteps";
import { PurgeKeyDialog } from "./PurgeKeyDialog";

type Dialog = "delete" | "purge" | "rotate-imported" | null;
export type LifecycleAction = "rotate" | "disable" | "enable" | "delete" | "restore" | "purge";

export interface KeyLifecycle {
  /** What the key's state allows (Key Protect's state table). */
  allowed: Record<LifecycleAction, boolean>;
  /** The action in flight, if any. */
  busy: LifecycleAction | null;
  rotate: () => void;
  disable: () => void;
  enable: () => void;
  /** Asks first, in a dialog. */
  requestDelete: () => void;
  restore: () => void;
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
  const [dialog, setDialog] = useState<Dialog>(null);
  const [payload, setPayload] = useState("");
  const [busy, setBusy] = useState<LifecycleAction | null>(null);
  const [lastAction, setLastAction] = useState<KeyAction | null>(null);
  const { id, name, state } = keyInfo;

  /** `more` adds to the success toast, e.g. an action to undo. */
  const succeeded = (pastTense: string, done: KeyAction, more: Pick<Notice, "subtitle" | "action"> = {}) => {
    notify({ kind: "success", title: `Key ${name} ${pastTense}`, ...more });
    setLastAction(done);
    onChanged();
  };

  const run = async (
    action: Exclude<LifecycleAction, "delete" | "purge">,
    pastTense: string,
    call: () => Promise<unknown>,
    more?: () => Pick<Notice, "subtitle" | "action">,
  ) => {
    setBusy(action);
    try {
      await call();
      succeeded(pastTense, action === "rotate" ? { action, keyId: id, imported: false } : { action, keyId: id }, more?.());
    } catch (thrown) {
      notify({
        kind: "error",
        title: `Could not ${action} key ${name}`,
        subtitle: describe(toBackendError(thrown)),
      });
    } finally {
      setBusy(null);
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

  const enable = () => void run("enable", "enabled", () => backend.enableKey(id));
  // Key Protect's undo for a disable: enabling again, from 30 s after it.
  const reenableOffer = () => ({
    subtitle: "Wrap and unwrap with it fail until it is enabled again.",
    action: { label: "Re-enable", id: "toast-reenable", availableAt: reenableAt(new Date()), onClick: enable },
  });

  const dialogs = (
    <>
      {dialog === "delete" && (
        <DeleteKeyDialog
          keyInfo={keyInfo}
          onClose={() => setDialog(null)}
          onDeleted={(force) => {
            setDialog(null);
            succeeded("deleted", { action: "delete", keyId: id, force });
          }}
        />
      )}

      {dialog === "purge" && (
        <PurgeKeyDialog
          keyInfo={keyInfo}
          onClose={() => setDialog(null)}
          onPurged={() => {
            setDialog(null);
            succeeded("purged", { action: "purge", keyId: id });
          }}
        />
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
            const material = decodeBase64(payload);
            if (material === null || !(ROOT_KEY_SIZES as readonly number[]).includes(material.length)) {
              throw new BackendError("INVALID_INPUT", "New key material must be base64 of 16, 24 or 32 bytes.");
            }
            try {
              await rotateImportedKey(backend, id, material);
            } catch (thrown) {
              // Local sealing failures are not the keystore's; say what happened in the same words as import.
              if (thrown instanceof SecureImportError) {
                throw new BackendError("INVALID_INPUT", "The new material could not be sealed for the keystore. Try again.");
              }
              throw thrown;
            } finally {
              material.fill(0);
            }
            setDialog(null);
            succeeded("rotated", { action: "rotate", keyId: id, imported: true });
          }}
        >
          <p>
            This key&apos;s material was imported, so the new version needs new material. It is encrypted here to a
            one-time public key from the keystore (secure import). Existing ciphertexts still unwrap; new wraps use the
            new version.
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
          <CliSnippet
            id="rotate-key-cli"
            command={(target) => keyActionCommand({ action: "rotate", keyId: id, imported: true }, target)}
          />
        </ConfirmDialog>
      )}
    </>
  );

  return {
    allowed: {
      // Key Protect lets an expired key rotate, so a new version can be given a new expiry.
      rotate: (state === "active" || state === "deactivated") && keyInfo.keyType === "root",
      disable: state === "active",
      enable: state === "suspended",
      delete: state !== "destroyed",
      restore: state === "destroyed",
      purge: state === "destroyed",
    },
    busy,
    rotate,
    disable: () => void run("disable", "disabled", () => backend.disableKey(id), reenableOffer),
    enable,
    requestDelete: () => setDialog("delete"),
    requestPurge: () => setDialog("purge"),
    restore: () => void run("restore", "restored", () => backend.restoreKey(id)),
    dialogs,
    lastAction,
  };
}
