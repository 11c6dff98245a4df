import { InspectCiphertext } from "./InspectCiphertext";
import { TestWrapPanel } from "./TestWrapPanel";

interface Props {
  refreshToken: number;
  onChanged: () => void;
  /** Preselects this root key in the panel. */
  keyId?: string;
}

export function EnvelopePage({ refreshToken, onChanged, keyId }: Props) {
  return (
    <div className="app-page app-page--narrow">
      <header className="app-page__header">
        <h1 className="app-page__title">Envelope encryption</h1>
        <p className="app-page__intro">
          Services encrypt their data with a data encryption key (DEK) and store the DEK only wrapped by a root key that
          never leaves the keystore. Try the calls they make: wrap, unwrap, and rewrap after a rotation.
        </p>
      </header>
      <TestWrapPanel
        refreshToken={refreshToken}
        onChanged={onChanged}
        {...(keyId === undefined ? {} : { initialKeyId: keyId })}
      />
      <InspectCiphertext />
    </div>
  );
}
