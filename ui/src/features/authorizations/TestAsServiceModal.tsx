import {
  Button,
  ComposedModal,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  RadioButton,
  RadioButtonGroup,
  TextInput,
} from "@carbon/react";
import { useState } from "react";
import { KeyPicker } from "../../components/KeyPicker";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import type { AuthorizationCheck, AuthorizationInfo, ServiceAction } from "../../lib/types";

interface Props {
  authorization: AuthorizationInfo;
  onClose: () => void;
}

/**
 * "Test as this service": asks the keystore whether the authorization's source service would
 * be allowed a wrap, unwrap or rewrap with a key, and through which authorization. Nothing is
 * wrapped; the verdict is the keystore's, from the same rule a real call meets.
 */
const FORM_ID = "test-as-service-form";

export function TestAsServiceModal({ authorization, onClose }: Props) {
  const backend = useBackend();
  const [keyId, setKeyId] = useState(authorization.keyId ?? "");
  const [sourceInstance, setSourceInstance] = useState(authorization.sourceInstance ?? "");
  const [action, setAction] = useState<ServiceAction>("wrap");
  const [busy, setBusy] = useState(false);
  const [verdict, setVerdict] = useState<AuthorizationCheck | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const run = async () => {
    setBusy(true);
    setVerdict(null);
    setFailure(null);
    try {
      const trimmed = sourceInstance.trim();
      setVerdict(
        await backend.checkAuthorization({
          sourceService: authorization.sourceService,
          ...(trimmed === "" ? {} : { sourceInstance: trimmed }),
          keyId: keyId.trim(),
          action,
        }),
      );
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <ComposedModal
      open
      id="test-as-service"
      aria-label={`Test as ${authorization.sourceService}`}
      onClose={onClose}
      // Only Close, Escape or the ✕ dismiss it: a click that WebKit reports outside the dialog
      // must not throw the verdict away (the same guard as ConfirmDialog).
      preventCloseOnClickOutside
    >
      <ModalHeader title={`Test as ${authorization.sourceService}`} label="Authorizations" />
      <ModalBody>
      {/* A form, so KeyPicker can hold a Check pressed while a typed name is still being looked up. */}
      <form
        id={FORM_ID}
        onSubmit={(event) => {
          event.preventDefault();
          void run();
        }}
      >
      <p className="test-as-service__intro">
        A dry run: would {authorization.sourceService} be allowed to use this key? Nothing is wrapped and no data
        encryption key is made.
      </p>
      <KeyPicker
        id="test-as-service-key"
        labelText="Key (ID or alias)"
        initialText={authorization.keyId ?? ""}
        onChange={setKeyId}
      />
      <TextInput
        id="test-as-service-instance"
        labelText="Source instance"
        helperText="The instance of the service that would call. Leave empty for one that no authorization names."
        value={sourceInstance}
        onChange={(event) => setSourceInstance(event.target.value)}
      />
      <RadioButtonGroup
        legendText="Action"
        name="test-as-service-action"
        valueSelected={action}
        onChange={(value) => setAction(value as ServiceAction)}
      >
        <RadioButton id="test-as-service-wrap" labelText="Wrap" value="wrap" />
        <RadioButton id="test-as-service-unwrap" labelText="Unwrap" value="unwrap" />
        <RadioButton id="test-as-service-rewrap" labelText="Rewrap" value="rewrap" />
      </RadioButtonGroup>
      {verdict !== null && (
        <InlineNotification
          id="test-as-service-verdict"
          kind={verdict.allowed ? "success" : "warning"}
          title={verdict.allowed ? "Allowed" : "Would be refused"}
          subtitle={verdict.reason}
          lowContrast
          hideCloseButton
        />
      )}
      {failure !== null && (
        <InlineNotification kind="error" title="The check did not run" subtitle={failure} lowContrast hideCloseButton />
      )}
      </form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" id="test-as-service-close" onClick={onClose}>
          Close
        </Button>
        <Button
          kind="primary"
          id="test-as-service-check"
          type="submit"
          form={FORM_ID}
          disabled={busy || keyId.trim() === ""}
        >
          {busy ? "Checking…" : "Check"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
