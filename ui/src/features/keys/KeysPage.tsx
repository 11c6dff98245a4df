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
import type { KeyDetailsSection, SectionRequest } from "./sectionRules";

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
  // The key whose details are open, and the section the row menu asked for: a new request
  // object each time, so asking for the same section again focuses it again.
  const [opened, setOpened] = useState<{ keyId: string; focus?: SectionRequest } | null>(null);
  const open = (keyId: string, section?: KeyDetailsSection) =>
    setOpened(section === undefined ? { keyId } : { keyId, focus: { section } });
  const [importing, setImporting] = useState(false);
  const [creatingRing, setCreatingRing] = useState(false);

  const imported = (key: KeyInfo) => {
    setImporting(false);
    notify({ kind: "success", title: `Key ${key.name} imported` });
    onChanged();
    open(key.id);
  };

  const createRingButton = (
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
  );

  return (
    // The details panel lays over the table's right side, so opening it moves nothing.
    <div className="app-page">
      <KeyTable
        refreshToken={refreshToken}
        {...(keyRing === undefined ? {} : { initialKeyRing: keyRing })}
        onChanged={onChanged}
        onOpen={(key, section) => open(key.id, section)}
        {...(onOpenEnvelope === undefined ? {} : { onOpenEnvelope })}
        openKeyId={opened?.keyId}
        toolbarActions={
          <>
            {createRingButton}
            <ImportKeyButton compact onClick={() => setImporting(true)} />
          </>
        }
        emptyActions={
          <>
            {createRingButton}
            <ImportKeyButton onClick={() => setImporting(true)} />
          </>
        }
      />
      {opened !== null && (
        <KeyDetailsPanel
          keyId={opened.keyId}
          {...(opened.focus === undefined ? {} : { focus: opened.focus })}
          refreshToken={refreshToken}
          onChanged={onChanged}
          onClose={() => setOpened(null)}
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
