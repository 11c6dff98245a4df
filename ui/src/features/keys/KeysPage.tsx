import { KeyTable } from "./KeyTable";

interface Props {
  refreshToken: number;
  onChanged: () => void;
}

export function KeysPage({ refreshToken, onChanged }: Props) {
  return (
    <div className="app-page">
      <KeyTable refreshToken={refreshToken} onChanged={onChanged} />
    </div>
  );
}
