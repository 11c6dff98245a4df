import { FormGroup, TextInput } from "@carbon/react";
import { formatDuration } from "../lib/format";
import { tokenProblems, wholeNumber, type ImportTokenDraft } from "./importTokenOptions";

interface Props {
  draft: ImportTokenDraft;
  onChange: (draft: ImportTokenDraft) => void;
  /** Also flag empty fields (after a submit attempt); typed values are checked as they are typed. */
  showProblems: boolean;
  disabled?: boolean;
}

function lifetimeHelper(text: string): string {
  const seconds = wholeNumber(text);
  const spelled = seconds === undefined || seconds === 0 ? "" : ` (${formatDuration(seconds * 1000)})`;
  return `Seconds until the token expires${spelled}; 300 to 86,400, 600 by default.`;
}

/** The import token's lifetime and how often it may be retrieved, set before it is created. */
export function ImportTokenOptions({ draft, onChange, showProblems, disabled }: Props) {
  const problems = tokenProblems(draft);
  const shown = (field: keyof ImportTokenDraft) => (showProblems || draft[field].trim() !== "" ? problems[field] : undefined);
  return (
    <FormGroup legendText="Import token" className="import-token-options">
      <div className="import-token-options__fields">
        <TextInput
          id="import-key-token-lifetime"
          labelText="Expires after (seconds)"
          inputMode="numeric"
          autoComplete="off"
          value={draft.expiration}
          helperText={lifetimeHelper(draft.expiration)}
          disabled={disabled}
          invalid={shown("expiration") !== undefined}
          invalidText={shown("expiration")}
          onChange={(event) => onChange({ ...draft, expiration: event.target.value })}
        />
        <TextInput
          id="import-key-token-max-retrievals"
          labelText="Retrievals allowed"
          inputMode="numeric"
          autoComplete="off"
          value={draft.maxAllowedRetrievals}
          helperText="How often the token's public key may be fetched; 1 to 500, 1 by default. This import fetches it once."
          disabled={disabled}
          invalid={shown("maxAllowedRetrievals") !== undefined}
          invalidText={shown("maxAllowedRetrievals")}
          onChange={(event) => onChange({ ...draft, maxAllowedRetrievals: event.target.value })}
        />
      </div>
    </FormGroup>
  );
}
