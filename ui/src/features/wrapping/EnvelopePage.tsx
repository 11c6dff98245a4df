import { TestWrapPanel } from "./TestWrapPanel";

interface Props {
  refreshToken: number;
  onChanged: () => void;
}

export function EnvelopePage({ refreshToken, onChanged }: Props) {
  return (
    <div className="app-page app-page--narrow">
      <header className="app-page__header">
        <h1 className="app-page__title">Envelope encryption</h1>
        <p className="app-page__intro">
          Wrap a data encryption key (DEK) with a root key, unwrap it to check the round trip, and rewrap it after a
          rotation. Nothing here is stored.
        </p>
      </header>
      <TestWrapPanel refreshToken={refreshToken} onChanged={onChanged} />
    </div>
  );
}
