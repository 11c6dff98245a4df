import { Button, Form, InlineLoading, InlineNotification, PasswordInput, Stack, TextInput, Tile } from "@carbon/react";
import { useState, type FormEvent } from "react";
import { toBackendError } from "../../lib/backend";
import type { HttpBackend } from "../../lib/backend/http";
import { describe } from "../../lib/errors";
import { connectSameOrigin, instanceFromLocation, type Connect } from "./connect";

interface Props {
  onSignedIn: (backend: HttpBackend) => void;
  connect?: Connect;
}

/** Sign-in for a remote keystore. The API key stays in memory for this tab and is never stored. */
export function SignIn({ onSignedIn, connect = connectSameOrigin }: Props) {
  const [apiKey, setApiKey] = useState("");
  const [instanceId, setInstanceId] = useState(instanceFromLocation);
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  const apiKeyError = apiKey.trim() === "" ? "Enter the API key." : undefined;
  const instanceError = instanceId.trim() === "" ? "Enter the instance ID." : undefined;

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (apiKeyError !== undefined || instanceError !== undefined) return;
    setBusy(true);
    setFailure(null);
    const backend = connect(apiKey.trim(), instanceId.trim());
    try {
      await backend.info();
      setApiKey("");
      onSignedIn(backend);
    } catch (thrown) {
      backend.signOut();
      const error = toBackendError(thrown);
      setFailure(
        error.code === "UNAUTHENTICATED"
          ? "The API key or the instance ID was not accepted. Check both and try again."
          : describe(error),
      );
      setBusy(false);
    }
  };

  return (
    <main className="sign-in" id="main-content">
      <Tile className="sign-in__tile">
        <Form noValidate aria-labelledby="sign-in-title" onSubmit={(event) => void submit(event)}>
          <Stack gap={6}>
            <div>
              <h1 id="sign-in-title" className="sign-in__title">
                Sign in to Strongroom
              </h1>
              <p className="sign-in__intro">
                Use an API key for this keystore. It is kept in memory for this tab only and is forgotten when you sign
                out or close the tab.
              </p>
            </div>
            {failure !== null && (
              <InlineNotification
                id="sign-in-error"
                kind="error"
                role="alert"
                title="Sign-in failed"
                subtitle={failure}
                lowContrast
                hideCloseButton
              />
            )}
            <PasswordInput
              id="sign-in-api-key"
              labelText="API key"
              autoComplete="off"
              value={apiKey}
              disabled={busy}
              showPasswordLabel="Show API key"
              hidePasswordLabel="Hide API key"
              invalid={submitted && apiKeyError !== undefined}
              invalidText={apiKeyError}
              onChange={(event) => setApiKey(event.target.value)}
            />
            <TextInput
              id="sign-in-instance"
              labelText="Instance ID"
              helperText="Printed by strongroom serve when it first starts. A link may carry it as ?instance=…"
              autoComplete="off"
              value={instanceId}
              disabled={busy}
              invalid={submitted && instanceError !== undefined}
              invalidText={instanceError}
              onChange={(event) => setInstanceId(event.target.value)}
            />
            <Button id="sign-in-submit" type="submit" disabled={busy}>
              {busy ? <InlineLoading description="Signing in…" /> : "Sign in"}
            </Button>
          </Stack>
        </Form>
      </Tile>
    </main>
  );
}
