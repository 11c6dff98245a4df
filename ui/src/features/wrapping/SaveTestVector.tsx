import { Button, TextInput } from "@carbon/react";
import { Save } from "@carbon/icons-react";
import { useState } from "react";
import { LABEL_MAX_LENGTH } from "./testVectors";

interface Props {
  /** Used when no label is typed. */
  defaultLabel: string;
  /** Whether it was kept. */
  onSave: (label: string) => boolean;
}

/** Keeps the last wrap's ciphertext and AAD (never its DEK) for later unwrap checks. */
export function SaveTestVector({ defaultLabel, onSave }: Props) {
  const [label, setLabel] = useState("");
  const [saved, setSaved] = useState<boolean | null>(null);
  return (
    <div className="wrap-panel__save-vector">
      <TextInput
        id="test-vector-label"
        labelText="Test vector label (optional)"
        placeholder={defaultLabel}
        size="sm"
        maxLength={LABEL_MAX_LENGTH}
        value={label}
        disabled={saved === true}
        invalid={saved === false}
        invalidText="It could not be kept: this browser's storage is full or blocked."
        onChange={(event) => setLabel(event.target.value)}
      />
      <Button
        id="save-test-vector"
        kind="tertiary"
        size="sm"
        renderIcon={Save}
        disabled={saved === true}
        onClick={() => setSaved(onSave(label.trim() === "" ? defaultLabel : label))}
      >
        {saved === true ? "Saved as test vector" : "Save as test vector"}
      </Button>
    </div>
  );
}
