import { Button } from "@carbon/react";
import { FolderAdd, Upload } from "@carbon/icons-react";
import { useState } from "react";
import { useNotify } from "../../components/notifications";
import type { KeyInfo } from "../../lib/types";
import { CreateKeyRingDialog } from "../keyRings/CreateKeyRingDialog";
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
            <Button
              id="create-key-ring-button"
              kind="ghost"
              renderIcon={FolderAdd}
              hasIconOnly
              iconDescription="Create key ring"
              tooltipPosition="bottom"
              onClick={() => setCreatingRing(true)}
            />
            <Button id="import-key-button" kind="tertiary" renderIcon={Upload} onClick={() => setImporting(true)}>
              Import key
            </Button>
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
