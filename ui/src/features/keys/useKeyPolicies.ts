import { useCallback, useState } from "react";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useRequest, type RequestState } from "../../lib/hooks/useRequest";
import type { KeyInfo, KeyPolicies, RotationPolicyInfo } from "../../lib/types";

export const ROTATION_MIN_MONTHS = 1;
export const ROTATION_MAX_MONTHS = 12;
/** What the months field starts at when no policy was ever set. */
const DEFAULT_MONTHS = 3;

/** The rotation policy as the form shows it. */
export interface RotationDraft {
  enabled: boolean;
  months: number;
}

export interface KeyPoliciesEditor {
  policies: RequestState<KeyPolicies>;
  /** The rotation shown: the person's edit, else the saved policy. */
  rotation: RotationDraft;
  /** Whether `rotation` is an unsaved edit. */
  edited: boolean;
  monthsInvalid: boolean;
  /** A rotation save in flight. */
  busy: boolean;
  editRotation: (next: RotationDraft) => void;
  saveRotation: () => Promise<void>;
  /** After any policy change is saved: tells the person, reloads the policies and the page. */
  applied: (title: string) => void;
}

export const asPolicy = (rotation: RotationDraft): RotationPolicyInfo => ({
  enabled: rotation.enabled,
  intervalMonth: rotation.months,
});

/**
 * A key's policies, loaded, with an editable rotation policy and its save. Shared by the
 * policies section and the rotate panel, which edits the policy next to the rotation.
 */
export function useKeyPolicies(keyInfo: KeyInfo, refreshToken: number, onChanged: () => void): KeyPoliciesEditor {
  const backend = useBackend();
  const notify = useNotify();
  const [saved, setSaved] = useState(0);
  const load = useCallback(() => backend.keyPolicies(keyInfo.id), [backend, keyInfo.id]);
  const policies = useRequest(load, refreshToken + saved);
  const [draft, setDraft] = useState<RotationDraft | null>(null);
  const [busy, setBusy] = useState(false);

  const current = policies.data?.rotation;
  const rotation = draft ?? { enabled: current?.enabled ?? false, months: current?.intervalMonth ?? DEFAULT_MONTHS };
  const monthsInvalid =
    !Number.isInteger(rotation.months) || rotation.months < ROTATION_MIN_MONTHS || rotation.months > ROTATION_MAX_MONTHS;

  const applied = (title: string) => {
    notify({ kind: "success", title });
    setDraft(null);
    setSaved((n) => n + 1);
    onChanged();
  };

  const saveRotation = async () => {
    setBusy(true);
    try {
      await backend.setKeyPolicies({ keyId: keyInfo.id, rotation: asPolicy(rotation) });
      applied(`Rotation policy of ${keyInfo.name} saved`);
    } catch (thrown) {
      notify({ kind: "error", title: "The rotation policy was not saved", subtitle: describe(toBackendError(thrown)) });
    } finally {
      setBusy(false);
    }
  };

  return {
    policies,
    rotation,
    edited: draft !== null,
    monthsInvalid,
    busy,
    editRotation: setDraft,
    saveRotation,
    applied,
  };
}
