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
import type { AuthorizationInfo, CreateAuthorizationRequest, KeyInfo } from "../../lib/types";
import { AuthorizationReview } from "./AuthorizationReview";
import { createAuthorizationCurl } from "./curl";
import { AUTHORIZATION_ROLES } from "./roles";
import { KNOWN_SOURCE_SERVICES } from "./scope";

const FORM_ID = "create-authorization-form";
const CUSTOM = "custom";
const SERVICE_NAME = /^[a-z0-9][a-z0-9-]{1,62}$/;

type Scope = "instance" | "keyRing" | "key";

const ROLES = AUTHORIZATION_ROLES;

/** What the authorization reaches, in words, naming the key when the search found it. */
function targetText(scope: Scope, keyRing: string, keyId: string, key: KeyInfo | undefined): string {
  if (scope === "instance") return "Every key of this instance";
  if (scope === "keyRing") return `The keys of key ring ${keyRing}`;
  return key === undefined ? `Key ${keyId}` : `Key ${key.name} (${key.id}, key ring ${key.keyRing})`;
}

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
  const [key, setKey] = useState<KeyInfo | undefined>(undefined);
  const pickKey = useCallback((reference: string, found: KeyInfo | undefined) => {
    setKeyId(reference);
    setKey(found);
  }, []);
  const [role, setRole] = useState("Reader");
  const [submitted, setSubmitted] = useState(false);
  const [reviewing, setReviewing] = useState(false);
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

  const review = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (serviceError !== undefined || keyError !== undefined) return;
    setFailure(null);
    setReviewing(true);
  };

  const authorize = async () => {
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
        {failure !== null && (
          <InlineNotification kind="error" title="Not authorized" subtitle={failure} lowContrast hideCloseButton />
        )}
        {reviewing ? (
          <AuthorizationReview
            request={request}
            target={targetText(scope, keyRing, keyId, key)}
            roleMeaning={ROLES.find((item) => item.id === role)?.helper ?? ""}
            instanceId={curlTarget.instanceId}
          />
        ) : (
          <Form id={FORM_ID} noValidate onSubmit={review}>
            <Stack gap={6}>
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
                  onChange={pickKey}
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
        )}
      </ModalBody>
      {reviewing ? (
        <ModalFooter>
          <Button id="authorization-back" kind="secondary" onClick={() => setReviewing(false)} disabled={busy}>
            Back
          </Button>
          <Button id="authorization-submit" kind="primary" onClick={() => void authorize()} disabled={busy}>
            {busy ? <InlineLoading description="Authorizing…" /> : "Authorize"}
          </Button>
        </ModalFooter>
      ) : (
        <ModalFooter>
          <Button kind="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button id="authorization-review" kind="primary" type="submit" form={FORM_ID}>
            Review
          </Button>
        </ModalFooter>
      )}
    </ComposedModal>
  );
}
