import { TextInput } from "@carbon/react";
import { useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CurlSnippet } from "../../components/CurlSnippet";
import { useBackend } from "../../lib/backend";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import type { KeyRingInfo } from "../../lib/types";
import { createKeyRingCurl } from "./curl";

/** Key Protect's rule for key ring ids. */
const RING_ID = /^[A-Za-z0-9-]{2,100}$/;

interface Props {
  onClose: () => void;
  onCreated: (ring: KeyRingInfo) => void;
}

/** One field, so a small modal (Carbon's rule for one or two fields); mounted only while open. */
export function CreateKeyRingDialog({ onClose, onCreated }: Props) {
  const backend = useBackend();
  const curlTarget = useCurlTarget();
  const [id, setId] = useState("");
  const [touched, setTouched] = useState(false);
  const invalid = !RING_ID.test(id.trim());
  return (
    <ConfirmDialog
      title="Create a key ring"
      label="Key rings"
      primaryText="Create"
      primaryId="create-key-ring-submit"
      busyText="Creating…"
      confirmDisabled={invalid}
      onClose={onClose}
      onConfirm={async () => {
        onCreated(await backend.createKeyRing(id.trim()));
      }}
    >
      <p>
        A key ring groups keys so access can be granted to the group: a service authorized on a ring may use its keys
        only.
      </p>
      <TextInput
        id="create-key-ring-id"
        labelText="Key ring ID"
        helperText="2 to 100 characters: letters, digits and hyphens. It cannot be renamed."
        value={id}
        autoComplete="off"
        data-modal-primary-focus
        invalid={touched && invalid}
        invalidText="Use 2 to 100 letters, digits and hyphens."
        onChange={(event) => {
          setId(event.target.value);
          setTouched(true);
        }}
      />
      <CurlSnippet id="create-key-ring-curl" snippet={createKeyRingCurl(id.trim(), curlTarget)} />
    </ConfirmDialog>
  );
}
