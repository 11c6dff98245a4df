import { ComboBox } from "@carbon/react";
import { useEffect, useRef, useState } from "react";
import { flushSync } from "react-dom";
import { shortId } from "../lib/format";
import type { KeyInfo } from "../lib/types";
import { keyReference, resolvedKey } from "./keyReference";
import { useKeySearch } from "./useKeySearch";

/** A found key, or text the person typed or pasted (Carbon hands custom values back as strings). */
type Choice = KeyInfo | string;

const choiceText = (choice: Choice | null): string =>
  choice === null ? "" : typeof choice === "string" ? choice : choice.name;

function KeyOption({ choice }: { choice: Choice }) {
  if (typeof choice === "string") return <span>{choice}</span>;
  return (
    <span className="key-picker__option" data-key-id={choice.id}>
      <span className="key-picker__name">{choice.name}</span>
      <span className="key-picker__meta">
        <code>{shortId(choice.id)}</code> · {choice.keyRing}
      </span>
    </span>
  );
}

function helperFor(text: string, loading: boolean, picked: KeyInfo | null, reference: string): string {
  if (picked !== null && reference === picked.id) return `Key ID ${picked.id}`;
  if (loading && text.trim() !== "") return "Searching keys…";
  return "Type to search by name, alias or ID; a pasted ID or alias is used as it is.";
}

interface Props {
  /** Also the id of the text box inside. */
  id: string;
  labelText: string;
  /** An id or alias the box starts with. */
  initialText?: string;
  /** The key id or alias to use, empty while the box names no key; with the key when the search found it. */
  onChange: (reference: string, key: KeyInfo | undefined) => void;
  invalid?: boolean;
  invalidText?: string;
  disabled?: boolean;
}

/**
 * Picks a key by searching the keystore as the person types (name, short id and key ring shown),
 * while still taking a pasted id or alias. A failed search is reported, never blocking.
 */
export function KeyPicker({ id, labelText, initialText = "", onChange, invalid, invalidText, disabled }: Props) {
  const [text, setText] = useState(initialText);
  const [picked, setPicked] = useState<KeyInfo | null>(null);
  const { keys, loading, error, settle } = useKeySearch(text);
  const reference = keyReference(text, keys, picked);
  const key = resolvedKey(reference, keys, picked);
  const releasing = useRef(false);
  // A second submit while one is held would send the form twice once the search answers.
  const holding = useRef(false);

  useEffect(() => onChange(reference, key), [onChange, reference, key]);

  // A name submitted before its search has answered would go out as the name, which the keystore
  // could take for an alias. Hold the enclosing form's submit, search now, hand the form the
  // resolved id, then submit again.
  useEffect(() => {
    const box = document.getElementById(id);
    const form = box instanceof HTMLInputElement ? box.form : null;
    if (form === null || !loading || text.trim() === "") return;
    const hold = (event: Event) => {
      if (releasing.current) return;
      event.preventDefault();
      event.stopPropagation();
      if (holding.current) return;
      holding.current = true;
      void settle().then((found) => {
        holding.current = false;
        const settled = keyReference(text, found, picked);
        // Synchronously, so the form's submit handler below reads the resolved id.
        flushSync(() => onChange(settled, resolvedKey(settled, found, picked)));
        releasing.current = true;
        try {
          if (form.isConnected) form.requestSubmit();
        } finally {
          releasing.current = false;
        }
      });
    };
    form.addEventListener("submit", hold);
    return () => form.removeEventListener("submit", hold);
  }, [id, loading, text, picked, settle, onChange]);

  return (
    <ComboBox<Choice>
      id={id}
      titleText={labelText}
      items={keys}
      itemToString={choiceText}
      itemToElement={(choice) => <KeyOption choice={choice} />}
      shouldFilterItem={() => true}
      allowCustomValue
      initialSelectedItem={initialText === "" ? undefined : initialText}
      placeholder="Name, alias or key ID"
      helperText={helperFor(text, loading, picked, reference)}
      invalid={invalid}
      invalidText={invalidText}
      warn={error !== undefined}
      warnText={`Keys could not be searched: ${error ?? ""} A pasted ID or alias still works.`}
      disabled={disabled}
      onInputChange={setText}
      onChange={({ selectedItem }) => {
        if (selectedItem === null || selectedItem === undefined || typeof selectedItem === "string") {
          setPicked(null);
        } else {
          setPicked(selectedItem);
          setText(selectedItem.name);
        }
      }}
    />
  );
}
