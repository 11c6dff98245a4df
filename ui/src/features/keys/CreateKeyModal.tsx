import { entryRefusal } from "./createImportAccess";
import { useCreateImportAccess } from "./useCreateImportAccess";
import { CliSnippet } from "../../components/CliSnippet";
import { createKeyCommand } from "../../lib/cli";
import {
  Button,
  ComposedModal,
  DatePicker,
  DatePickerInput,
  NumberInput,
  Select,
  SelectItem,
  Toggle,
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
import { useCallback, useState, type FormEvent } from "react";
import { toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { describe } from "../../lib/errors";
import { localDateTimeToRfc3339 } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import { aliasProblem } from "./aliasRules";
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
  keyRing: string;
  /** Comma- or space-separated. */
  aliases: string;
  rotation: boolean;
  rotationMonths: number;
  dualAuthDelete: boolean;
}

const splitAliases = (text: string) => text.split(/[\s,]+/).filter((alias) => alias !== "");

/** A DatePicker day as the end of that day, local time, in the `datetime-local` shape. */
function endOfDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T23:59:59`;
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
  const aliases = splitAliases(fields.aliases);
  for (const [index, alias] of aliases.entries()) {
    const problem = aliasProblem(alias, aliases.slice(0, index));
    if (problem !== undefined) {
      errors.aliases = `${alias}: ${problem}`;
      break;
    }
  }
  if (fields.rotation && (!Number.isInteger(fields.rotationMonths) || fields.rotationMonths < 1 || fields.rotationMonths > 12)) {
    errors.rotationMonths = "Choose 1 to 12 months.";
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
  if (fields.keyRing !== "default") request.keyRing = fields.keyRing;
  const aliases = splitAliases(fields.aliases);
  if (aliases.length > 0) request.aliases = aliases;
  if (fields.rotation && fields.keyType === "root") request.rotation = { enabled: true, intervalMonth: fields.rotationMonths };
  if (fields.dualAuthDelete) request.dualAuthDelete = true;
  return request;
}

interface Props {
  /** The key ring to start with. */
  keyRing?: string;
  onClose: () => void;
  onCreated: (key: KeyInfo) => void;
}

/** Mounted only while open, so every opening starts with an empty form. */
export function CreateKeyModal({ keyRing = "default", onClose, onCreated }: Props) {
  const backend = useBackend();
  const loadRings = useCallback(() => backend.keyRings(), [backend]);
  const rings = useRequest(loadRings);
  const policy = useCreateImportAccess();
  // Read the clock once, when the dialog opens.
  const [minExpiry] = useState(() => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10));
  const [fields, setFields] = useState<Fields>({
    name: "",
    description: "",
    keyType: "root",
    expires: "",
    payload: "",
    keyRing,
    aliases: "",
    rotation: false,
    rotationMonths: 3,
    dualAuthDelete: false,
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
  const entry = fields.payload.trim() === "" ? "generate" : "plaintextImport";
  const refusal = entryRefusal(policy, fields.keyType, entry);
  const importRefusal = entryRefusal(policy, fields.keyType, "plaintextImport");
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
    if (Object.keys(errors).length > 0 || past || refusal !== undefined) {
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
            {refusal !== undefined && (
              <InlineNotification
                id="create-key-policy"
                kind="warning"
                title="Not allowed here"
                subtitle={refusal}
                lowContrast
                hideCloseButton
              />
            )}
            <Select
              id="create-key-ring"
              labelText="Key ring"
              value={fields.keyRing}
              disabled={rings.data === undefined}
              onChange={(event) => update("keyRing", event.target.value)}
            >
              {(rings.data ?? [{ id: fields.keyRing }]).map((ring) => (
                <SelectItem key={ring.id} value={ring.id} text={ring.id} />
              ))}
            </Select>
            <TextInput
              id="create-key-aliases"
              labelText="Aliases (optional)"
              helperText="Up to 5, separated by commas: 2 to 90 letters, digits, - or _. Usable in place of the key id."
              value={fields.aliases}
              autoComplete="off"
              invalid={shown("aliases") !== undefined}
              invalidText={shown("aliases")}
              onChange={(event) => update("aliases", event.target.value)}
              onBlur={() => touch("aliases")}
            />
            <DatePicker
              datePickerType="single"
              minDate={minExpiry}
              dateFormat="Y-m-d"
              onChange={(dates: Date[]) => {
                const date = dates[0];
                update("expires", date === undefined ? "" : endOfDay(date));
                touch("expires");
              }}
            >
              <DatePickerInput
                id="create-key-expires"
                labelText="Expiration date (optional)"
                placeholder="yyyy-mm-dd"
                helperText="The key expires at the end of that day, your local time. An expired key is deactivated: it can still unwrap, but not wrap."
                invalid={shown("expires") !== undefined}
                invalidText={shown("expires")}
              />
            </DatePicker>
            {fields.keyType === "root" && (
              <div className="create-key__rotation">
                <Toggle
                  id="create-key-rotation"
                  labelText="Rotate automatically"
                  labelA="Off"
                  labelB="On"
                  toggled={fields.rotation}
                  onToggle={(on) => update("rotation", on)}
                />
                <NumberInput
                  id="create-key-rotation-months"
                  label="Every (months)"
                  min={1}
                  max={12}
                  value={fields.rotationMonths}
                  disabled={!fields.rotation}
                  invalid={shown("rotationMonths") !== undefined}
                  invalidText={shown("rotationMonths")}
                  onChange={(_event, { value }) => update("rotationMonths", Number(value))}
                />
              </div>
            )}
            <Toggle
              id="create-key-dual-auth"
              labelText="Dual authorization to delete"
              labelA="Off (instance policy decides)"
              labelB="On — cannot be turned off later"
              toggled={fields.dualAuthDelete}
              onToggle={(on) => update("dualAuthDelete", on)}
            />
            <PasswordInput
              id="create-key-payload"
              labelText="Import key material (optional)"
              helperText={importRefusal ?? "Base64; leave empty to generate a 256-bit key."}
              // Material typed before the type changed stays visible, so it can be cleared.
              disabled={importRefusal !== undefined && fields.payload === ""}
              value={fields.payload}
              autoComplete="off"
              showPasswordLabel="Show key material"
              hidePasswordLabel="Hide key material"
              invalid={shown("payload") !== undefined}
              invalidText={shown("payload")}
              onChange={(event) => update("payload", event.target.value)}
              onBlur={() => touch("payload")}
            />
            <CliSnippet
              id="create-key-cli"
              command={(target) => (Object.keys(errors).length === 0 ? createKeyCommand(toRequest(fields), target) : null)}
            />
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={submitting}>
          Cancel
        </Button>
        <Button
          id="create-key-submit"
          kind="primary"
          type="submit"
          form={FORM_ID}
          disabled={submitting || refusal !== undefined}
        >
          {submitting ? <InlineLoading description="Creating…" /> : "Create"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
