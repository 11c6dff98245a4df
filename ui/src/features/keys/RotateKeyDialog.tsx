import { InlineNotification, PasswordInput, SkeletonText } from "@carbon/react";
import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { BackendError, useBackend, type Backend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { keyActionCommand } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { ROOT_KEY_SIZES, SecureImportError } from "../../lib/secureImport";
import type { KeyInfo } from "../../lib/types";
import { rotateImportedKey } from "./importSteps";
import { RotationPolicyFields } from "./RotationPolicyFields";
import { useKeyPolicies } from "./useKeyPolicies";

interface Props {
  keyInfo: KeyInfo;
  onClose: () => void;
  /** After the rotation; `imported` says whether new material was sent. */
  onRotated: (imported: boolean) => void;
  /** After a policy change saved from the panel. */
  onChanged: () => void;
}

/** An imported key's new material goes through secure import, as the import itself did. */
async function rotateWithMaterial(backend: Backend, keyId: string, payload: string) {
  const material = decodeBase64(payload);
  if (material === null || !(ROOT_KEY_SIZES as readonly number[]).includes(material.length)) {
    throw new BackendError("INVALID_INPUT", "New key material must be base64 of 16, 24 or 32 bytes.");
  }
  try {
    await rotateImportedKey(backend, keyId, material);
  } catch (thrown) {
    // Local sealing failures are not the keystore's; say what happened in the same words as import.
    if (thrown instanceof SecureImportError) {
      throw new BackendError("INVALID_INPUT", "The new material could not be sealed for the keystore. Try again.");
    }
    throw thrown;
  } finally {
    material.fill(0);
  }
}

function When({ at }: { at: string }) {
  return <time dateTime={at}>{formatTimestamp(at)}</time>;
}

/**
 * Key Protect's Rotate panel: the current version and the last rotation, the rotation policy
 * with the next rotation date, and for an imported key the new material it needs.
 */
export function RotateKeyDialog({ keyInfo, onClose, onRotated, onChanged }: Props) {
  const backend = useBackend();
  const editor = useKeyPolicies(keyInfo, 0, onChanged);
  const [payload, setPayload] = useState("");
  const { id, name, imported } = keyInfo;

  return (
    <ConfirmDialog
      title={`Rotate key ${name}`}
      label="Rotate key"
      primaryText="Rotate"
      primaryId="rotate-key-confirm"
      busyText="Rotating…"
      size="md"
      confirmDisabled={imported && payload.trim() === ""}
      onClose={onClose}
      onConfirm={async () => {
        if (imported) await rotateWithMaterial(backend, id, payload);
        else await backend.rotateKey({ keyId: id });
        onRotated(imported);
      }}
    >
      <p>
        Rotating makes a new version of the key. New wraps use it; ciphertexts wrapped with earlier versions still
        unwrap, and rewrap moves them to the new version.
      </p>
      <dl className="key-details__fields">
        <div className="key-details__field">
          <dt className="cds--label">Current version</dt>
          <dd>
            <code id="key-rotate-version" className="key-details__code">
              {keyInfo.keyVersion.id}
            </code>{" "}
            <span className="key-details__note">
              since <When at={keyInfo.keyVersion.createdAt} />
            </span>
          </dd>
        </div>
        <div className="key-details__field">
          <dt className="cds--label">Last rotated</dt>
          <dd id="key-rotate-last">
            {keyInfo.lastRotatedAt === undefined ? (
              <>
                Never (created <When at={keyInfo.createdAt} />)
              </>
            ) : (
              <When at={keyInfo.lastRotatedAt} />
            )}
          </dd>
        </div>
      </dl>

      {imported && (
        <>
          <InlineNotification
            id="key-rotate-imported"
            kind="info"
            title="This key needs new key material"
            subtitle="Its material was imported, so the keystore cannot make the next version itself. Paste the new material; it is encrypted here to a one-time public key from the keystore (secure import) and never sent in the clear."
            lowContrast
            hideCloseButton
          />
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
        </>
      )}

      <section aria-labelledby="key-rotate-policy-title" className="key-details__section">
        <h3 id="key-rotate-policy-title" className="key-details__subtitle">
          Rotation policy
        </h3>
        {editor.policies.error !== undefined ? (
          <InlineNotification
            kind="error"
            title="The rotation policy could not be loaded"
            subtitle={describe(editor.policies.error)}
            lowContrast
            hideCloseButton
          />
        ) : editor.policies.data === undefined ? (
          <SkeletonText paragraph lineCount={2} />
        ) : (
          <RotationPolicyFields keyInfo={keyInfo} editor={editor} idPrefix="key-rotate-policy" nextId="key-rotate-next-date" />
        )}
      </section>

      <CliSnippet id="rotate-key-cli" command={(target) => keyActionCommand({ action: "rotate", keyId: id, imported }, target)} />
    </ConfirmDialog>
  );
}
