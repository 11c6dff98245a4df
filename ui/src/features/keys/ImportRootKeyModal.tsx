import {
  Button,
  CodeSnippet,
  ComposedModal,
  FileUploaderButton,
  Form,
  InlineLoading,
  InlineNotification,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PasswordInput,
  ProgressIndicator,
  ProgressStep,
  RadioButton,
  RadioButtonGroup,
  Stack,
  TextInput,
} from "@carbon/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { ImportTokenOptions } from "../../components/ImportTokenOptions";
import { DEFAULT_TOKEN_DRAFT, tokenRequest } from "../../components/importTokenOptions";
import { toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { importCommand } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { formatDuration } from "../../lib/format";
import { useNow } from "../../lib/hooks/useNow";
import { ROOT_KEY_SIZES, SecureImportError } from "../../lib/secureImport";
import type { KeyInfo } from "../../lib/types";
import { entryRefusal } from "./createImportAccess";
import { IMPORT_STEPS, importRootKey, type ImportTokenMetadata } from "./importSteps";
import { useCreateImportAccess } from "./useCreateImportAccess";

const NAME_MIN = 2;
const NAME_MAX = 90;
const FORM_ID = "import-key-form";
const SIZES_TEXT = "16, 24 or 32 bytes";

type Source = "paste" | "file";

/** A sentence for a failure in the local part of the import. */
function explainSealing(error: SecureImportError): string {
  switch (error.reason) {
    case "MATERIAL_SIZE":
      return `Root key material must be ${SIZES_TEXT}.`;
    case "TOKEN_INCOMPLETE":
      return "The keystore sent the import token without its public key or nonce. Start the import again.";
    case "PUBLIC_KEY":
      return "The import token's public key could not be read. Start the import again.";
    case "AES_KEY_SIZE":
      return "This window cannot seal 24-byte (AES-192) material. Use 16 or 32 bytes.";
  }
}

function sizeProblem(bytes: Uint8Array): string | undefined {
  return (ROOT_KEY_SIZES as readonly number[]).includes(bytes.length)
    ? undefined
    : `Root key material must be ${SIZES_TEXT}; this is ${bytes.length}.`;
}

/** A key file holds the raw bytes, or their base64 text (as `openssl rand -base64 32` writes). */
function materialFromFile(bytes: Uint8Array): Uint8Array {
  if ((ROOT_KEY_SIZES as readonly number[]).includes(bytes.length)) return bytes;
  const asText = decodeBase64(new TextDecoder().decode(bytes));
  return asText ?? bytes;
}

/** The token's lifetime and retrievals, ticking while the dialog is open. */
function TokenStatus({ token }: { token: ImportTokenMetadata }) {
  const now = useNow(1000);
  const left = Date.parse(token.expirationDate) - now;
  return (
    <>
      <p id="import-key-token" className="import-key__token" aria-live="off">
        Import token{" "}
        <span id="import-key-token-expiry">{left > 0 ? `expires in ${formatDuration(left)}` : "has expired"}</span> ·{" "}
        <span id="import-key-token-retrievals">
          {token.remainingRetrievals} of {token.maxAllowedRetrievals}{" "}
          {token.maxAllowedRetrievals === 1 ? "retrieval" : "retrievals"} left
        </span>
      </p>
      {token.fingerprint !== undefined && <TokenFingerprint fingerprint={token.fingerprint} />}
    </>
  );
}

/** The token's public key fingerprint, for comparing with the keystore's own record of it. */
function TokenFingerprint({ fingerprint }: { fingerprint: string }) {
  return (
    <div className="import-key__fingerprint">
      <span className="cds--label" id="import-key-token-fingerprint-label">
        Token public key fingerprint (SHA-256, first 16 bytes)
      </span>
      <code id="import-key-token-fingerprint" aria-labelledby="import-key-token-fingerprint-label">
        {fingerprint}
      </code>
      <p className="key-details__note">
        Compare it out of band with the keystore&apos;s copy of the token&apos;s public key: the start of{" "}
        <code>openssl pkey -pubin -outform DER | openssl dgst -sha256</code> run on it.
      </p>
    </div>
  );
}

/** Secure import's promise, stated before anything is sent. */
function WhatLeaves() {
  return (
    <section id="import-key-leaves" className="import-key__leaves" aria-labelledby="import-key-leaves-title">
      <h4 id="import-key-leaves-title" className="cds--label">
        What leaves this machine
      </h4>
      <ul className="key-details__list">
        <li>The key material, RSA-OAEP (SHA-256) encrypted to the import token&apos;s public key.</li>
        <li>The token&apos;s nonce, AES-GCM encrypted under that material, which proves it was sealed for this token.</li>
      </ul>
      <p className="key-details__note">Besides the key&apos;s name, nothing else is sent; the material in the clear never is.</p>
    </section>
  );
}

interface Props {
  onClose: () => void;
  /** Called when the person leaves the success step, so the key can be shown. */
  onImported: (key: KeyInfo) => void;
}

/**
 * Imports root key material with secure import; mounted only while open. Plaintext import is
 * the create dialog's; this one is closed when the create and import access policy forbids
 * importing root keys, with the policy's sentence.
 */
export function ImportRootKeyModal({ onClose, onImported }: Props) {
  const backend = useBackend();
  const refusal = entryRefusal(useCreateImportAccess(), "root", "secureImport");
  const [name, setName] = useState("");
  const [source, setSource] = useState<Source>("paste");
  const [pasted, setPasted] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const fileMaterial = useRef<Uint8Array | null>(null);
  const [fileReady, setFileReady] = useState(false);
  const [submitted, setSubmitted] = useState(false);
  const [step, setStep] = useState<number | null>(null);
  const [failedStep, setFailedStep] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [token, setToken] = useState<ImportTokenMetadata | null>(null);
  const [importedKey, setImportedKey] = useState<KeyInfo | null>(null);
  const [tokenDraft, setTokenDraft] = useState(DEFAULT_TOKEN_DRAFT);
  const tokenOptions = tokenRequest(tokenDraft);

  // Overwrite the file's bytes when the dialog goes away; the pasted text is in a masked field.
  useEffect(
    () => () => {
      fileMaterial.current?.fill(0);
    },
    [],
  );

  const trimmedName = name.trim();
  const nameError =
    trimmedName.length < NAME_MIN || trimmedName.length > NAME_MAX
      ? `Enter a name of ${NAME_MIN} to ${NAME_MAX} characters.`
      : undefined;

  let materialError: string | undefined;
  if (source === "paste") {
    const bytes = pasted.trim() === "" ? null : decodeBase64(pasted);
    if (pasted.trim() === "") materialError = `Paste the key material in base64 (${SIZES_TEXT}).`;
    else if (bytes === null) materialError = "Key material must be base64, for example from `openssl rand -base64 32`.";
    else materialError = sizeProblem(bytes);
  } else if (fileProblem !== null) {
    materialError = fileProblem;
  } else if (!fileReady) {
    materialError = `Choose a file with ${SIZES_TEXT} of key material.`;
  }

  const busy = step !== null && failedStep === null && importedKey === null;

  const chooseFile = async (files: FileList | null) => {
    const file = files?.[0];
    fileMaterial.current?.fill(0);
    fileMaterial.current = null;
    setFileReady(false);
    setFileProblem(null);
    setFileName(file?.name ?? null);
    if (file === undefined) return;
    const material = materialFromFile(new Uint8Array(await file.arrayBuffer()));
    const problem = sizeProblem(material);
    if (problem === undefined) fileMaterial.current = material;
    setFileReady(problem === undefined);
    setFileProblem(problem ?? null);
  };

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSubmitted(true);
    if (nameError !== undefined || materialError !== undefined || tokenOptions === undefined) return;
    if (busy || refusal !== undefined) return;
    const material = source === "paste" ? decodeBase64(pasted) : fileMaterial.current;
    if (material === null) return;
    setFailure(null);
    setFailedStep(null);
    let current = 0;
    try {
      const key = await importRootKey(backend, { name: trimmedName, material, token: tokenOptions }, (index, retrieved) => {
        current = index;
        setStep(index);
        if (retrieved !== undefined) setToken(retrieved);
      });
      setStep(IMPORT_STEPS.length);
      setImportedKey(key);
    } catch (thrown) {
      setFailedStep(current);
      setFailure(thrown instanceof SecureImportError ? explainSealing(thrown) : describe(toBackendError(thrown)));
    } finally {
      if (source === "paste") material.fill(0);
    }
  };

  const shownNameError = submitted ? nameError : undefined;
  const shownMaterialError = submitted || fileName !== null ? materialError : undefined;

  const progress = step !== null && (
    <>
      <ProgressIndicator vertical currentIndex={step} id="import-key-progress" aria-label="Import progress">
        {IMPORT_STEPS.map((item, index) => (
          <ProgressStep
            key={item.label}
            label={item.label}
            description={item.description}
            secondaryLabel={index === failedStep ? "Failed" : item.description}
            invalid={index === failedStep}
          />
        ))}
        <ProgressStep label="Done" description="The key is ready to wrap DEKs." />
      </ProgressIndicator>
      {token !== null && <TokenStatus token={token} />}
    </>
  );

  if (importedKey !== null) {
    const done = () => onImported(importedKey);
    return (
      <ComposedModal open onClose={done} aria-label="Import a root key" preventCloseOnClickOutside>
        <ModalHeader title="Import a root key" label="Keys" />
        <ModalBody>
          <Stack gap={5}>
            {progress}
            <InlineNotification
              id="import-key-success"
              kind="success"
              title="Root key imported"
              subtitle={`${importedKey.name} is ready to wrap DEKs; the material was never sent in the clear.`}
              lowContrast
              hideCloseButton
            />
            <div id="import-key-new-id">
              <span className="cds--label">Key ID</span>
              <CodeSnippet type="single" feedback="Copied" aria-label="Copy key ID">
                {importedKey.id}
              </CodeSnippet>
            </div>
            <CliSnippet id="import-key-cli" command={(target) => importCommand(importedKey.name, undefined, target)} />
          </Stack>
        </ModalBody>
        <ModalFooter>
          <Button id="import-key-done" kind="primary" onClick={done}>
            Done
          </Button>
        </ModalFooter>
      </ComposedModal>
    );
  }

  return (
    <ComposedModal open onClose={busy ? () => false : onClose} aria-label="Import a root key" preventCloseOnClickOutside>
      <ModalHeader title="Import a root key" label="Keys" />
      <ModalBody hasForm>
        <Form id={FORM_ID} noValidate onSubmit={(event) => void submit(event)}>
          <Stack gap={6}>
            <p className="import-key__intro">
              Bring your own AES key material. It is encrypted in this window to a one-time public key from the
              keystore (secure import), so it never travels in the clear.
            </p>
            {refusal !== undefined && (
              <InlineNotification
                id="import-key-policy"
                kind="warning"
                title="Not allowed here"
                subtitle={refusal}
                lowContrast
                hideCloseButton
              />
            )}
            <TextInput
              id="import-key-name"
              labelText="Name"
              helperText={`${NAME_MIN} to ${NAME_MAX} characters. Names are visible to anyone who can list keys.`}
              value={name}
              autoComplete="off"
              data-modal-primary-focus
              disabled={busy}
              invalid={shownNameError !== undefined}
              invalidText={shownNameError}
              onChange={(event) => setName(event.target.value)}
            />
            <RadioButtonGroup
              legendText="Key material"
              name="import-key-source"
              valueSelected={source}
              disabled={busy || refusal !== undefined}
              onChange={(value) => setSource(value === "file" ? "file" : "paste")}
            >
              <RadioButton id="import-key-source-paste" labelText="Paste base64" value="paste" />
              <RadioButton id="import-key-source-file" labelText="Choose a file" value="file" />
            </RadioButtonGroup>
            {source === "paste" ? (
              <PasswordInput
                id="import-key-material"
                labelText="Key material (base64)"
                helperText={`${SIZES_TEXT}, e.g. from \`openssl rand -base64 32\`.`}
                autoComplete="off"
                value={pasted}
                disabled={busy || refusal !== undefined}
                showPasswordLabel="Show key material"
                hidePasswordLabel="Hide key material"
                invalid={shownMaterialError !== undefined}
                invalidText={shownMaterialError}
                onChange={(event) => setPasted(event.target.value)}
              />
            ) : (
              <div className="import-key__file">
                <FileUploaderButton
                  id="import-key-file"
                  labelText="Choose key file"
                  buttonKind="tertiary"
                  size="md"
                  disableLabelChanges
                  disabled={busy || refusal !== undefined}
                  onChange={(event) => void chooseFile(event.target.files)}
                />
                <p className="import-key__file-status" aria-live="polite">
                  {fileName === null ? `Raw bytes or base64 text, ${SIZES_TEXT}.` : `Chosen: ${fileName}`}
                </p>
                {shownMaterialError !== undefined && (
                  <p id="import-key-file-error" className="import-key__file-error" role="alert">
                    {shownMaterialError}
                  </p>
                )}
              </div>
            )}

            <ImportTokenOptions
              draft={tokenDraft}
              onChange={setTokenDraft}
              showProblems={submitted}
              disabled={busy || refusal !== undefined}
            />
            <WhatLeaves />
            {progress}
            {failure !== null && (
              <InlineNotification
                id="import-key-error"
                kind="error"
                role="alert"
                title="The key was not imported"
                subtitle={failure}
                lowContrast
                hideCloseButton
              />
            )}
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={onClose} disabled={busy}>
          Cancel
        </Button>
        <Button
          id="import-key-submit"
          kind="primary"
          type="submit"
          form={FORM_ID}
          disabled={busy || refusal !== undefined}
          aria-describedby={refusal === undefined ? undefined : "import-key-policy"}
        >
          {busy ? <InlineLoading description={IMPORT_STEPS[step]?.label ?? "Importing…"} /> : "Import"}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
