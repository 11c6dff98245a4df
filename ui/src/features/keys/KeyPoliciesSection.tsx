import { InlineNotification, SkeletonText, Toggle } from "@carbon/react";
import { useState } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ACTIONS, useAccess } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { keyActionCommand } from "../../lib/cli";
import { describe } from "../../lib/errors";
import type { KeyInfo } from "../../lib/types";
import { RotationPolicyFields } from "./RotationPolicyFields";
import { useKeyPolicies } from "./useKeyPolicies";

interface Props {
  keyInfo: KeyInfo;
  refreshToken: number;
  onChanged: () => void;
}

/** Rotation (every 1 to 12 months) and dual-authorization delete, which once on stays on. */
export function KeyPoliciesSection({ keyInfo, refreshToken, onChanged }: Props) {
  const backend = useBackend();
  const editor = useKeyPolicies(keyInfo, refreshToken, onChanged);
  const [confirmDualAuth, setConfirmDualAuth] = useState(false);
  const editable = keyInfo.state !== "destroyed";
  const can = useAccess();
  const write = can(ACTIONS.writePolicies, { keyId: keyInfo.id, keyRing: keyInfo.keyRing });
  const { policies } = editor;
  const current = policies.data;

  return (
    <section aria-labelledby="key-details-policies-title" className="key-details__section">
      <h3 tabIndex={-1} id="key-details-policies-title" className="key-details__subtitle">
        Policies
      </h3>
      {policies.error !== undefined && (
        <InlineNotification kind="error" title="Policies could not be loaded" subtitle={describe(policies.error)} lowContrast hideCloseButton />
      )}
      {current === undefined ? (
        policies.error === undefined && <SkeletonText paragraph lineCount={3} />
      ) : (
        <>
          <RotationPolicyFields keyInfo={keyInfo} editor={editor} idPrefix="key-details-rotation" nextId="key-details-rotation-next" />
          {editor.edited && !(editor.rotation.enabled && editor.monthsInvalid) && (
            <CliSnippet
              id="key-details-rotation-cli"
              command={(target) =>
                keyActionCommand(
                  {
                    action: "set-policies",
                    keyId: keyInfo.id,
                    rotationMonths: editor.rotation.enabled ? editor.rotation.months : null,
                  },
                  target,
                )
              }
            />
          )}
          <Toggle
            id="key-details-dual-auth"
            labelText="Dual authorization to delete"
            labelA="Off"
            labelB="On — cannot be turned off"
            size="sm"
            toggled={current.dualAuthDelete}
            disabled={!editable || current.dualAuthDelete || !write.allowed}
            onToggle={(on) => {
              if (on) setConfirmDualAuth(true);
            }}
          />
          <p className="key-details__note">
            With it on, deleting needs two people: one authorizes, another deletes. It cannot be turned off again.
          </p>
          {!write.allowed && editable && !current.dualAuthDelete && (
            <p id="key-details-policies-denied" className="key-details__note" data-denied-reason={write.reason}>
              {write.reason}
            </p>
          )}
        </>
      )}
      {confirmDualAuth && (
        <ConfirmDialog
          title={`Require two people to delete ${keyInfo.name}?`}
          label="Policies"
          primaryText="Turn on"
          primaryId="key-dual-auth-confirm"
          busyText="Saving…"
          onClose={() => setConfirmDualAuth(false)}
          onConfirm={async () => {
            await backend.setKeyPolicies({ keyId: keyInfo.id, dualAuthDelete: true });
            setConfirmDualAuth(false);
            editor.applied(`Dual authorization turned on for ${keyInfo.name}`);
          }}
        >
          <p>
            <strong>This cannot be turned off.</strong> From now on, deleting this key takes two people with the
            Manager role: one authorizes the deletion, another deletes within 7 days. Make sure a second person can.
          </p>
          <CliSnippet
            id="key-dual-auth-cli"
            command={(target) => keyActionCommand({ action: "set-policies", keyId: keyInfo.id, dualAuthDelete: true }, target)}
          />
        </ConfirmDialog>
      )}
    </section>
  );
}
