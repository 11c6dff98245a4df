import {
  Button,
  ComposedModal,
  Form,
  InlineLoading,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  RadioButton,
  RadioButtonGroup,
  Select,
  SelectItem,
  Stack,
  TextInput,
} from "@carbon/react";
import { useCallback, useState, type FormEvent } from "react";
import { CurlSnippet } from "../../components/CurlSnippet";
import { KeyPicker } from "../../components/KeyPicker";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import { useRequest } from "../../lib/hooks/useRequest";
import type { AuthorizationInfo, CreateAuthorizationRequest } from "../../lib/types";
import { createAuthorizationCurl } from "./curl";
import { KNOWN_SOURCE_SERVICES } from "./scope";

const FORM_ID = "create-authorization-form";
const CUSTOM = "custom";
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

type Scope = "instance" | "keyRing" | "key";

const ROLES: { id: string; text: string; helper: string }[] = [
  { id: "Reader", text: "Reader", helper: "Wrap, unwrap and rewrap with the keys; enough for encryption at rest." },
  { id: "Writer", text: "Writer", helper: "Reader, plus create, rotate and disable keys." },
  { id: "Manager", text: "Manager", helper: "Everything, including deleting keys. Rarely right for a service." },
];

interface Props {
  onClose: () => void;
  onCreated: (authorization: AuthorizationInfo) => void;
}

/** Mounted only while open. */
export function CreateAuthorizationModal({ onClose, onCreated }: Props) {
  const backend = useBackend();
  const loadRings = useCallback(() => backend.keyRings(), [backend]);
  const rings = useRequest(loadRings);
  const [service, setService] = useState(KNOWN_SOURCE_SERVICES[0]?.id ?? CUSTOM);
  const [customService, setCustomService] = useState("");
  const [sourceInstance, setSourceInstance] = useState("");
  const [scope, setScope] = useState<Scope>("instance");
  const [keyRing, setKeyRing] = useState("default");
  const [keyId, setKeyId] = useState("");
  const [role, setRole] = useState("Reader");
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const sourceService = service === CUSTOM ? customService.trim() : service;
  const serviceError =
    service === CUSTOM && !SERVICE_NAME.test(sourceService)
      ? "Enter the service's name as IAM knows it: lower-case letters, digits and hyphens."
      : undefined;
  const keyError =
    scope === "key" && keyId === "" ? "Pick a key from the list, or paste its ID or alias." : undefined;

  const curlTarget = useCurlTarget();
  const request: CreateAuthorizationRequest = { sourceService, roles: [role] };
  if (sourceInstance.trim() !== "") request.sourceInstance = sourceInstance.trim();
  if (scope === "keyRing") request.keyRing = keyRing;
  if (scope === "key") request.keyId = keyId;
  // The snippet follows the form as it is typed; placeholders stand in for what is missing.
  const preview: CreateAuthorizationRequest = {
    ...request,
    sourceService: sourceService === "" ? "<service-name>" : sourceService,
    ...(scope === "key" && request.keyId === "" ? { keyId: "<key-id>" } : {}),
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (serviceError !== undefined || keyError !== undefined) return;
    setBusy(true);
    setFailure(null);
    try {
      onCreated(await backend.createAuthorization(request));
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
      setBusy(false);
    }
  };

  return (
    <ComposedModal open onClose={onClose} aria-label="Authorize a service" preventCloseOnClickOutside>
      <ModalHeader title="Authorize a service" label="Authorizations" />
      <ModalBody hasForm>
        <Form id={FORM_ID} noValidate onSubmit={(event) => void submit(event)}>
          <Stack gap={6}>
            {failure !== null && (
              <InlineNotification kind="error" title="Not authorized" subtitle={failure} lowContrast hideCloseButton />
            )}
            <Select
              id="authorization-service"
              labelText="Source service"
              value={service}
              onChange={(event) => setService(event.target.value)}
            >
              {KNOWN_SOURCE_SERVICES.map((item) => (
                <SelectItem key={item.id} value={item.id} text={item.text} />
              ))}
              <SelectItem value={CUSTOM} text="Another service…" />
            </Select>
            {service === CUSTOM && (
              <TextInput
                id="authorization-custom-service"
                labelText="Service name"
                value={customService}
                invalid={submitted && serviceError !== undefined}
                invalidText={serviceError}
                onChange={(event) => setCustomService(event.target.value)}
              />
            )}
            <TextInput
              id="authorization-source-instance"
              labelText="Source instance (optional)"
              helperText="One instance of that service, by its GUID. Leave empty for all its instances."
              value={sourceInstance}
              onChange={(event) => setSourceInstance(event.target.value)}
            />
            <RadioButtonGroup
              legendText="Keys it may use"
              name="authorization-scope"
              valueSelected={scope}
              orientation="vertical"
              onChange={(value) => setScope(value === "keyRing" || value === "key" ? value : "instance")}
            >
              <RadioButton id="authorization-scope-instance" labelText="Every key of this instance" value="instance" />
              <RadioButton id="authorization-scope-ring" labelText="The keys of one key ring" value="keyRing" />
              <RadioButton id="authorization-scope-key" labelText="One key" value="key" />
            </RadioButtonGroup>
            {scope === "keyRing" && (
              <Select
                id="authorization-key-ring"
                labelText="Key ring"
                value={keyRing}
                disabled={rings.data === undefined}
                onChange={(event) => setKeyRing(event.target.value)}
              >
                {(rings.data ?? [{ id: "default" }]).map((ring) => (
                  <SelectItem key={ring.id} value={ring.id} text={ring.id} />
                ))}
              </Select>
            )}
            {scope === "key" && (
              <KeyPicker
                id="authorization-key-id"
                labelText="Key"
                initialText={keyId}
                invalid={submitted && keyError !== undefined}
                invalidText={keyError}
                onChange={setKeyId}
              />
            )}
            <RadioButtonGroup
              legendText="Role"
              name="authorization-role"
              valueSelected={role}
              orientation="vertical"
              onChange={(value) => setRole(String(value))}
            >
              {ROLES.map((item) => (
                <RadioButton
                  key={item.id}
                  id={`authorization-role-${item.id.toLowerCase()}`}
                  labelText={`${item.text} — ${item.helper}`}
                  value={item.id}
                />
              ))}
            </RadioButtonGroup>
            <CurlSnippet id="create-authorization-curl" snippet={createAuthorizationCurl(preview, curlTarget)} />
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button id="authorization-submit" kind="primary" type="submit" form={FORM_ID} disabled={busy}>
          {busy ? <InlineLoading description="Authorizing…" /> : "Authorize"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
