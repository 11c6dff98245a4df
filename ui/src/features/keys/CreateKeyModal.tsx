import {
  Button,
  ComposedModal,
  Form,
  InlineLoading,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PasswordInput,
  RadioButton,
  RadioButtonGroup,
  Stack,
  TextArea,
  TextInput,
} from "@carbon/react";
import { useState, type FormEvent } from "react";
import { toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { describe } from "../../lib/errors";
import { localDateTimeToRfc3339 } from "../../lib/format";
import type { CreateKeyRequest, KeyInfo, KeyType } from "../../lib/types";

const NAME_MIN = 2;
const NAME_MAX = 90;
const DESCRIPTION_MAX = 240;
const ROOT_KEY_SIZES = [16, 24, 32];
const FORM_ID = "create-key-form";

interface Fields {
  name: string;
  description: string;
  keyType: KeyType;
  expires: string;
  payload: string;
}

type FieldErrors = Partial<Record<keyof Fields, string>>;

/** Checks that need no clock; the expiry-in-the-future check happens on submit. */
function validate(fields: Fields): FieldErrors {
  const errors: FieldErrors = {};
  const name = fields.name.trim();
  if (name.length < NAME_MIN || name.length > NAME_MAX) {
    errors.name = `Enter a name of ${NAME_MIN} to ${NAME_MAX} characters.`;
  }
  if (fields.description.length > DESCRIPTION_MAX) {
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters or fewer.`;
  }
  if (fields.expires !== "" && localDateTimeToRfc3339(fields.expires) === null) {
    errors.expires = "Enter a valid date and time.";
  }
  if (fields.payload.trim() !== "") {
    const bytes = decodeBase64(fields.payload);
    if (bytes === null) {
      errors.payload = "Key material must be base64, for example the output of `openssl rand -base64 32`.";
    } else if (fields.keyType === "root" && !ROOT_KEY_SIZES.includes(bytes.length)) {
      errors.payload = `A root key's material must be 16, 24 or 32 bytes; this is ${bytes.length}.`;
    }
  }
  return errors;
}

function toRequest(fields: Fields): CreateKeyRequest {
  const request: CreateKeyRequest = { name: fields.name.trim(), keyType: fields.keyType };
  const description = fields.description.trim();
  if (description !== "") request.description = description;
  const expiresAt = localDateTimeToRfc3339(fields.expires);
  if (expiresAt !== null) request.expiresAt = expiresAt;
  const payload = fields.payload.trim();
  if (payload !== "") request.payload = payload;
  return request;
}

interface Props {
  onClose: () => void;
  onCreated: (key: KeyInfo) => void;
}

/** Mounted only while open, so every opening starts with an empty form. */
export function CreateKeyModal({ onClose, onCreated }: Props) {
  const backend = useBackend();
  const [fields, setFields] = useState<Fields>({
    name: "",
    description: "",
    keyType: "root",
    expires: "",
    payload: "",
  });
  const [touched, setTouched] = useState<Partial<Record<keyof Fields, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [expiresInPast, setExpiresInPast] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const errors = validate(fields);
  if (expiresInPast && errors.expires === undefined) {
    errors.expires = "Choose a time in the future.";
  }
  const shown = (field: keyof Fields) => (submitted || touched[field] === true ? errors[field] : undefined);

  const update = <K extends keyof Fields>(field: K, value: Fields[K]) => {
    setFields((current) => ({ ...current, [field]: value }));
    if (field === "expires") setExpiresInPast(false);
  };
  const touch = (field: keyof Fields) => setTouched((current) => ({ ...current, [field]: true }));

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    setFailure(null);
    const request = toRequest(fields);
    const past = request.expiresAt !== undefined && Date.parse(request.expiresAt) <= Date.now();
    setExpiresInPast(past);
    if (Object.keys(errors).length > 0 || past) {
      return;
    }
    setSubmitting(true);
    try {
      const key = await backend.createKey(request);
      onCreated(key);
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
      setSubmitting(false);
    }
  };

  return (
    <ComposedModal open onClose={onClose} aria-label="Create a key" preventCloseOnClickOutside>
      <ModalHeader title="Create a key" label="Keys" />
      <ModalBody hasForm>
        <Form id={FORM_ID} noValidate onSubmit={(event) => void submit(event)}>
          <Stack gap={6}>
            {failure !== null && (
              <InlineNotification
                id="create-key-error"
                kind="error"
                title="The key was not created"
                subtitle={failure}
                lowContrast
                hideCloseButton
              />
            )}
            <TextInput
              id="create-key-name"
              labelText="Name"
              helperText={`${NAME_MIN} to ${NAME_MAX} characters. Names are visible to anyone who can list keys.`}
              value={fields.name}
              required
              autoComplete="off"
              data-modal-primary-focus
              invalid={shown("name") !== undefined}
              invalidText={shown("name")}
              onChange={(event) => update("name", event.target.value)}
              onBlur={() => touch("name")}
            />
            <TextArea
              id="create-key-description"
              labelText="Description (optional)"
              rows={2}
              value={fields.description}
              enableCounter
              maxCount={DESCRIPTION_MAX}
              invalid={shown("description") !== undefined}
              invalidText={shown("description")}
              onChange={(event) => update("description", event.target.value)}
              onBlur={() => touch("description")}
            />
            <RadioButtonGroup
              legendText="Key type"
              name="create-key-type"
              valueSelected={fields.keyType}
              onChange={(value) => update("keyType", value === "standard" ? "standard" : "root")}
            >
              <RadioButton id="create-key-type-root" labelText="Root key" value="root" />
              <RadioButton id="create-key-type-standard" labelText="Standard key" value="standard" />
            </RadioButtonGroup>
            <TextInput
              id="create-key-expires"
              type="datetime-local"
              labelText="Expiration (optional)"
              helperText="Your local time. An expired key is deactivated: it can still unwrap, but not wrap."
              value={fields.expires}
              invalid={shown("expires") !== undefined}
              invalidText={shown("expires")}
              onChange={(event) => update("expires", event.target.value)}
              onBlur={() => touch("expires")}
            />
            <PasswordInput
              id="create-key-payload"
              labelText="Import key material (optional)"
              helperText="Base64; leave empty to generate a 256-bit key."
              value={fields.payload}
              autoComplete="off"
              showPasswordLabel="Show key material"
              hidePasswordLabel="Hide key material"
              invalid={shown("payload") !== undefined}
              invalidText={shown("payload")}
              onChange={(event) => update("payload", event.target.value)}
              onBlur={() => touch("payload")}
            />
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button id="create-key-submit" kind="primary" type="submit" form={FORM_ID} disabled={submitting}>
          {submitting ? <InlineLoading description="Creating…" /> : "Create"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
