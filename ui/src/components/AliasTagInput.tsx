import { DismissibleTag, TextInput } from "@carbon/react";
import { useRef, type KeyboardEvent, type ReactNode } from "react";

interface Props {
  id: string;
  labelText: string;
  helperText?: ReactNode;
  /** Committed, shown as tags. */
  values: readonly string[];
  /** Typed but not yet committed. */
  draft: string;
  /** The most values there may be, for the "n of max" counter. */
  max: number;
  /** A sentence for the first rule `value` breaks, given the values before it; undefined when fine. */
  check: (value: string, existing: readonly string[]) => string | undefined;
  onChange: (values: string[], draft: string) => void;
  /** Shown under the field when set; the parent decides when a problem is worth showing. */
  invalidText?: string | undefined;
  /** After the field loses focus, or when Enter could not commit the typed text. */
  onTouched?: () => void;
  disabled?: boolean;
}

const TOKEN = /[^\s,]+/g;

/**
 * Commits the tokens of `text` that are finished (followed by a comma or space, or all of them
 * when `all`), one by one, until one breaks a rule; that one and what follows stay typed.
 */
function take(values: readonly string[], text: string, check: Props["check"], all: boolean) {
  const next = [...values];
  for (const match of text.matchAll(TOKEN)) {
    const finished = all || match.index + match[0].length < text.length;
    if (!finished) return { values: next, draft: text.slice(match.index), refused: false };
    if (check(match[0], next) !== undefined) return { values: next, draft: text.slice(match.index), refused: true };
    next.push(match[0]);
  }
  return { values: next, draft: "", refused: false };
}

/**
 * A text field that turns what is typed into dismissible tags: Enter, a comma or a space commits
 * the typed value, and so does leaving the field. A value that breaks a rule stays in the field,
 * for the person to fix, with the parent's `invalidText`.
 */
export function AliasTagInput({
  id,
  labelText,
  helperText,
  values,
  draft,
  max,
  check,
  onChange,
  invalidText,
  onTouched,
  disabled = false,
}: Props) {
  const input = useRef<HTMLInputElement>(null);

  const commit = (text: string, all: boolean) => {
    const result = take(values, text, check, all);
    onChange(result.values, result.draft);
    return result;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    // With nothing typed, Enter submits the form as usual.
    if (event.key !== "Enter" || draft.trim() === "") return;
    event.preventDefault();
    if (commit(draft, true).refused) onTouched?.();
  };

  const remove = (value: string) => {
    onChange(
      values.filter((existing) => existing !== value),
      draft,
    );
    // The tag's button goes away with it; the field is where the person was working.
    input.current?.focus();
  };

  return (
    <div className="alias-tags">
      <TextInput
        ref={input}
        id={id}
        labelText={labelText}
        helperText={helperText}
        value={draft}
        autoComplete="off"
        disabled={disabled}
        invalid={invalidText !== undefined}
        invalidText={invalidText}
        onChange={(event) => void commit(event.target.value, false)}
        onKeyDown={onKeyDown}
        onBlur={() => {
          if (draft.trim() !== "") commit(draft, true);
          onTouched?.();
        }}
      />
      {values.length > 0 && (
        <div className="alias-tags__list" role="group" aria-label={`${labelText}: added`}>
          {values.map((value) => (
            <DismissibleTag
              key={value}
              size="md"
              type="gray"
              text={value}
              title={`Remove ${value}`}
              dismissTooltipLabel={`Remove ${value}`}
              disabled={disabled}
              onClose={() => remove(value)}
            />
          ))}
        </div>
      )}
      <p id={`${id}-count`} className="alias-tags__count" aria-live="polite">
        {values.length} of {max}
      </p>
    </div>
  );
}
