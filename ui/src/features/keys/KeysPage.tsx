import { FolderAdd } from "@carbon/icons-react";
import { useState } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, useAccess } from "../../lib/access";
import type { KeyInfo } from "../../lib/types";
import { CreateKeyRingDialog } from "../keyRings/CreateKeyRingDialog";
import { ImportKeyButton } from "./ImportKeyButton";
import { ImportRootKeyModal } from "./ImportRootKeyModal";
import { KeyDetailsPanel } from "./KeyDetailsPanel";
import { KeyTable } from "./KeyTable";

interface Props {
  refreshToken: number;
  /** The key ring the table starts filtered to, e.g. from the Key rings page's "View keys". */
  keyRing?: string;
  onChanged: () => void;
  /** Opens the envelope encryption page with this root key chosen. */
  onOpenEnvelope?: (key: KeyInfo) => void;
  /** Opens the key's own page; the details panel offers it when given. */
  onOpenPage?: (key: KeyInfo) => void;
}

export function KeysPage({ refreshToken, keyRing, onChanged, onOpenEnvelope, onOpenPage }: Props) {
  const notify = useNotify();
  const can = useAccess();
  const [openKeyId, setOpenKeyId] = useState<string | null>(null);
  const [importing, setImporting] = useState(false);
  const [creatingRing, setCreatingRing] = useState(false);

  const imported = (key: KeyInfo) => {
    setImporting(false);
    notify({ kind: "success", title: `Key ${key.name} imported` });
    onChanged();
    setOpenKeyId(key.id);
  };

  return (
    // The details panel lays over the table's right side, so opening it moves nothing.
    <div className="app-page">
      <KeyTable
        refreshToken={refreshToken}
        {...(keyRing === undefined ? {} : { initialKeyRing: keyRing })}
        onChanged={onChanged}
        onOpen={(key) => setOpenKeyId(key.id)}
        openKeyId={openKeyId ?? undefined}
        toolbarActions={
          <>
            <GuardedButton
              access={can(ACTIONS.createKeyRing)}
              id="create-key-ring-button"
              kind="ghost"
              renderIcon={FolderAdd}
              hasIconOnly
              iconDescription="Create key ring"
              tooltipPosition="bottom"
              onClick={() => setCreatingRing(true)}
            />
            <ImportKeyButton onClick={() => setImporting(true)} />
          </>
        }
      />
      {openKeyId !== null && (
        <KeyDetailsPanel
          keyId={openKeyId}
          refreshToken={refreshToken}
          onChanged={onChanged}
          onClose={() => setOpenKeyId(null)}
          {...(onOpenEnvelope === undefined ? {} : { onOpenEnvelope })}
          {...(onOpenPage === undefined ? {} : { onOpenPage })}
        />
      )}
      {creatingRing && (
        <CreateKeyRingDialog
          onClose={() => setCreatingRing(false)}
          onCreated={(ring) => {
            setCreatingRing(false);
            notify({ kind: "success", title: `Key ring ${ring.id} created` });
            onChanged();
          }}
        />
      )}
      {importing && <ImportRootKeyModal onClose={() => setImporting(false)} onImported={imported} />}
    </div>
  );
}
