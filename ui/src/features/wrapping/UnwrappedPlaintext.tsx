import { Button, ContentSwitcher, Switch } from "@carbon/react";
import { View, ViewOff } from "@carbon/icons-react";
import { useState } from "react";
import { byteLength } from "../../lib/base64";
import { plaintextIn, VIEW_LABELS, viewsOf, type PlaintextView } from "./plaintextViews";

/**
 * The unwrapped DEK, masked until asked for, then readable as base64, hex or (when its bytes
 * are valid UTF-8) text.
 */
export function UnwrappedPlaintext({ value }: { value: string }) {
  const [shown, setShown] = useState(false);
  const [view, setView] = useState<PlaintextView>("base64");
  const views = viewsOf(value);
  const bytes = byteLength(value);
  const masked = `•••• ${bytes === null ? "?" : bytes} bytes`;

  return (
    <div className="masked-secret">
      <span className="cds--label">Unwrapped DEK</span>
      <div className="masked-secret__row">
        <code id="unwrap-plaintext" className="masked-secret__value" data-masked={!shown} data-view={view}>
          {shown ? (plaintextIn(value, view) ?? value) : masked}
        </code>
        <Button
          kind="ghost"
          size="sm"
          renderIcon={shown ? ViewOff : View}
          aria-controls="unwrap-plaintext"
          onClick={() => setShown((s) => !s)}
        >
          {shown ? "Hide unwrapped DEK" : "Show unwrapped DEK"}
        </Button>
      </div>
      {shown && views.length > 1 && (
        <ContentSwitcher
          id="unwrap-plaintext-view"
          className="wrap-panel__plaintext-view"
          size="sm"
          aria-label="Show the unwrapped DEK as"
          selectedIndex={views.indexOf(view)}
          onChange={({ index }) => setView(views[index ?? 0] ?? "base64")}
        >
          {views.map((name) => (
            <Switch key={name} name={name} text={VIEW_LABELS[name]} />
          ))}
        </ContentSwitcher>
      )}
    </div>
  );
}
