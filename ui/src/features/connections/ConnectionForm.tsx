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
  Stack,
  TextInput,
} from "@carbon/react";
import { useState, type FormEvent } from "react";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import type { ConnectionProfile, ConnectionTest, SaveConnectionRequest } from "../../lib/types";
import { defaultTokenUrl, newConnectionId, peerFacts, verdictSentence } from "./profile";

const FORM_ID = "connection-form";

interface Fields {
  name: string;
  endpoint: string;
  tokenUrl: string;
  instanceId: string;
  apiKey: string;
  caFile: string;
}

type FieldErrors = Partial<Record<keyof Fields, string>>;

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === "https:" || url.protocol === "http:";
  } catch {
    return false;
  }
}

function validate(fields: Fields, hasStoredKey: boolean): FieldErrors {
  const errors: FieldErrors = {};
  if (fields.name.trim() === "") errors.name = "Give the connection a name.";
  if (!isHttpUrl(fields.endpoint.trim())) errors.endpoint = "Enter an https:// URL, e.g. https://us-south.kms.cloud.ibm.com.";
  if (fields.tokenUrl.trim() !== "" && !isHttpUrl(fields.tokenUrl.trim())) errors.tokenUrl = "Enter a URL.";
  if (fields.instanceId.trim() === "") errors.instanceId = "Enter the instance ID (a GUID).";
  if (fields.apiKey === "" && !hasStoredKey) errors.apiKey = "Enter an API key.";
  return errors;
}

interface Props {
  /** The connection to edit; a new one when absent. */
  profile?: ConnectionProfile;
  onClose: () => void;
  onSaved: (profile: ConnectionProfile) => void;
}

/** Add or edit a remote connection. The API key is write-only: it goes to the OS keyring and never comes back. */
export function ConnectionForm({ profile, onClose, onSaved }: Props) {
  const backend = useBackend();
  const hasStoredKey = profile?.hasApiKey ?? false;
  const [fields, setFields] = useState<Fields>({
    name: profile?.name ?? "",
    endpoint: profile?.endpoint ?? "",
    tokenUrl: profile?.tokenUrl ?? "",
    instanceId: profile?.instanceId ?? "",
    apiKey: "",
    caFile: profile?.caFile ?? "",
  });
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState<"save" | "test" | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [test, setTest] = useState<ConnectionTest | null>(null);

  const errors = validate(fields, hasStoredKey);
  const shown = (field: keyof Fields) => (submitted ? errors[field] : undefined);
  const update = (field: keyof Fields, value: string) => {
    setFields((current) => ({ ...current, [field]: value }));
    setTest(null);
  };

  const request = (): SaveConnectionRequest => {
    const endpoint = fields.endpoint.trim().replace(/\/+$/, "");
    const saved: ConnectionProfile = {
      id: profile?.id ?? newConnectionId(),
      name: fields.name.trim(),
      mode: "remote",
      endpoint,
      tokenUrl: fields.tokenUrl.trim() === "" ? defaultTokenUrl(endpoint) : fields.tokenUrl.trim(),
      instanceId: fields.instanceId.trim(),
      hasApiKey: hasStoredKey || fields.apiKey !== "",
    };
    if (fields.caFile.trim() !== "") saved.caFile = fields.caFile.trim();
    return fields.apiKey === "" ? { profile: saved } : { profile: saved, apiKey: fields.apiKey };
  };

  const run = async (action: "save" | "test") => {
    setSubmitted(true);
    setFailure(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(action);
    try {
      if (action === "test") {
        setTest(await backend.testConnection(request()));
      } else {
        const saved = await backend.saveConnection(request());
        setFields((current) => ({ ...current, apiKey: "" }));
        onSaved(saved);
        return;
      }
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
    }
    setBusy(null);
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void run("save");
  };
  const title = profile === undefined ? "Add a remote connection" : `Edit ${profile.name}`;

  return (
    <ComposedModal open onClose={onClose} aria-label={title} preventCloseOnClickOutside>
      <ModalHeader title={title} label="Connections" />
      <ModalBody hasForm>
        <Form id={FORM_ID} noValidate onSubmit={submit}>
          <Stack gap={6}>
            {failure !== null && (
              <InlineNotification kind="error" title="That did not work" subtitle={failure} lowContrast hideCloseButton />
            )}
            <TextInput
              id="connection-name"
              labelText="Name"
              value={fields.name}
              data-modal-primary-focus
              invalid={shown("name") !== undefined}
              invalidText={shown("name")}
              onChange={(event) => update("name", event.target.value)}
            />
            <TextInput
              id="connection-endpoint"
              labelText="Base URL"
              placeholder="https://us-south.kms.cloud.ibm.com"
              value={fields.endpoint}
              invalid={shown("endpoint") !== undefined}
              invalidText={shown("endpoint")}
              onChange={(event) => update("endpoint", event.target.value)}
            />
            <TextInput
              id="connection-token-url"
              labelText="IAM token URL (optional)"
              placeholder={defaultTokenUrl(fields.endpoint) || "https://iam.cloud.ibm.com/identity/token"}
              helperText="Leave empty to use the base URL's /identity/token."
              value={fields.tokenUrl}
              invalid={shown("tokenUrl") !== undefined}
              invalidText={shown("tokenUrl")}
              onChange={(event) => update("tokenUrl", event.target.value)}
            />
            <TextInput
              id="connection-instance"
              labelText="Instance ID"
              value={fields.instanceId}
              invalid={shown("instanceId") !== undefined}
              invalidText={shown("instanceId")}
              onChange={(event) => update("instanceId", event.target.value)}
            />
            <PasswordInput
              id="connection-api-key"
              labelText="API key"
              autoComplete="off"
              helperText={
                hasStoredKey
                  ? "A key is stored in this computer's keyring. Leave empty to keep it; it is never shown."
                  : "Kept in this computer's keyring, never in a file, and never shown again."
              }
              placeholder={hasStoredKey ? "Stored" : ""}
              value={fields.apiKey}
              invalid={shown("apiKey") !== undefined}
              invalidText={shown("apiKey")}
              showPasswordLabel="Show API key"
              hidePasswordLabel="Hide API key"
              onChange={(event) => update("apiKey", event.target.value)}
            />
            <TextInput
              id="connection-ca-file"
              labelText="CA certificate file (optional)"
              placeholder="/etc/ssl/private-ca.pem"
              helperText="A PEM file to trust in addition to the system's certificates."
              value={fields.caFile}
              onChange={(event) => update("caFile", event.target.value)}
            />
            <div className="connection-form__test" aria-live="polite">
              <Button
                id="connection-test"
                kind="tertiary"
                size="md"
                disabled={busy !== null}
                onClick={() => void run("test")}
              >
                {busy === "test" ? <InlineLoading description="Testing…" /> : "Test connection"}
              </Button>
              {test !== null && (
                <InlineNotification
                  id="connection-test-result"
                  kind={test.ok ? "success" : "error"}
                  title={test.ok ? "It works" : "It does not work yet"}
                  subtitle={verdictSentence(test)}
                  lowContrast
                  hideCloseButton
                />
              )}
              {test !== null && peerFacts(test, fields.endpoint).length > 0 && (
                <dl className="connection-form__peer" id="connection-test-peer">
                  {peerFacts(test, fields.endpoint).map((fact) => (
                    <div key={fact.label} className={fact.warning === true ? "connection-form__peer-warning" : undefined}>
                      <dt>{fact.label}</dt>
                      <dd>{fact.label === "Certificate SHA-256" ? <code>{fact.value}</code> : fact.value}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </div>
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={busy !== null}>
          Cancel
        </Button>
        <Button id="connection-save" kind="primary" type="submit" form={FORM_ID} disabled={busy !== null}>
          {busy === "save" ? <InlineLoading description="Saving…" /> : "Save"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
