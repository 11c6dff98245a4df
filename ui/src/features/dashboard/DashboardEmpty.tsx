import { Link, Tile } from "@carbon/react";
import { Add } from "@carbon/icons-react";
import { useState } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, useAccess } from "../../lib/access";
import type { KeyInfo } from "../../lib/types";
import { CreateKeyModal } from "../keys/CreateKeyModal";
import { ImportKeyButton } from "../keys/ImportKeyButton";
import { ImportRootKeyModal } from "../keys/ImportRootKeyModal";
import type { Page } from "../shell/pages";

interface Props {
  onNavigate: (page: Page) => void;
}

/**
 * The dashboard of a keystore with no keys: add the first root key or import one, right here,
 * then go to the key table that now lists it.
 */
export function DashboardEmpty({ onNavigate }: Props) {
  const can = useAccess();
  const notify = useNotify();
  const [dialog, setDialog] = useState<"create" | "import" | null>(null);

  const added = (key: KeyInfo, verb: "created" | "imported") => {
    setDialog(null);
    notify({ kind: "success", title: `Key ${key.name} ${verb}` });
    onNavigate("keys");
  };

  return (
    <Tile id="dashboard-empty" className="dashboard__empty">
      <h2 className="dashboard__tile-title">Create your first root key</h2>
      <p className="dashboard__muted">
        Create a root key to start wrapping data encryption keys, or import key material you already have.
      </p>
      <div className="dashboard__empty-actions">
        <GuardedButton
          id="dashboard-add-key"
          renderIcon={Add}
          access={can(ACTIONS.createKey, { keyRing: "default" })}
          onClick={() => setDialog("create")}
        >
          Add key
        </GuardedButton>
        <ImportKeyButton onClick={() => setDialog("import")} />
      </div>
      <p className="dashboard__muted">
        Keys you add are listed on the{" "}
        <Link
          id="dashboard-go-keys"
          href="#keys"
          onClick={(event) => {
            event.preventDefault();
            onNavigate("keys");
          }}
        >
          Keys page
        </Link>
        .
      </p>
      {dialog === "create" && <CreateKeyModal onClose={() => setDialog(null)} onCreated={(key) => added(key, "created")} />}
      {dialog === "import" && (
        <ImportRootKeyModal onClose={() => setDialog(null)} onImported={(key) => added(key, "imported")} />
      )}
    </Tile>
  );
}
