import { InlineNotification, Select, SelectItem, SkeletonText } from "@carbon/react";
import type { RequestState } from "../../lib/hooks/useRequest";
import { describe } from "../../lib/errors";
import { choiceLabel, type KeyChoice } from "./keyChoices";

interface Props {
  choices: RequestState<KeyChoice[]>;
  /** The key in use: a usable one, or "" when there is none. */
  keyId: string;
  onChoose: (keyId: string) => void;
  /** The key the page was asked to start with, to explain when it cannot be used. */
  initialKeyId: string;
}

/** The root key to wrap with; keys that cannot wrap or unwrap are listed, disabled, with the reason. */
export function WrapKeyPicker({ choices, keyId, onChoose, initialKeyId }: Props) {
  if (choices.data === undefined && choices.error === undefined) return <SkeletonText heading width="100%" />;
  const all = choices.data ?? [];
  const usable = all.filter((choice) => choice.refusal === undefined);
  const initial = all.find((choice) => choice.key.id === initialKeyId);
  return (
    <>
      <Select
        id="wrap-key-select"
        labelText="Root key"
        helperText={usable.length === 0 ? undefined : "Active keys wrap and unwrap; deactivated keys only unwrap."}
        value={keyId}
        disabled={usable.length === 0}
        invalid={choices.error !== undefined}
        invalidText={choices.error === undefined ? undefined : describe(choices.error)}
        onChange={(event) => onChoose(event.target.value)}
      >
        {usable.length === 0 && <SelectItem value="" text="No active or deactivated root keys" />}
        {all.map((choice) => (
          <SelectItem
            key={choice.key.id}
            value={choice.key.id}
            text={choiceLabel(choice)}
            disabled={choice.refusal !== undefined}
            data-key-name={choice.key.name}
            {...(choice.refusal === undefined ? {} : { "data-refusal": choice.refusal })}
          />
        ))}
      </Select>
      {initialKeyId !== "" && choices.data !== undefined && initial === undefined && (
        <InlineNotification
          id="wrap-key-missing"
          kind="warning"
          title="That key cannot wrap or unwrap here"
          subtitle={`Key ${initialKeyId} is not an active or deactivated root key of this keystore: it may be suspended, destroyed, or on another connection.`}
          lowContrast
          hideCloseButton
        />
      )}
      {initial?.refusal !== undefined && (
        <InlineNotification
          id="wrap-key-missing"
          kind="warning"
          title={`Key ${initial.key.name} cannot wrap or unwrap`}
          subtitle={`${initial.refusal.charAt(0).toUpperCase()}${initial.refusal.slice(1)}.`}
          lowContrast
          hideCloseButton
        />
      )}
    </>
  );
}
