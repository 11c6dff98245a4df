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
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { Countdown } from "../../components/Countdown";
import { ImportTokenOptions } from "../../components/ImportTokenOptions";
import { DEFAULT_TOKEN_DRAFT, tokenRequest } from "../../components/importTokenOptions";
import { toBackendError, useBackend } from "../../lib/backend";
import { decodeBase64 } from "../../lib/base64";
import { importCommand } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { formatClock } from "../../lib/format";
import { ROOT_KEY_SIZES, SecureImportError, sealForImport, type SealedMaterial } from "../../lib/secureImport";
import type { KeyInfo } from "../../lib/types";
import { entryRefusal } from "./createImportAccess";
import { importSealedRootKey, retrieveImportToken, type ImportTokenMetadata, type RetrievedImportToken } from "./importSteps";
import { useCreateImportAccess } from "./useCreateImportAccess";
import { keystoreNow } from "../../lib/clock";

const NAME_MIN = 2;
const NAME_MAX = 90;
const FORM_ID = "import-key-form";
const SIZES_TEXT = "16, 24 or 32 bytes";

type Source = "paste" | "file";

/** The pages of the wizard; encrypting has a step of its own but no page, it runs on leaving the material. */
type View = "token" | "material" | "review";

const WIZARD_STEPS = [
  { label: "Import token", description: "A one-time public key from the keystore" },
  { label: "Key material", description: "Masked, 16, 24 or 32 bytes" },
  { label: "Encrypt locally", description: "In this window, under the token's public key" },
  { label: "Review & import", description: "Only ciphertext is sent" },
] as const;

const STEP_TOKEN = 0;
const STEP_MATERIAL = 1;
const STEP_ENCRYPT = 2;
const STEP_REVIEW = 3;

/** A sentence for a failure in the local part of the import. */
function explainSealing(error: SecureImportError): string {
  switch (error.reason) {
    case "MATERIAL_SIZE":
      return `Root key material must be ${SIZES_TEXT}.`;
    case "TOKEN_INCOMPLETE":
      return "The keystore sent the import token without its public key or nonce. Get a different token.";
    case "PUBLIC_KEY":
      return "The import token's public key could not be read. Get a different token.";
    case "AES_KEY_SIZE":
      return "This window cannot seal 24-byte (AES-192) material. Use 16 or 32 bytes.";
  }
}

function sizeProblem(length: number): string | undefined {
  return (ROOT_KEY_SIZES as readonly number[]).includes(length)
    ? undefined
    : `Root key material must be ${SIZES_TEXT}; this is ${length}.`;
}

/** A key file holds the raw bytes, or their base64 text (as `openssl rand -base64 32` writes). */
function materialFromFile(bytes: Uint8Array): Uint8Array {
  if ((ROOT_KEY_SIZES as readonly number[]).includes(bytes.length)) return bytes;
  const asText = decodeBase64(new TextDecoder().decode(bytes));
  return asText ?? bytes;
}

/** True once `at` has passed; re-checked by one timer rather than a tick, as the dialog holds a form. */
function useExpired(at: string | undefined): boolean {
  const [passed, setPassed] = useState<string | null>(null);
  useEffect(() => {
    const moment = at === undefined ? NaN : Date.parse(at);
    // An unreadable date is left to the keystore to judge, rather than called expired.
    if (at === undefined || Number.isNaN(moment)) return;
    const timer = setTimeout(() => setPassed(at), Math.max(0, moment - keystoreNow()));
    return () => clearTimeout(timer);
  }, [at]);
  return at !== undefined && passed === at;
}

/** A moment as hours and minutes on this computer's clock, e.g. 14:05. */
function clockTime(at: string): string {
  return formatClock(new Date(at));
}

/** The token's lifetime and retrievals, counting down while the dialog is open. */
function TokenStatus({ token, expired }: { token: ImportTokenMetadata; expired: boolean }) {
  return (
    <p id="import-key-token" className="import-key__token" aria-live="off">
      Import token{" "}
      <span id="import-key-token-expiry">
        {expired ? (
          "has expired"
        ) : (
          <>
            expires in <Countdown to={new Date(token.expirationDate)} />
          </>
        )}
      </span>{" "}
      ·{" "}
      <span id="import-key-token-retrievals">
        {token.remainingRetrievals} of {token.maxAllowedRetrievals}{" "}
        {token.maxAllowedRetrievals === 1 ? "retrieval" : "retrievals"} left
      </span>
    </p>
  );
}

/** The token's public key fingerprint, for comparing with what the key owner expects. */
function TokenFingerprint({ fingerprint }: { fingerprint: string }) {
  return (
    <div className="import-key__fingerprint">
      <span className="cds--label" id="import-key-token-fingerprint-label">
        Token public key fingerprint (SHA-256, first 16 bytes)
      </span>
      <code id="import-key-token-fingerprint" aria-labelledby="import-key-token-fingerprint-label">
        {fingerprint}
      </code>
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
 * Imports root key material with secure import, as a wizard: get an import token and check its
 * fingerprint, give the material, encrypt it here, review, import. Mounted only while open.
 * Plaintext import is the create dialog's; this one is closed when the create and import access
 * policy forbids importing root keys, with the policy's sentence.
 */
export function ImportRootKeyModal({ onClose, onImported }: Props) {
  const backend = useBackend();
  const refusal = entryRefusal(useCreateImportAccess(), "root", "secureImport");
  const [view, setView] = useState<View>("token");
  const [pending, setPending] = useState<"token" | "seal" | "import" | null>(null);
  const [failedStep, setFailedStep] = useState<number | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  const [tokenDraft, setTokenDraft] = useState(DEFAULT_TOKEN_DRAFT);
  const [tokenAttempted, setTokenAttempted] = useState(false);
  const [retrieved, setRetrieved] = useState<RetrievedImportToken | null>(null);
  const tokenExpired = useExpired(retrieved?.metadata.expirationDate);
  const tokenOptions = tokenRequest(tokenDraft);

  const [name, setName] = useState("");
  const [source, setSource] = useState<Source>("paste");
  const [pasted, setPasted] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileProblem, setFileProblem] = useState<string | null>(null);
  const fileMaterial = useRef<Uint8Array | null>(null);
  // The chosen file's usable length; its bytes stay in the ref, out of React state.
  const [fileBytes, setFileBytes] = useState<number | null>(null);
  const [materialAttempted, setMaterialAttempted] = useState(false);

  // Sealed for `retrieved`'s token; dropped whenever the token or the material may change.
  const [sealed, setSealed] = useState<{ material: SealedMaterial; bytes: number } | null>(null);
  const [importedKey, setImportedKey] = useState<KeyInfo | null>(null);

  // Overwrite the file's bytes when the dialog goes away; the pasted text is in a masked field.
  useEffect(
    () => () => {
      fileMaterial.current?.fill(0);
    },
    [],
  );

  // Each page starts with its heading focused, so a screen reader reads where the wizard is.
  const heading = useRef<HTMLHeadingElement>(null);
  const firstView = useRef(true);
  useEffect(() => {
    if (firstView.current) {
      firstView.current = false;
      return;
    }
    heading.current?.focus();
  }, [view]);

  const trimmedName = name.trim();
  const nameError =
    trimmedName.length < NAME_MIN || trimmedName.length > NAME_MAX
      ? `Enter a name of ${NAME_MIN} to ${NAME_MAX} characters.`
      : undefined;

  let materialError: string | undefined;
  let materialBytes: number | undefined;
  if (source === "paste") {
    const bytes = pasted.trim() === "" ? null : decodeBase64(pasted);
    materialBytes = bytes?.length;
    bytes?.fill(0);
    if (pasted.trim() === "") materialError = `Paste the key material in base64 (${SIZES_TEXT}).`;
    else if (materialBytes === undefined) materialError = "Key material must be base64, for example from `openssl rand -base64 32`.";
    else materialError = sizeProblem(materialBytes);
  } else if (fileProblem !== null) {
    materialError = fileProblem;
  } else if (fileBytes === null) {
    materialError = `Choose a file with ${SIZES_TEXT} of key material.`;
  } else {
    materialBytes = fileBytes;
  }

  const busy = pending !== null;
  const closed = refusal !== undefined;

  const fail = (step: number, sentence: string) => {
    setFailedStep(step);
    setFailure(sentence);
  };
  const clearFailure = () => {
    setFailedStep(null);
    setFailure(null);
  };

  const chooseFile = async (files: FileList | null) => {
    const file = files?.[0];
    fileMaterial.current?.fill(0);
    fileMaterial.current = null;
    setFileBytes(null);
    setFileProblem(null);
    setFileName(file?.name ?? null);
    if (file === undefined) return;
    const material = materialFromFile(new Uint8Array(await file.arrayBuffer()));
    const problem = sizeProblem(material.length);
    if (problem === undefined) fileMaterial.current = material;
    else material.fill(0);
    setFileBytes(problem === undefined ? material.length : null);
    setFileProblem(problem ?? null);
  };

  const getToken = async () => {
    setTokenAttempted(true);
    if (tokenOptions === undefined) return;
    setPending("token");
    clearFailure();
    try {
      setRetrieved(await retrieveImportToken(backend, tokenOptions));
    } catch (thrown) {
      fail(STEP_TOKEN, describe(toBackendError(thrown)));
    } finally {
      setPending(null);
    }
  };

  /** Back to the first page with the options, for a token the key owner can vouch for. */
  const differentToken = () => {
    setRetrieved(null);
    setSealed(null);
    clearFailure();
    setView("token");
  };

  /**
   * After the token expired: back to the first page for a new one. The name stays; the material
   * goes, so it is given again for the new token rather than kept around while the person waits.
   */
  const renewExpired = () => {
    fileMaterial.current?.fill(0);
    fileMaterial.current = null;
    setFileBytes(null);
    setFileName(null);
    setFileProblem(null);
    setPasted("");
    setMaterialAttempted(false);
    differentToken();
  };

  const encrypt = async () => {
    setMaterialAttempted(true);
    if (nameError !== undefined || materialError !== undefined || retrieved === null) return;
    const material = source === "paste" ? decodeBase64(pasted) : fileMaterial.current;
    if (material === null) return;
    setPending("seal");
    clearFailure();
    try {
      setSealed({ material: await sealForImport(material, retrieved.token), bytes: material.length });
      setView("review");
    } catch (thrown) {
      fail(STEP_ENCRYPT, thrown instanceof SecureImportError ? explainSealing(thrown) : describe(toBackendError(thrown)));
    } finally {
      if (source === "paste") material.fill(0);
      setPending(null);
    }
  };

  const importKey = async () => {
    if (sealed === null) return;
    setPending("import");
    clearFailure();
    try {
      setImportedKey(await importSealedRootKey(backend, { name: trimmedName }, sealed.material));
    } catch (thrown) {
      fail(STEP_REVIEW, describe(toBackendError(thrown)));
    } finally {
      setPending(null);
    }
  };

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Enter in a field submits too: nothing goes on with an expired token.
    if (busy || closed || (tokenExpired && retrieved !== null)) return;
    if (view === "token") {
      if (retrieved === null) void getToken();
      else if (retrieved.metadata.fingerprint !== undefined) {
        clearFailure();
        setView("material");
      }
    } else if (view === "material") void encrypt();
    else void importKey();
  };

  const back = () => {
    clearFailure();
    setSealed(null);
    setView(view === "review" ? "material" : "token");
  };

  let currentStep: number = STEP_TOKEN;
  if (importedKey !== null) currentStep = WIZARD_STEPS.length;
  else if (view === "review") currentStep = STEP_REVIEW;
  else if (view === "material") currentStep = pending === "seal" ? STEP_ENCRYPT : STEP_MATERIAL;

  const progress = (
    <ProgressIndicator currentIndex={currentStep} spaceEqually id="import-key-progress" aria-label="Import steps">
      {WIZARD_STEPS.map((item, index) => (
        <ProgressStep
          key={item.label}
          label={item.label}
          description={item.description}
          secondaryLabel={index === failedStep ? "Failed" : undefined}
          invalid={index === failedStep}
        />
      ))}
    </ProgressIndicator>
  );

  if (importedKey !== null) {
    const done = () => onImported(importedKey);
    return (
      <ComposedModal open onClose={done} aria-label="Import a root key" preventCloseOnClickOutside size="md">
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

  const shownNameError = materialAttempted ? nameError : undefined;
  const shownMaterialError =
    materialAttempted || pasted.trim() !== "" || fileName !== null ? materialError : undefined;
  const materialHelper =
    materialBytes !== undefined && materialError === undefined
      ? `${materialBytes} bytes: AES-${materialBytes * 8}.`
      : `${SIZES_TEXT}, e.g. from \`openssl rand -base64 32\`.`;

  // Once the token has expired the wizard stops: the keystore refuses material sealed for it.
  const expiredNotice = tokenExpired && retrieved !== null && (
    <div className="import-key__expired">
      <InlineNotification
        id="import-key-token-expired"
        kind="warning"
        role="alert"
        title="The import token has expired"
        subtitle={`This import token expired at ${clockTime(retrieved.metadata.expirationDate)}. Get a new token to continue. (By this computer's clock; the keystore is the final judge, and it refuses material sealed for an expired token.)`}
        lowContrast
        hideCloseButton
      />
      {view !== "token" && (
        <Button id="import-key-token-expired-renew" kind="tertiary" size="sm" disabled={busy} onClick={renewExpired}>
          Get a new token
        </Button>
      )}
    </div>
  );

  let page: ReactNode;
  let primary: { id: string; label: string; busyLabel: string; disabled?: boolean };
  if (view === "token") {
    primary =
      retrieved === null
        ? { id: "import-key-token-create", label: "Get import token", busyLabel: "Getting the token…", disabled: closed }
        : {
            id: "import-key-next",
            label: "Next",
            busyLabel: "",
            disabled: retrieved.metadata.fingerprint === undefined || tokenExpired,
          };
    page = (
      <>
        <p className="import-key__intro">
          Bring your own AES key material. It is encrypted in this window to a one-time public key from the keystore
          (secure import), so it never travels in the clear. First, get that key: an import token.
        </p>
        <ImportTokenOptions
          draft={tokenDraft}
          onChange={setTokenDraft}
          showProblems={tokenAttempted}
          disabled={busy || closed || retrieved !== null}
        />
        {retrieved !== null && (
          <section className="import-key__token-check" aria-label="The import token">
            {retrieved.metadata.fingerprint === undefined ? (
              <InlineNotification
                id="import-key-token-unreadable"
                kind="error"
                title="No fingerprint to check"
                subtitle="The import token's public key could not be read. Get a different token."
                lowContrast
                hideCloseButton
              />
            ) : (
              <>
                <TokenFingerprint fingerprint={retrieved.metadata.fingerprint} />
                <p id="import-key-token-compare" className="import-key__compare">
                  Compare this fingerprint with the one your key owner expects before you go on. If they differ, do not
                  import: the material would be encrypted for someone else&apos;s key.
                </p>
                <p className="key-details__note">
                  The key owner gets it from the keystore&apos;s copy of the token&apos;s public key: the start of{" "}
                  <code>openssl pkey -pubin -outform DER | openssl dgst -sha256</code> run on it.
                </p>
              </>
            )}
            <TokenStatus token={retrieved.metadata} expired={tokenExpired} />
            {expiredNotice}
            <Button id="import-key-token-renew" kind="ghost" size="sm" onClick={differentToken}>
              Get a different token
            </Button>
          </section>
        )}
      </>
    );
  } else if (view === "material") {
    primary = { id: "import-key-encrypt", label: "Encrypt locally", busyLabel: "Encrypting…", disabled: tokenExpired };
    page = (
      <>
        <TextInput
          id="import-key-name"
          labelText="Name"
          helperText={`${NAME_MIN} to ${NAME_MAX} characters. Names are visible to anyone who can list keys.`}
          value={name}
          autoComplete="off"
          disabled={busy}
          invalid={shownNameError !== undefined}
          invalidText={shownNameError}
          onChange={(event) => setName(event.target.value)}
        />
        <RadioButtonGroup
          legendText="Key material"
          name="import-key-source"
          valueSelected={source}
          disabled={busy}
          onChange={(value) => setSource(value === "file" ? "file" : "paste")}
        >
          <RadioButton id="import-key-source-paste" labelText="Paste base64" value="paste" />
          <RadioButton id="import-key-source-file" labelText="Choose a file" value="file" />
        </RadioButtonGroup>
        {source === "paste" ? (
          <PasswordInput
            id="import-key-material"
            labelText="Key material (base64)"
            helperText={materialHelper}
            autoComplete="off"
            value={pasted}
            disabled={busy}
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
              disabled={busy}
              onChange={(event) => void chooseFile(event.target.files)}
            />
            <p className="import-key__file-status" aria-live="polite">
              {fileName === null
                ? `Raw bytes or base64 text, ${SIZES_TEXT}.`
                : `Chosen: ${fileName}${materialError === undefined ? ` (${materialHelper})` : ""}`}
            </p>
            {shownMaterialError !== undefined && (
              <p id="import-key-file-error" className="import-key__file-error" role="alert">
                {shownMaterialError}
              </p>
            )}
          </div>
        )}
        <p className="import-key__intro">
          Next, the material is encrypted in this window under the token&apos;s public key. Nothing is sent until you
          import on the last step.
        </p>
        {expiredNotice}
      </>
    );
  } else {
    primary = { id: "import-key-submit", label: "Import", busyLabel: "Importing…", disabled: tokenExpired };
    page = (
      <>
        <dl id="import-key-review" className="import-key__review">
          <dt>Name</dt>
          <dd>{trimmedName}</dd>
          <dt>Key material</dt>
          <dd>{sealed === null ? "" : `${sealed.bytes} bytes (AES-${sealed.bytes * 8}), encrypted in this window`}</dd>
          <dt>Import token</dt>
          <dd>
            {retrieved?.metadata.fingerprint !== undefined && <TokenFingerprint fingerprint={retrieved.metadata.fingerprint} />}
            {retrieved !== null && <TokenStatus token={retrieved.metadata} expired={tokenExpired} />}
          </dd>
        </dl>
        <WhatLeaves />
        {expiredNotice}
      </>
    );
  }

  const titles: Record<View, string> = {
    token: "Get an import token",
    material: "Provide the key material",
    review: "Review and import",
  };
  const canCancel = view === "token";

  return (
    <ComposedModal
      open
      onClose={busy ? () => false : onClose}
      aria-label="Import a root key"
      preventCloseOnClickOutside
      size="md"
    >
      <ModalHeader title="Import a root key" label="Keys" />
      <ModalBody hasForm>
        <Form id={FORM_ID} noValidate onSubmit={submit}>
          <Stack gap={6}>
            {progress}
            <h3 ref={heading} tabIndex={-1} id="import-key-page-title" className="import-key__page-title">
              {titles[view]}
            </h3>
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
            {page}
            {failure !== null && (
              <InlineNotification
                id="import-key-error"
                kind="error"
                role="alert"
                title={failedStep === STEP_REVIEW ? "The key was not imported" : "This step did not complete"}
                subtitle={failure}
                lowContrast
                hideCloseButton
              />
            )}
            {failure !== null && view === "review" && (
              <Button id="import-key-restart" kind="ghost" size="sm" onClick={differentToken}>
                Start again with a different token
              </Button>
            )}
          </Stack>
        </Form>
      </ModalBody>
      <ModalFooter>
        <Button kind="secondary" onClick={canCancel ? onClose : back} disabled={busy}>
          {canCancel ? "Cancel" : "Back"}
        </Button>
        <Button
          key={primary.id}
          id={primary.id}
          kind="primary"
          type="submit"
          form={FORM_ID}
          disabled={busy || closed || primary.disabled === true}
          aria-describedby={closed ? "import-key-policy" : tokenExpired && retrieved !== null ? "import-key-token-expired" : undefined}
        >
          {busy ? <InlineLoading description={primary.busyLabel} /> : primary.label}
        </Button>
      </ModalFooter>
    </ComposedModal>
  );
}
