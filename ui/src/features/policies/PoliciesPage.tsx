import {
  Button,
  ButtonSet,
  Checkbox,
  CodeSnippet,
  InlineNotification,
  NumberInput,
  SkeletonText,
  Tile,
  Toggle,
} from "@carbon/react";
import { useCallback, useState } from "react";
import { CurlSnippet } from "../../components/CurlSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, useAccess } from "../../lib/access";
import { toBackendError, useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import type { CurlTarget } from "../../lib/curl";
import { formatTimestamp } from "../../lib/format";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import { useRequest } from "../../lib/hooks/useRequest";
import type { InstancePolicy } from "../../lib/types";
import { savePolicyCurl } from "./curl";

/** The instance policies that change what Strongroom does (Key Protect knows more types). */
type Editable = "dualAuthDelete" | "rotation" | "keyCreateImportAccess";

/** keyCreateImportAccess's switches, in Key Protect's names, with its defaults. */
const SWITCHES = [
  { name: "create_root_key", label: "Generate root keys", open: true },
  { name: "create_standard_key", label: "Generate standard keys", open: true },
  { name: "import_root_key", label: "Import root keys", open: true },
  { name: "import_standard_key", label: "Import standard keys", open: true },
  { name: "enforce_token", label: "Imports must use an import token (secure import only)", open: false },
] as const;

type Switch = (typeof SWITCHES)[number]["name"];

interface Draft {
  enabled: boolean;
  months: number;
  switches: Record<Switch, boolean>;
}

const MONTHS_MIN = 1;
const MONTHS_MAX = 12;

function draftOf(policy: InstancePolicy | undefined): Draft {
  const attributes = policy?.attributes;
  const months = attributes?.interval_month;
  const switches = Object.fromEntries(
    SWITCHES.map(({ name, open }) => {
      const value = attributes?.[name];
      return [name, typeof value === "boolean" ? value : open];
    }),
  ) as Record<Switch, boolean>;
  return { enabled: policy?.enabled ?? false, months: typeof months === "number" ? months : 3, switches };
}

/** What goes over the wire, and into the JSON view: Key Protect's instance policy shape. */
function policyOf(type: Editable, draft: Draft): InstancePolicy {
  if (type === "rotation" && draft.enabled) {
    return { policyType: type, enabled: true, attributes: { interval_month: draft.months } };
  }
  if (type === "keyCreateImportAccess" && draft.enabled) {
    return { policyType: type, enabled: true, attributes: { ...draft.switches } };
  }
  return { policyType: type, enabled: draft.enabled };
}

interface CardProps {
  type: Editable;
  title: string;
  description: string;
  current: InstancePolicy | undefined;
  onSaved: () => void;
  curlTarget: CurlTarget;
}

function PolicyCard({ type, title, description, current, onSaved, curlTarget }: CardProps) {
  const backend = useBackend();
  const notify = useNotify();
  const can = useAccess();
  const saved = draftOf(current);
  const [draft, setDraft] = useState<Draft>(saved);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const monthsInvalid = !Number.isInteger(draft.months) || draft.months < MONTHS_MIN || draft.months > MONTHS_MAX;
  const changed =
    draft.enabled !== saved.enabled ||
    (type === "rotation" && draft.enabled && draft.months !== saved.months) ||
    (type === "keyCreateImportAccess" && draft.enabled && SWITCHES.some(({ name }) => draft.switches[name] !== saved.switches[name]));

  const save = async () => {
    setBusy(true);
    setFailure(null);
    try {
      await backend.setInstancePolicies([policyOf(type, draft)]);
      notify({ kind: "success", title: `${title}: saved` });
      onSaved();
    } catch (thrown) {
      setFailure(describe(toBackendError(thrown)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Tile className="policy-card" id={`policy-${type}`}>
      <h2 className="policy-card__title">{title}</h2>
      <p className="policy-card__description">{description}</p>
      <Toggle
        id={`policy-${type}-toggle`}
        labelText={title}
        hideLabel
        labelA="Off"
        labelB="On"
        toggled={draft.enabled}
        disabled={busy}
        onToggle={(enabled) => setDraft((d) => ({ ...d, enabled }))}
      />
      {type === "rotation" && draft.enabled && (
        <NumberInput
          id="policy-rotation-months"
          label="Rotate every (months)"
          min={MONTHS_MIN}
          max={MONTHS_MAX}
          value={draft.months}
          invalid={monthsInvalid}
          invalidText={`From ${MONTHS_MIN} to ${MONTHS_MAX} months.`}
          disabled={busy}
          onChange={(_event, { value }) => setDraft((d) => ({ ...d, months: Number(value) }))}
        />
      )}
      {type === "keyCreateImportAccess" && draft.enabled && (
        <fieldset className="policy-card__switches">
          <legend className="cds--label">Allowed on this instance</legend>
          {SWITCHES.map(({ name, label }) => (
            <Checkbox
              key={name}
              id={`policy-keyCreateImportAccess-${name}`}
              labelText={label}
              checked={draft.switches[name]}
              disabled={busy}
              onChange={(_event, { checked }) =>
                setDraft((d) => ({ ...d, switches: { ...d.switches, [name]: checked } }))
              }
            />
          ))}
        </fieldset>
      )}
      <p className="policy-card__changed" data-policy-changed>
        {current?.updatedAt !== undefined
          ? `Last changed by ${current.updatedBy ?? "someone"} on ${formatTimestamp(current.updatedAt)}.`
          : "Never changed on this instance."}
      </p>
      <CodeSnippet type="multi" feedback="Copied" className="policy-card__json">
        {JSON.stringify(policyOf(type, draft), null, 2)}
      </CodeSnippet>
      <CurlSnippet id={`policy-${type}-curl`} snippet={savePolicyCurl(policyOf(type, draft), curlTarget)} />
      {failure !== null && (
        <InlineNotification
          kind="error"
          role="alert"
          title="Not saved"
          subtitle={failure}
          lowContrast
          onClose={() => setFailure(null)}
        />
      )}
      <ButtonSet className="policy-card__buttons">
        <Button kind="secondary" size="md" disabled={!changed || busy} onClick={() => setDraft(saved)}>
          Cancel
        </Button>
        <GuardedButton
          id={`policy-${type}-save`}
          access={can(ACTIONS.writePolicies)}
          kind="primary"
          size="md"
          disabled={!changed || busy || (type === "rotation" && draft.enabled && monthsInvalid)}
          onClick={() => void save()}
        >
          {busy ? "Saving…" : "Save"}
        </GuardedButton>
      </ButtonSet>
    </Tile>
  );
}

export function PoliciesPage({ refreshToken }: { refreshToken: number }) {
  const backend = useBackend();
  const curlTarget = useCurlTarget();
  const [saves, setSaves] = useState(0);
  const load = useCallback(() => backend.instancePolicies(), [backend]);
  const policies = useRequest(load, refreshToken + saves);
  const find = (type: Editable) => policies.data?.find((p) => p.policyType === type);

  return (
    <div className="app-page policies" aria-busy={policies.loading}>
      <header className="app-page__header">
        <h1 className="app-page__title">Policies</h1>
        <p className="app-page__intro">
          Instance policies apply to keys created from now on; a key keeps the settings it was created with, and its own
          policies can be changed in its details.
        </p>
      </header>
      {policies.error !== undefined ? (
        <InlineNotification
          id="policies-error"
          kind="error"
          title="The policies could not be loaded"
          subtitle={describe(policies.error)}
          lowContrast
          hideCloseButton
        />
      ) : policies.data === undefined ? (
        <SkeletonText paragraph lineCount={6} />
      ) : (
        <div className="policies__grid">
          {/* Keyed by the saved state: after a save the card starts from what the keystore holds. */}
          <PolicyCard
            key={`dual-${find("dualAuthDelete")?.updatedAt ?? ""}`}
            type="dualAuthDelete"
            title="Dual authorization to delete"
            description="New keys need two people to delete them: one authorizes, another deletes. Once a key has it, it cannot be removed from that key."
            current={find("dualAuthDelete")}
            onSaved={() => setSaves((n) => n + 1)}
            curlTarget={curlTarget}
          />
          <PolicyCard
            key={`rotation-${find("rotation")?.updatedAt ?? ""}`}
            type="rotation"
            title="Default rotation"
            description="New root keys get a rotation policy with this interval, shown and changeable in each key's details."
            current={find("rotation")}
            onSaved={() => setSaves((n) => n + 1)}
            curlTarget={curlTarget}
          />
          <PolicyCard
            key={`create-import-${find("keyCreateImportAccess")?.updatedAt ?? ""}`}
            type="keyCreateImportAccess"
            title="Create and import access"
            description="Which ways a new key may enter this instance. Existing keys, and wrap and unwrap, are never affected; requiring an import token also applies when an imported key is rotated."
            current={find("keyCreateImportAccess")}
            onSaved={() => setSaves((n) => n + 1)}
            curlTarget={curlTarget}
          />
        </div>
      )}
    </div>
  );
}
