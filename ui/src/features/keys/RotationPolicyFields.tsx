import { InlineLoading, NumberInput, Toggle } from "@carbon/react";
import { Countdown } from "../../components/Countdown";
import { GuardedButton } from "../../components/GuardedButton";
import { ACTIONS, useAccess } from "../../lib/access";
import { formatTimestamp } from "../../lib/format";
import { nextRotationAt, ROTATION_MONTH_DAYS } from "../../lib/keyLifecycle";
import { useReached } from "../../lib/hooks/useReached";
import type { KeyInfo } from "../../lib/types";
import { asPolicy, ROTATION_MAX_MONTHS, ROTATION_MIN_MONTHS, type KeyPoliciesEditor } from "./useKeyPolicies";

interface Props {
  keyInfo: KeyInfo;
  editor: KeyPoliciesEditor;
  /** Prefix of the controls' ids: `<prefix>`, `<prefix>-months`, `<prefix>-save`. */
  idPrefix: string;
  /** Id of the next-rotation line. */
  nextId: string;
}

/** When the policy shown makes the key due, counted the keystore's way. */
function NextRotation({ keyInfo, editor, id }: { keyInfo: KeyInfo; editor: KeyPoliciesEditor; id: string }) {
  const { rotation, edited, monthsInvalid } = editor;
  const next = monthsInvalid ? undefined : nextRotationAt(keyInfo, asPolicy(rotation));
  const due = useReached(next);
  if (!rotation.enabled || next === undefined) {
    return (
      <p id={id} className="key-details__note">
        No automatic rotation: the key is never marked due.
      </p>
    );
  }
  const from = keyInfo.lastRotatedAt === undefined ? "its creation" : "its last rotation";
  const rule = `${rotation.months} × ${ROTATION_MONTH_DAYS} days after ${from}${edited ? ", once saved" : ""}`;
  const at = <time dateTime={next.toISOString()}>{formatTimestamp(next.toISOString())}</time>;
  return (
    <p id={id} className="key-details__note" data-next-rotation={next.toISOString()}>
      {due ? (
        <>
          Next rotation: due since {at} ({rule}).{" "}
          {keyInfo.imported
            ? "An imported key is rotated with new material from you; rotating starts a new interval."
            : "The keystore rotates due keys on its own, within the hour; rotating now starts a new interval."}
        </>
      ) : (
        <>
          Next rotation: {at}, in <Countdown to={next} /> ({rule}).
        </>
      )}
    </p>
  );
}

/** Automatic rotation on or off, every 1 to 12 months, with its save and the next rotation date. */
export function RotationPolicyFields({ keyInfo, editor, idPrefix, nextId }: Props) {
  const { rotation, monthsInvalid, busy } = editor;
  const editable = keyInfo.state !== "destroyed";
  const can = useAccess();
  return (
    <>
      <div className="key-details__row">
        <Toggle
          id={idPrefix}
          labelText="Automatic rotation"
          labelA="Off"
          labelB="On"
          size="sm"
          toggled={rotation.enabled}
          disabled={!editable || keyInfo.keyType !== "root" || busy}
          onToggle={(on) => editor.editRotation({ ...rotation, enabled: on })}
        />
        <NumberInput
          id={`${idPrefix}-months`}
          label="Every (months)"
          size="sm"
          min={ROTATION_MIN_MONTHS}
          max={ROTATION_MAX_MONTHS}
          value={rotation.months}
          disabled={!editable || !rotation.enabled || busy}
          invalid={rotation.enabled && monthsInvalid}
          invalidText={`Choose ${ROTATION_MIN_MONTHS} to ${ROTATION_MAX_MONTHS} months.`}
          onChange={(_event, { value }) => editor.editRotation({ ...rotation, months: Number(value) })}
        />
        <GuardedButton
          access={can(ACTIONS.writePolicies, { keyId: keyInfo.id, keyRing: keyInfo.keyRing })}
          id={`${idPrefix}-save`}
          kind="tertiary"
          size="sm"
          disabled={!editor.edited || busy || (rotation.enabled && monthsInvalid)}
          onClick={() => void editor.saveRotation()}
        >
          {busy ? <InlineLoading description="Saving…" /> : "Save"}
        </GuardedButton>
      </div>
      {keyInfo.keyType === "root" ? (
        <NextRotation keyInfo={keyInfo} editor={editor} id={nextId} />
      ) : (
        <p className="key-details__note">Only root keys rotate.</p>
      )}
    </>
  );
}
