import { Button, InlineLoading, InlineNotification, NumberInput, SkeletonText, Toggle } from "@carbon/react";
import { useCallback, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo, KeyPolicies } from "../../lib/types";

const ROTATION_MIN = 1;
const ROTATION_MAX = 12;

interface Props {
  keyInfo: KeyInfo;
  refreshToken: number;
  onChanged: () => void;
}

/** Rotation (every 1 to 12 months) and dual-authorization delete, which once on stays on. */
export function KeyPoliciesSection({ keyInfo, refreshToken, onChanged }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const [saved, setSaved] = useState(0);
  const load = useCallback(() => backend.keyPolicies(keyInfo.id), [backend, keyInfo.id]);
  const policies = useRequest(load, refreshToken + saved);
  const [draft, setDraft] = useState<{ enabled: boolean; months: number } | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirmDualAuth, setConfirmDualAuth] = useState(false);
  const editable = keyInfo.state !== "destroyed";

  const current = policies.data;
  const rotation = draft ?? {
    enabled: current?.rotation?.enabled ?? false,
    months: current?.rotation?.intervalMonth ?? 3,
  };
  const monthsInvalid = !Number.isInteger(rotation.months) || rotation.months < ROTATION_MIN || rotation.months > ROTATION_MAX;

  const applied = (next: KeyPolicies, title: string) => {
    notify({ kind: "success", title });
    setDraft(null);
    setSaved((n) => n + 1);
    onChanged();
    return next;
  };

  const saveRotation = async () => {
    setBusy(true);
    try {
      const next = await backend.setKeyPolicies({
        keyId: keyInfo.id,
        rotation: { enabled: rotation.enabled, intervalMonth: rotation.months },
      });
      applied(next, `Rotation policy of ${keyInfo.name} saved`);
    } catch (thrown) {
      notify({ kind: "error", title: "The rotation policy was not saved", subtitle: describe(toBackendError(thrown)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="key-details-policies-title" className="key-details__section">
      <h3 id="key-details-policies-title" className="key-details__subtitle">
        Policies
      </h3>
      {policies.error !== undefined && (
        <InlineNotification kind="error" title="Policies could not be loaded" subtitle={describe(policies.error)} lowContrast hideCloseButton />
      )}
      {current === undefined ? (
        policies.error === undefined && <SkeletonText paragraph lineCount={3} />
      ) : (
        <>
          <div className="key-details__row">
            <Toggle
              id="key-details-rotation"
              labelText="Automatic rotation"
              labelA="Off"
              labelB="On"
              size="sm"
              toggled={rotation.enabled}
              disabled={!editable || keyInfo.keyType !== "root" || busy}
              onToggle={(on) => setDraft({ ...rotation, enabled: on })}
            />
            <NumberInput
              id="key-details-rotation-months"
              label="Every (months)"
              size="sm"
              min={ROTATION_MIN}
              max={ROTATION_MAX}
              value={rotation.months}
              disabled={!editable || !rotation.enabled || busy}
              invalid={rotation.enabled && monthsInvalid}
              invalidText={`Choose ${ROTATION_MIN} to ${ROTATION_MAX} months.`}
              onChange={(_event, { value }) => setDraft({ ...rotation, months: Number(value) })}
            />
            <Button
              id="key-details-rotation-save"
              kind="tertiary"
              size="sm"
              disabled={draft === null || busy || (rotation.enabled && monthsInvalid)}
              onClick={() => void saveRotation()}
            >
              {busy ? <InlineLoading description="Saving…" /> : "Save"}
            </Button>
          </div>
          {keyInfo.keyType !== "root" && <p className="key-details__note">Only root keys rotate.</p>}
          <Toggle
            id="key-details-dual-auth"
            labelText="Dual authorization to delete"
            labelA="Off"
            labelB="On — cannot be turned off"
            size="sm"
            toggled={current.dualAuthDelete}
            disabled={!editable || current.dualAuthDelete}
            onToggle={(on) => {
              if (on) setConfirmDualAuth(true);
            }}
          />
          <p className="key-details__note">
            With it on, deleting needs two people: one authorizes, another deletes. It cannot be turned off again.
          </p>
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
            const next = await backend.setKeyPolicies({ keyId: keyInfo.id, dualAuthDelete: true });
            setConfirmDualAuth(false);
            applied(next, `Dual authorization turned on for ${keyInfo.name}`);
          }}
        >
          <p>
            <strong>This cannot be turned off.</strong> From now on, deleting this key takes two people with the
            Manager role: one authorizes the deletion, another deletes within 7 days. Make sure a second person can.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
