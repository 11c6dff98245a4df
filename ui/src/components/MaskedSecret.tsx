import { Button } from "@carbon/react";
import { View, ViewOff } from "@carbon/icons-react";
import { useState } from "react";
import { byteLength } from "../lib/base64";

interface Props {
  /** Id of the element that shows the value (masked or not). */
  id: string;
  /** What the secret is, e.g. "DEK"; used in the label and the toggle. */
  name: string;
  label?: string;
  value: string;
}

/** Key material stays masked until the person explicitly asks to see it. */
export function MaskedSecret({ id, name, label = name, value }: Props) {
  const [shown, setShown] = useState(false);
  const bytes = byteLength(value);
  const masked = `•••• ${bytes === null ? "?" : bytes} bytes`;

  return (
    <div className="masked-secret">
      <span className="cds--label">{label}</span>
      <div className="masked-secret__row">
        <code id={id} className="masked-secret__value" data-masked={!shown}>
          {shown ? value : masked}
        </code>
        <Button
          kind="ghost"
          size="sm"
          renderIcon={shown ? ViewOff : View}
          aria-controls={id}
          onClick={() => setShown((s) => !s)}
        >
          {shown ? `Hide ${name}` : `Show ${name}`}
        </Button>
      </div>
    </div>
  );
}
