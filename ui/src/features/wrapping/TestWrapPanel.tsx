import {
  Accordion,
  AccordionItem,
  CodeSnippet,
  Button,
  ButtonSet,
  CopyButton,
  IconButton,
  InlineLoading,
  InlineNotification,
  PasswordInput,
  RadioButton,
  RadioButtonGroup,
  Stack,
  Tag,
  TextArea,
  TextInput,
  Tile,
} from "@carbon/react";
import { Add, Renew, TrashCan } from "@carbon/icons-react";
import { envelopeCurl } from "./curl";
import { useCallback, useRef, useState } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { MaskedSecret } from "../../components/MaskedSecret";
import { useNotify } from "../../components/notifications";
import { ACTIONS, bothAllow, denied, useAccess, type Access } from "../../lib/access";
import { toBackendError, useBackend } from "../../lib/backend";
import { sameBytes } from "../../lib/base64";
import { describe } from "../../lib/errors";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import { useRequest } from "../../lib/hooks/useRequest";
import { shortId } from "../../lib/format";
import type { WrapRequest } from "../../lib/types";
import { loadKeyChoices } from "./keyChoices";
import { RoundTripCheck } from "./RoundTripCheck";
import { SaveTestVector } from "./SaveTestVector";
import type { NewTestVector } from "./testVectors";
import { UnwrappedPlaintext } from "./UnwrappedPlaintext";
import { WrapKeyPicker } from "./WrapKeyPicker";

type DekSource = "generate" | "paste";
type Action = "wrap" | "unwrap" | "rewrap";

interface AadItem {
  id: number;
  value: string;
}

interface Wrapped {
  ciphertext: string;
  keyId: string;
  /** The AAD the wrap was given, whatever the form holds now. */
  aad: string[];
  /** The version that sealed the ciphertext shown. */
  keyVersion: string;
  /** The DEK that went in, generated or pasted, base64. */
  dek: string;
  generated: boolean;
}

interface Unwrapped {
  /** Null when the ciphertext was not wrapped here, so there is no DEK to compare with. */
  match: boolean | null;
  plaintext: string;
  keyVersion: string;
  rewrappedVersion?: string;
}

interface Rewrapped {
  from: string;
  to: string;
}

const DEACTIVATED_REFUSAL = "This key is deactivated: it can unwrap, but no longer wrap.";
const ROTATE_REFUSAL = "Only active keys with generated material rotate here; rotate imported keys from the Keys page.";

const FAILURE_TITLES: Record<Action, string> = {
  wrap: "Wrap failed",
  unwrap: "Unwrap failed",
  rewrap: "Rewrap failed",
};

interface Props {
  /** Bumped whenever the key table reloads, so the picker sees new and changed keys. */
  refreshToken: number;
  /** Called after the panel changed a key (a rotation), so other views reload. */
  onChanged?: () => void;
  /** The root key to start with, e.g. when opened from a key's details. */
  initialKeyId?: string;
  /** A ciphertext to start with, and the AAD it was wrapped with (a loaded test vector). */
  initialCiphertext?: string;
  initialAad?: readonly string[];
  /** Offered after a wrap when given; says whether the vector was kept. */
  onSaveVector?: (vector: NewTestVector) => boolean;
}

export function TestWrapPanel({
  refreshToken,
  onChanged,
  initialKeyId = "",
  initialCiphertext = "",
  initialAad = [],
  onSaveVector,
}: Props) {
  const backend = useBackend();
  const curlTarget = useCurlTarget();
  const notify = useNotify();
  const can = useAccess();
  const loadKeys = useCallback(() => loadKeyChoices(backend), [backend]);
  const keys = useRequest(loadKeys, refreshToken);

  const [chosenKeyId, setChosenKeyId] = useState(initialKeyId);
  const [dekSource, setDekSource] = useState<DekSource>("generate");
  const [pastedDek, setPastedDek] = useState("");
  const [dekMissing, setDekMissing] = useState(false);
  const [aad, setAad] = useState<AadItem[]>(() => initialAad.map((value, index) => ({ id: index + 1, value })));
  const [focusAadId, setFocusAadId] = useState<number | null>(null);
  const nextAadId = useRef(initialAad.length);

  const [busy, setBusy] = useState<Action | null>(null);
  const [failure, setFailure] = useState<{ action: Action; message: string } | null>(null);
  const [wrapped, setWrapped] = useState<Wrapped | null>(null);
  /** The ciphertext to unwrap or rewrap: the last wrap's, or one pasted in. */
  const [ciphertext, setCiphertext] = useState(initialCiphertext);
  const [rotating, setRotating] = useState(false);
  const [unwrapped, setUnwrapped] = useState<Unwrapped | null>(null);
  const [rewrapped, setRewrapped] = useState<Rewrapped | null>(null);
  // Remounts the masked values so each new result starts hidden again.
  const [resultNumber, setResultNumber] = useState(0);

  // Only keys that can wrap or unwrap are choosable; the picker lists the others disabled.
  const rootKeys = (keys.data ?? []).filter((choice) => choice.refusal === undefined).map((choice) => choice.key);
  // The chosen key may disappear after a refresh; fall back to the first one.
  const keyId = rootKeys.some((key) => key.id === chosenKeyId) ? chosenKeyId : (rootKeys[0]?.id ?? "");
  const aadValues = aad.map((item) => item.value);

  const addAad = () => {
    nextAadId.current += 1;
    const id = nextAadId.current;
    setAad((items) => [...items, { id, value: "" }]);
    setFocusAadId(id);
  };
  const changeAad = (id: number, value: string) =>
    setAad((items) => items.map((item) => (item.id === id ? { ...item, value } : item)));
  const removeAad = (id: number) => setAad((items) => items.filter((item) => item.id !== id));

  const attempt = async (action: Action, work: () => Promise<void>) => {
    setBusy(action);
    setFailure(null);
    try {
      await work();
      setResultNumber((n) => n + 1);
    } catch (thrown) {
      setFailure({ action, message: describe(toBackendError(thrown)) });
    } finally {
      setBusy(null);
    }
  };

  const wrap = () => {
    const pasted = pastedDek.trim();
    if (dekSource === "paste" && pasted === "") {
      setDekMissing(true);
      return;
    }
    // Pin the key, so a refresh that adds a newer key does not move the picker under the result.
    setChosenKeyId(keyId);
    setWrapped(null);
    setUnwrapped(null);
    setRewrapped(null);
    const request: WrapRequest = { keyId, aad: aadValues };
    if (dekSource === "paste") request.plaintext = pasted;
    void attempt("wrap", async () => {
      const response = await backend.wrap(request);
      setCiphertext(response.ciphertext);
      setWrapped({
        ciphertext: response.ciphertext,
        keyId,
        aad: aadValues,
        keyVersion: response.keyVersion.id,
        dek: dekSource === "paste" ? pasted : (response.plaintext ?? ""),
        generated: dekSource === "generate",
      });
    });
  };

  const unwrap = () => {
    const current = ciphertext.trim();
    setUnwrapped(null);
    void attempt("unwrap", async () => {
      const response = await backend.unwrap({ keyId, ciphertext: current, aad: aadValues });
      setUnwrapped({
        match: wrapped !== null && wrapped.ciphertext === current ? sameBytes(response.plaintext, wrapped.dek) : null,
        plaintext: response.plaintext,
        keyVersion: response.keyVersion.id,
        rewrappedVersion: response.rewrapped?.keyVersion.id,
      });
    });
  };

  const rewrap = () => {
    const current = ciphertext.trim();
    setUnwrapped(null);
    void attempt("rewrap", async () => {
      const response = await backend.rewrap({ keyId, ciphertext: current, aad: aadValues });
      setCiphertext(response.ciphertext);
      if (wrapped !== null && wrapped.ciphertext === current) {
        setWrapped({ ...wrapped, ciphertext: response.ciphertext, keyVersion: response.rewrappedKeyVersion.id });
      }
      setRewrapped({ from: response.keyVersion.id, to: response.rewrappedKeyVersion.id });
    });
  };

  const chosenKey = rootKeys.find((key) => key.id === keyId);
  const target = chosenKey === undefined ? {} : { keyId: chosenKey.id, keyRing: chosenKey.keyRing };
  const rotatable = chosenKey !== undefined && chosenKey.state === "active" && !chosenKey.imported;
  const mayRotate = bothAllow(
    rotatable ? { allowed: true } : denied(ROTATE_REFUSAL),
    can(ACTIONS.rotate, target),
  );
  const mayWrap = bothAllow(
    chosenKey?.state === "deactivated" ? denied(DEACTIVATED_REFUSAL) : { allowed: true },
    can(ACTIONS.wrap, target),
  );
  const mayUnwrap = can(ACTIONS.unwrap, target);
  const mayRewrap = can(ACTIONS.rewrap, target);
  const mayRoundTrip: Access = mayWrap.allowed ? mayUnwrap : mayWrap;
  const rotate = async () => {
    if (chosenKey === undefined) return;
    setRotating(true);
    try {
      const key = await backend.rotateKey({ keyId: chosenKey.id });
      notify({
        kind: "success",
        title: `Key ${key.name} rotated`,
        subtitle: "New wraps use the new version; rewrap moves a ciphertext onto it.",
      });
      onChanged?.();
    } catch (thrown) {
      notify({ kind: "error", title: `Could not rotate key ${chosenKey.name}`, subtitle: describe(toBackendError(thrown)) });
    } finally {
      setRotating(false);
    }
  };

  const noCiphertext = ciphertext.trim() === "";
  const saveVector =
    onSaveVector === undefined || wrapped === null
      ? undefined
      : (label: string) =>
          // Field by field: the DEK must never reach storage.
          onSaveVector({
            label,
            keyId: wrapped.keyId,
            keyVersion: wrapped.keyVersion,
            ciphertext: wrapped.ciphertext,
            aad: wrapped.aad,
          });

  return (
    <Tile id="wrap-panel" className="wrap-panel">
      <Stack gap={6}>
        <div>
          <h2 className="wrap-panel__title">Test wrap and unwrap</h2>
          <p className="wrap-panel__intro">
            Wrap a data encryption key (DEK) with a root key, then unwrap it to check the round trip. Nothing here is
            stored unless you save a test vector, and that keeps the ciphertext and AAD, never the DEK.
          </p>
        </div>

        <WrapKeyPicker choices={keys} keyId={keyId} onChoose={setChosenKeyId} initialKeyId={initialKeyId} />
        {rootKeys.length > 0 && (
          <div className="wrap-panel__rotate">
            <GuardedButton
              id="wrap-rotate"
              kind="ghost"
              size="sm"
              renderIcon={Renew}
              access={mayRotate}
              disabled={rotating || busy !== null}
              onClick={() => void rotate()}
            >
              {rotating ? <InlineLoading description="Rotating…" /> : "Rotate this key"}
            </GuardedButton>
            <span className="wrap-panel__hint">
              {mayRotate.allowed ? "Adds a key version; then rewrap to move a ciphertext onto it." : mayRotate.reason}
            </span>
          </div>
        )}

        <RadioButtonGroup
          legendText="Data encryption key"
          name="wrap-dek-source"
          orientation="vertical"
          valueSelected={dekSource}
          onChange={(value) => setDekSource(value === "paste" ? "paste" : "generate")}
        >
          <RadioButton id="wrap-dek-generate" labelText="Generate a DEK (32 random bytes)" value="generate" />
          <RadioButton id="wrap-dek-paste" labelText="Paste a DEK" value="paste" />
        </RadioButtonGroup>

        {dekSource === "paste" && (
          <PasswordInput
            id="wrap-dek-input"
            labelText="DEK (base64)"
            autoComplete="off"
            value={pastedDek}
            showPasswordLabel="Show DEK"
            hidePasswordLabel="Hide DEK"
            invalid={dekMissing}
            invalidText="Paste a base64 DEK, or choose Generate."
            onChange={(event) => {
              setPastedDek(event.target.value);
              setDekMissing(false);
            }}
          />
        )}

        <fieldset className="wrap-panel__aad">
          <legend className="cds--label">Additional authenticated data (optional)</legend>
          {aad.length === 0 ? (
            <p className="wrap-panel__hint">None. Unwrap must be given exactly the items given to wrap.</p>
          ) : (
            <Stack gap={3}>
              {aad.map((item, index) => (
                <div key={item.id} className="wrap-panel__aad-row">
                  <TextInput
                    id={`wrap-aad-${index}`}
                    labelText={`AAD item ${index + 1}`}
                    hideLabel
                    placeholder={`AAD item ${index + 1}`}
                    size="md"
                    value={item.value}
                    autoFocus={item.id === focusAadId}
                    onChange={(event) => changeAad(item.id, event.target.value)}
                  />
                  <IconButton
                    kind="ghost"
                    size="md"
                    label={`Remove AAD item ${index + 1}`}
                    align="left"
                    onClick={() => removeAad(item.id)}
                  >
                    <TrashCan />
                  </IconButton>
                </div>
              ))}
            </Stack>
          )}
          <Button id="wrap-aad-add" kind="ghost" size="sm" renderIcon={Add} onClick={addAad}>
            Add AAD item
          </Button>
        </fieldset>

        <ButtonSet className="wrap-panel__actions">
          <GuardedButton id="wrap-button" access={mayWrap} onClick={wrap} disabled={keyId === "" || busy !== null}>
            {busy === "wrap" ? "Wrapping…" : "Wrap"}
          </GuardedButton>
          <GuardedButton
            id="unwrap-button"
            kind="secondary"
            access={mayUnwrap}
            onClick={unwrap}
            disabled={noCiphertext || keyId === "" || busy !== null}
          >
            {busy === "unwrap" ? "Unwrapping…" : "Unwrap"}
          </GuardedButton>
          <GuardedButton
            id="rewrap-button"
            kind="tertiary"
            access={mayRewrap}
            onClick={rewrap}
            disabled={noCiphertext || keyId === "" || busy !== null}
          >
            {busy === "rewrap" ? "Rewrapping…" : "Rewrap"}
          </GuardedButton>
        </ButtonSet>

        <RoundTripCheck
          key={keyId}
          keyId={keyId}
          aad={aadValues}
          disabled={keyId === "" || busy !== null || !mayRoundTrip.allowed}
          {...(mayRoundTrip.allowed ? {} : { disabledReason: mayRoundTrip.reason })}
        />

        {failure !== null && (
          <InlineNotification
            id="wrap-error"
            kind="error"
            role="alert"
            title={FAILURE_TITLES[failure.action]}
            subtitle={failure.message}
            lowContrast
            onClose={() => setFailure(null)}
          />
        )}

        <div className="wrap-panel__ciphertext">
          <TextArea
            id="wrap-ciphertext"
            labelText="Ciphertext"
            helperText="The result of wrap, or paste a ciphertext made earlier to unwrap or rewrap it."
            rows={4}
            value={ciphertext}
            onChange={(event) => {
              setCiphertext(event.target.value);
              setUnwrapped(null);
            }}
          />
          <CopyButton
            iconDescription="Copy ciphertext"
            feedback="Copied"
            disabled={noCiphertext}
            onClick={() => void navigator.clipboard?.writeText(ciphertext.trim())}
          />
        </div>

        {wrapped !== null && (
          <section className="wrap-panel__result" aria-label="Wrap result">
            <Stack gap={5}>
              <p className="wrap-panel__version-row">
                <span>
                  {wrapped.ciphertext === ciphertext ? "Wrapped with key version" : "The last wrap used key version"}{" "}
                  <code id="wrap-key-version" className="wrap-panel__version">
                    {wrapped.keyVersion}
                  </code>
                </span>
                <CopyButton
                  iconDescription="Copy key version"
                  feedback="Copied"
                  onClick={() => void navigator.clipboard?.writeText(wrapped.keyVersion)}
                />
              </p>
              <MaskedSecret
                key={`dek-${resultNumber}`}
                id="wrap-dek"
                name="DEK"
                label={wrapped.generated ? "Generated DEK" : "Pasted DEK"}
                value={wrapped.dek}
              />
              {saveVector !== undefined && (
                <SaveTestVector
                  key={wrapped.ciphertext}
                  defaultLabel={rootKeys.find((key) => key.id === wrapped.keyId)?.name ?? shortId(wrapped.keyId)}
                  onSave={saveVector}
                />
              )}
            </Stack>
          </section>
        )}

        {rewrapped !== null && (
          <p id="rewrap-versions" className="wrap-panel__note" aria-live="polite">
            Re-wrapped: version <code className="wrap-panel__version">{rewrapped.from}</code> →{" "}
            <code className="wrap-panel__version">{rewrapped.to}</code>
            {rewrapped.from === rewrapped.to ? " (already the newest version)" : ""}
          </p>
        )}

        {unwrapped !== null && (
          <section className="wrap-panel__result" aria-label="Unwrap result">
            <Stack gap={4}>
              <div className="wrap-panel__verdict" aria-live="polite">
                <span className="cds--label">{unwrapped.match === null ? "Result" : "Round trip"}</span>
                {unwrapped.match === null ? (
                  <Tag type="blue" size="md">
                    <span id="match-verdict">Unwrapped</span>
                  </Tag>
                ) : (
                  <Tag type={unwrapped.match ? "green" : "red"} size="md">
                    <span id="match-verdict">{unwrapped.match ? "Match" : "Mismatch"}</span>
                  </Tag>
                )}
              </div>
              <p>
                It had been wrapped with key version{" "}
                <code id="unwrap-key-version" className="wrap-panel__version">
                  {unwrapped.keyVersion}
                </code>
              </p>
              {unwrapped.rewrappedVersion !== undefined && (
                <p id="unwrap-rewrapped">
                  The key was rotated since; re-wrapped with version{" "}
                  <code className="wrap-panel__version">{unwrapped.rewrappedVersion}</code>.
                </p>
              )}
              <UnwrappedPlaintext key={`plaintext-${resultNumber}`} value={unwrapped.plaintext} />
            </Stack>
          </section>
        )}

        {keyId !== "" && (
          <Accordion align="start" size="sm">
            <AccordionItem title="The same calls from code (curl)" className="wrap-panel__curl">
              <p className="wrap-panel__note">
                Set <code>TOKEN</code> (from the IAM token endpoint) and <code>DEK</code> first, and{" "}
                <code>KMS_URL</code> and <code>INSTANCE_ID</code> where the snippet reads them; the DEK never appears in
                the snippet.
              </p>
              <CodeSnippet type="multi" feedback="Copied" wrapText>
                {envelopeCurl(keyId, aadValues, ciphertext.trim(), curlTarget)}
              </CodeSnippet>
            </AccordionItem>
          </Accordion>
        )}
      </Stack>
    </Tile>
  );
}
