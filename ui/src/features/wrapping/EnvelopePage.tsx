import { useState } from "react";
import { useNotify } from "../../components/notifications";
import { InspectCiphertext } from "./InspectCiphertext";
import { TestVectorsTable } from "./TestVectorsTable";
import { TestWrapPanel } from "./TestWrapPanel";
import type { TestVector } from "./testVectors";
import { useTestVectors } from "./useTestVectors";

interface Props {
  refreshToken: number;
  onChanged: () => void;
  /** Preselects this root key in the panel. */
  keyId?: string;
  /**
   * The active connection profile, whose test vectors the page lists: `null` where the console
   * has no profiles (one list), `undefined` while the desktop is still finding out.
   */
  profileId: string | null | undefined;
}

export function EnvelopePage({ refreshToken, onChanged, keyId, profileId }: Props) {
  const notify = useNotify();
  const testVectors = useTestVectors(profileId);
  // A loaded vector restarts the panel with its key, ciphertext and AAD.
  const [loaded, setLoaded] = useState<{ vector: TestVector; count: number } | null>(null);
  const initialKeyId = loaded?.vector.keyId ?? keyId;

  const load = (vector: TestVector) => {
    setLoaded((current) => ({ vector, count: (current?.count ?? 0) + 1 }));
    document.getElementById("wrap-panel")?.scrollIntoView({ block: "start" });
    notify({ kind: "info", title: `Test vector ${vector.label} loaded`, subtitle: "Choose Unwrap to check that it still opens." });
  };
  const remove = (vector: TestVector) => {
    testVectors.remove(vector.id);
    notify({ kind: "success", title: `Test vector ${vector.label} deleted` });
  };

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
        key={loaded?.count ?? 0}
        refreshToken={refreshToken}
        onChanged={onChanged}
        {...(initialKeyId === undefined ? {} : { initialKeyId })}
        {...(loaded === null ? {} : { initialCiphertext: loaded.vector.ciphertext, initialAad: loaded.vector.aad })}
        {...(testVectors.available ? { onSaveVector: testVectors.save } : {})}
      />
      {testVectors.available && (
        <TestVectorsTable vectors={testVectors.vectors} ignored={testVectors.ignored} onLoad={load} onDelete={remove} />
      )}
      <InspectCiphertext />
    </div>
  );
}
