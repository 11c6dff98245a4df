import { InlineLoading, Select, SelectItem, Tag, TextInput } from "@carbon/react";
import { useCallback, useState, type FormEvent } from "react";
import { CliSnippet } from "../../components/CliSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, useAccess } from "../../lib/access";
import { toBackendError, useBackend } from "../../lib/backend";
import { keyActionCommand, type KeyAction } from "../../lib/cli";
import { describe } from "../../lib/errors";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo } from "../../lib/types";
import { ALIASES_PER_KEY, aliasProblem } from "./aliasRules";

interface Props {
  keyInfo: KeyInfo;
  onChanged: () => void;
}

/** How many of the 5 aliases a key may have it has, and what to do once it has them all. */
function AliasCount({ count }: { count: number }) {
  const full = count >= ALIASES_PER_KEY;
  return (
    <p className="key-details__note">
      Aliases{" "}
      <span id="key-details-alias-count" data-full={full} title={`${count} of at most ${ALIASES_PER_KEY} aliases`}>
        {count} / {ALIASES_PER_KEY}
      </span>
      {full && ` — the most a key can have. Remove one to add another.`}
    </p>
  );
}

/** Where the key lives (its key ring) and the other names it answers to (its aliases). */
export function KeyPlacement({ keyInfo, onChanged }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const loadRings = useCallback(() => backend.keyRings(), [backend]);
  const rings = useRequest(loadRings);
  const [ring, setRing] = useState(keyInfo.keyRing);
  const [alias, setAlias] = useState("");
  const [aliasTouched, setAliasTouched] = useState(false);
  const [busy, setBusy] = useState<string | null>(null);
  /** The last change made here, for "Copy as CLI" while no other is being prepared. */
  const [lastChange, setLastChange] = useState<KeyAction | null>(null);
  const editable = keyInfo.state !== "destroyed";
  const can = useAccess();
  const target = { keyId: keyInfo.id, keyRing: keyInfo.keyRing };
  const mayMove = can(ACTIONS.move, target);
  const mayAddAlias = can(ACTIONS.createAlias, target);
  const mayRemoveAlias = can(ACTIONS.deleteAlias, target);

  const run = async (what: string, change: KeyAction, success: string, failure: string, call: () => Promise<unknown>) => {
    setBusy(what);
    try {
      await call();
      notify({ kind: "success", title: success });
      setLastChange(change);
      onChanged();
      return true;
    } catch (thrown) {
      notify({ kind: "error", title: failure, subtitle: describe(toBackendError(thrown)) });
      return false;
    } finally {
      setBusy(null);
    }
  };

  const problem = aliasProblem(alias.trim(), keyInfo.aliases);
  const addAlias = async (event: FormEvent) => {
    event.preventDefault();
    setAliasTouched(true);
    if (problem !== undefined || !mayAddAlias.allowed) return;
    const name = alias.trim();
    const added = await run("alias", { action: "add-alias", keyId: keyInfo.id, alias: name }, `Alias ${name} added`, `Could not add alias ${name}`, () =>
      backend.createAlias(keyInfo.id, name),
    );
    if (added) {
      setAlias("");
      setAliasTouched(false);
    }
  };

  // The change being prepared (a ring chosen, a valid alias typed), else the last one made.
  const shown: KeyAction | null =
    ring !== keyInfo.keyRing
      ? { action: "move", keyId: keyInfo.id, keyRing: ring }
      : alias.trim() !== "" && problem === undefined
        ? { action: "add-alias", keyId: keyInfo.id, alias: alias.trim() }
        : lastChange;

  const ringIds = rings.data?.map((item) => item.id) ?? [keyInfo.keyRing];
  if (!ringIds.includes(keyInfo.keyRing)) ringIds.unshift(keyInfo.keyRing);

  return (
    <section aria-labelledby="key-details-placement-title" className="key-details__section">
      <h3 tabIndex={-1} id="key-details-placement-title" className="key-details__subtitle">
        Key ring and aliases
      </h3>
      <div className="key-details__row">
        <Select
          id="key-details-ring"
          labelText="Key ring"
          size="sm"
          value={ring}
          disabled={!editable || rings.data === undefined || busy !== null}
          onChange={(event) => setRing(event.target.value)}
        >
          {ringIds.map((id) => (
            <SelectItem key={id} value={id} text={id} />
          ))}
        </Select>
        <GuardedButton
          access={mayMove}
          id="key-details-move"
          kind="tertiary"
          size="sm"
          disabled={ring === keyInfo.keyRing || busy !== null}
          onClick={() =>
            void run("move", { action: "move", keyId: keyInfo.id, keyRing: ring }, `Key ${keyInfo.name} moved to ${ring}`, `Could not move key ${keyInfo.name}`, () =>
              backend.moveKey(keyInfo.id, ring),
            )
          }
        >
          {busy === "move" ? <InlineLoading description="Moving…" /> : "Move"}
        </GuardedButton>
      </div>
      <AliasCount count={keyInfo.aliases.length} />
      <div className="key-details__aliases" id="key-details-aliases" aria-label="Aliases">
        {keyInfo.aliases.length === 0 && <span className="key-details__note">No aliases.</span>}
        {keyInfo.aliases.map((name) => (
          <Tag
            key={name}
            data-alias={name}
            size="sm"
            type="cool-gray"
            filter={editable}
            // Carbon gives the title to the remove button: the reason when the role is missing.
            title={mayRemoveAlias.allowed ? `Remove alias ${name}` : mayRemoveAlias.reason}
            disabled={busy !== null || !mayRemoveAlias.allowed}
            onClose={() =>
              void run("alias", { action: "remove-alias", keyId: keyInfo.id, alias: name }, `Alias ${name} removed`, `Could not remove alias ${name}`, () =>
                backend.deleteAlias(keyInfo.id, name),
              )
            }
          >
            {name}
          </Tag>
        ))}
      </div>
      {editable && keyInfo.aliases.length < ALIASES_PER_KEY && (
        <form className="key-details__row" noValidate onSubmit={(event) => void addAlias(event)}>
          <TextInput
            id="key-details-alias"
            labelText="New alias"
            size="sm"
            helperText="2 to 90 characters: letters, digits, - and _. Usable in place of the key id."
            value={alias}
            invalid={aliasTouched && alias !== "" && problem !== undefined}
            invalidText={problem}
            onChange={(event) => {
              setAlias(event.target.value);
              setAliasTouched(true);
            }}
          />
          <GuardedButton
            access={mayAddAlias}
            id="key-details-alias-add"
            kind="tertiary"
            size="sm"
            type="submit"
            disabled={busy !== null}
          >
            {busy === "alias" ? <InlineLoading description="Saving…" /> : "Add alias"}
          </GuardedButton>
        </form>
      )}
      {shown !== null && (
        <CliSnippet id="key-details-placement-cli" command={(target) => keyActionCommand(shown, target)} />
      )}
    </section>
  );
}
