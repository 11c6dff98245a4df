import { entryRefusal } from "./createImportAccess";
import { useCreateImportAccess } from "./useCreateImportAccess";
import { CliSnippet } from "../../components/CliSnippet";
import { createKeyCommand } from "../../lib/cli";
import {
  Button,
  DatePicker,
  DatePickerInput,
  NumberInput,
  Select,
  SelectItem,
  Toggle,
  Form,
  InlineLoading,
  IconButton,
  InlineNotification,
  Layer,
  PasswordInput,
  RadioTile,
  Stack,
  TextArea,
  TextInput,
  TileGroup,
} from "@carbon/react";
import { Close } from "@carbon/icons-react";
import { useCallback, useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { AliasTagInput } from "../../components/AliasTagInput";
import { toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { describe } from "../../lib/errors";
import { localDateTimeToRfc3339 } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import { ALIAS_MIN, ALIASES_PER_KEY, aliasProblem } from "./aliasRules";
import type { CreateKeyRequest, KeyInfo, KeyType } from "../../lib/types";
import { keystoreNow } from "../../lib/clock";

const NAME_MIN = 2;
const NAME_MAX = 90;
const DESCRIPTION_MIN = 2;
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
  /** Committed, shown as tags. */
  aliases: string[];
  /** Typed in the alias field but not committed yet: sent too, once it passes the rules. */
  aliasDraft: string;
  rotation: boolean;
  rotationMonths: number;
  dualAuthDelete: boolean;
}

const splitAliases = (text: string) => text.split(/[\s,]+/).filter((alias) => alias !== "");

/** The aliases the request carries: the tags, then whatever is still typed. */
const allAliases = (fields: Fields) => [...fields.aliases, ...splitAliases(fields.aliasDraft)];

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
  const description = fields.description.trim();
  if (description !== "" && description.length < DESCRIPTION_MIN) {
    errors.description = `A description has ${DESCRIPTION_MIN} to ${DESCRIPTION_MAX} characters, or none.`;
  }
  if (fields.description.length > DESCRIPTION_MAX) {
    errors.description = `Keep the description to ${DESCRIPTION_MAX} characters or fewer.`;
  }
  if (fields.expires !== "" && localDateTimeToRfc3339(fields.expires) === null) {
    errors.expires = "Enter a valid date and time.";
  }
  const aliases = allAliases(fields);
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
  const aliases = allAliases(fields);
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

/** True while the only thing wrong with the aliases is a last one still too short to judge. */
function stillTyping(fields: Fields): boolean {
  if (/[\s,]$/.test(fields.aliasDraft)) return false;
  const typed = splitAliases(fields.aliasDraft);
  const last = typed.at(-1);
  if (last === undefined || last.length >= ALIAS_MIN) return false;
  const before = [...fields.aliases, ...typed.slice(0, -1)];
  return before.every((alias, index) => aliasProblem(alias, before.slice(0, index)) === undefined);
}

/**
 * Creates a key in a panel that slides in from the right, like the key details. Escape, Cancel or
 * the close button dismiss it; focus starts on its heading and goes back to what opened it.
 * Mounted only while open, so every opening starts with an empty form. The name is kept for the
 * callers that knew it as a modal.
 */
export function CreateKeyModal({ keyRing = "default", onClose, onCreated }: Props) {
  const backend = useBackend();
  const loadRings = useCallback(() => backend.keyRings(), [backend]);
  const rings = useRequest(loadRings);
  const policy = useCreateImportAccess();
  // Read the clock once, when the panel opens.
  const [minExpiry] = useState(() => new Date(keystoreNow() + 86_400_000).toISOString().slice(0, 10));
  const [fields, setFields] = useState<Fields>({
    name: "",
    description: "",
    keyType: "root",
    expires: "",
    payload: "",
    keyRing,
    aliases: [],
    aliasDraft: "",
    rotation: false,
    rotationMonths: 3,
    dualAuthDelete: false,
  });
  const [touched, setTouched] = useState<Partial<Record<keyof Fields, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [expiresInPast, setExpiresInPast] = useState(false);
  const [submitting, setSubmitting] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus lands on the heading, so a screen reader says where it is; on close it goes back to
  // the button that opened the panel (or to "Create key", when a shortcut did).
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    heading.current?.focus();
    return () => {
      const back = opener !== null && opener !== document.body && opener.isConnected ? opener : document.getElementById("create-key-button");
      back?.focus();
    };
  }, []);

  const errors = validate(fields);
  if (expiresInPast && errors.expires === undefined) {
    errors.expires = "Choose a time in the future.";
  }
  const valid = Object.keys(errors).length === 0;
  const entry = fields.payload.trim() === "" ? "generate" : "plaintextImport";
  const refusal = entryRefusal(policy, fields.keyType, entry);
  const importRefusal = entryRefusal(policy, fields.keyType, "plaintextImport");
  const shown = (field: keyof Fields) => (submitted || touched[field] === true ? errors[field] : undefined);
  // Create stays disabled while the form is invalid; this says why, beside the button (the field's
  // own message once it shows there, a pointer to it otherwise).
  const blockingField = (Object.keys(errors) as (keyof Fields)[]).find((field) => errors[field] !== undefined);
  const blocker =
    blockingField === undefined
      ? undefined
      : shown(blockingField) === undefined
        ? errors[blockingField]
        : "correct the field marked above.";
  // Aliases are checked as they are typed, except a last one too short to judge yet.
  const aliasError =
    errors.aliases !== undefined && (submitted || touched.aliases === true || !stillTyping(fields)) ? errors.aliases : undefined;

  const update = <K extends keyof Fields>(field: K, value: Fields[K]) => {
    setFields((current) => ({ ...current, [field]: value }));
    if (field === "expires") setExpiresInPast(false);
  };
  const touch = (field: keyof Fields) => setTouched((current) => ({ ...current, [field]: true }));

  const close = () => {
    if (!submitting) onClose();
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (submitting) return;
    setSubmitted(true);
    setFailure(null);
    const request = toRequest(fields);
    const past = request.expiresAt !== undefined && Date.parse(request.expiresAt) <= keystoreNow();
    setExpiresInPast(past);
    if (!valid || past || refusal !== undefined) {
      return;
    }
    // What was still typed in the alias field goes with the request, so show it as tags.
    setFields((current) => ({ ...current, aliases: request.aliases ?? [], aliasDraft: "" }));
    setSubmitting(true);
    try {
      const key = await backend.createKey(request);
      onCreated(key);
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
      setSubmitting(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || event.defaultPrevented) return;
    // Escape in the date field closes its open calendar (which does not say so), not the panel.
    const inDateField = event.target instanceof Element && event.target.closest(".cds--date-picker") !== null;
    if (inDateField && document.querySelector(".flatpickr-calendar.open") !== null) return;
    close();
  };

  return (
    <Layer
      as="aside"
      id="create-key-panel"
      className="key-details create-key-panel"
      role="dialog"
      aria-modal="false"
      aria-labelledby="create-key-panel-title"
      aria-busy={submitting}
      onKeyDown={onKeyDown}
    >
      <div className="key-details__header create-key-panel__header">
        <h2 ref={heading} tabIndex={-1} id="create-key-panel-title" className="key-details__title">
          Create a key
        </h2>
        <IconButton
          id="create-key-close"
          kind="ghost"
          size="md"
          label="Close"
          align="left"
          disabled={submitting}
          onClick={close}
        >
          <Close />
        </IconButton>
      </div>
      <div className="create-key-panel__body">
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
            <div className="create-key-panel__types">
              <TileGroup
                legend="Key type"
                name="create-key-type"
                valueSelected={fields.keyType}
                onChange={(value) => update("keyType", value === "standard" ? "standard" : "root")}
              >
                <RadioTile id="create-key-type-root" value="root">
                  <span className="create-key-panel__type-name">Root key</span>
                  <span className="create-key-panel__type-note">Wraps and unwraps data encryption keys; never leaves the keystore.</span>
                </RadioTile>
                <RadioTile id="create-key-type-standard" value="standard">
                  <span className="create-key-panel__type-name">Standard key</span>
                  <span className="create-key-panel__type-note">A secret your application retrieves and uses itself.</span>
                </RadioTile>
              </TileGroup>
            </div>
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
            <TextInput
              id="create-key-name"
              labelText="Name"
              helperText={`${NAME_MIN} to ${NAME_MAX} characters. Names are visible to anyone who can list keys.`}
              value={fields.name}
              required
              autoComplete="off"
              invalid={shown("name") !== undefined}
              invalidText={shown("name")}
              onChange={(event) => update("name", event.target.value)}
              onBlur={() => touch("name")}
            />
            <TextArea
              id="create-key-description"
              labelText="Description (optional)"
              helperText={`${DESCRIPTION_MIN} to ${DESCRIPTION_MAX} characters. It can't be changed later.`}
              rows={2}
              value={fields.description}
              enableCounter
              maxCount={DESCRIPTION_MAX}
              invalid={shown("description") !== undefined}
              invalidText={shown("description")}
              onChange={(event) => update("description", event.target.value)}
              onBlur={() => touch("description")}
            />
            <AliasTagInput
              id="create-key-aliases"
              labelText="Aliases (optional)"
              helperText={`Up to ${ALIASES_PER_KEY}: 2 to 90 letters, digits, - or _. Enter, a comma or a space adds one. Usable in place of the key id.`}
              values={fields.aliases}
              draft={fields.aliasDraft}
              max={ALIASES_PER_KEY}
              check={aliasProblem}
              invalidText={aliasError}
              onChange={(aliases, aliasDraft) => {
                setFields((current) => ({ ...current, aliases, aliasDraft }));
                // A fresh alias is judged afresh: not as too short while it is still being typed.
                if (aliasDraft === "") setTouched((current) => ({ ...current, aliases: false }));
              }}
              onTouched={() => touch("aliases")}
            />
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
      </div>
      {!valid && blocker !== undefined && (
        <p id="create-key-blocked" className="create-key-panel__blocked">
          To create the key: {blocker}
        </p>
      )}
      <div className="create-key-panel__footer">
        <Button kind="secondary" onClick={close} disabled={submitting}>
          Cancel
        </Button>
        <Button
          id="create-key-submit"
          kind="primary"
          type="submit"
          form={FORM_ID}
          disabled={submitting || !valid || refusal !== undefined}
          aria-describedby={refusal !== undefined ? "create-key-policy" : valid ? undefined : "create-key-blocked"}
        >
          {submitting ? <InlineLoading description="Creating…" /> : "Create"}
        </Button>
      </div>
    </Layer>
  );
}
