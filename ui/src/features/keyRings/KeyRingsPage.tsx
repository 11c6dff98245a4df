import {
  Checkbox,
  DataTableSkeleton,
  InlineNotification,
  OverflowMenu,
  OverflowMenuItem,
  ProgressBar,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  TableToolbar,
  TableToolbarContent,
} from "@carbon/react";
import { Add } from "@carbon/icons-react";
import { useCallback, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CurlSnippet } from "../../components/CurlSnippet";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, bothAllow, denied, deniedItemProps, useAccess, type Access } from "../../lib/access";
import { useBackend, type Backend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { ALL_STATES, formatNumber, formatTimestamp } from "../../lib/format";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo, KeyRingInfo, KeyStateName } from "../../lib/types";
import { CreateKeyModal } from "../keys/CreateKeyModal";
import { CreateKeyRingDialog } from "./CreateKeyRingDialog";
import { deleteKeyRingCurl } from "./curl";

const HEADERS = ["Key ring", "Keys", "Created", "Created by", ""];
/** Key Protect's limit per instance. */
export const MAX_KEY_RINGS = 50;

interface RingRow extends KeyRingInfo {
  /** Keys in the ring in any state, counted by the keystore. */
  keys: number;
  /** Of those, the keys not destroyed: while any remain the ring cannot be deleted. */
  liveKeys: number;
}

const LIVE_STATES = ALL_STATES.filter((state) => state !== "destroyed");

/** Keys in a ring, in these states, counted by the keystore with a `limit: 1` listing. */
const countIn = (backend: Backend, keyRing: string, states: KeyStateName[]) =>
  backend.listKeys({ offset: 0, limit: 1, states, keyRing }).then((list) => list.total);

/** One count per ring (at most 50), and a second for the live keys of rings that hold any. */
async function ringsWithCounts(backend: Backend): Promise<RingRow[]> {
  const rings = await backend.keyRings();
  return Promise.all(
    rings.map(async (ring) => {
      const keys = await countIn(backend, ring.id, ALL_STATES);
      const liveKeys = keys === 0 ? 0 : await countIn(backend, ring.id, LIVE_STATES);
      return { ...ring, keys, liveKeys };
    }),
  );
}

/** Deleting a ring is refused while it holds keys that are not destroyed. */
function ringDeletion(liveKeys: number): Access {
  if (liveKeys === 0) return { allowed: true };
  return denied(`Move or delete its ${formatNumber(liveKeys)} ${liveKeys === 1 ? "key" : "keys"} first.`);
}

interface Props {
  refreshToken: number;
  /** Opens the Keys page filtered to this ring; the row menu offers "View keys" when given. */
  onViewKeys?: (keyRing: string) => void;
}

export function KeyRingsPage({ refreshToken, onViewKeys }: Props) {
  const backend = useBackend();
  const can = useAccess();
  const curlTarget = useCurlTarget();
  const notify = useNotify();
  const [reload, setReload] = useState(0);
  const load = useCallback(() => ringsWithCounts(backend), [backend]);
  const { data, error, loading } = useRequest(load, refreshToken + reload);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<RingRow | null>(null);
  // The ring a new key goes to, while the create dialog is open (Key Protect's "Add new key").
  const [addingTo, setAddingTo] = useState<string | null>(null);
  const [force, setForce] = useState(false);
  const count = data?.length ?? 0;
  const full = count >= MAX_KEY_RINGS;

  const keyAdded = (key: KeyInfo) => {
    setAddingTo(null);
    notify({
      kind: "success",
      title: `Key ${key.name} created in key ring ${key.keyRing}`,
      ...(onViewKeys === undefined
        ? {}
        : { action: { label: "View keys", id: "toast-view-keys", onClick: () => onViewKeys(key.keyRing) } }),
    });
    setReload((n) => n + 1);
  };

  return (
    <div className="app-page" aria-busy={loading}>
      <header className="app-page__header">
        <h1 className="app-page__title">Key rings</h1>
        <p className="app-page__intro">
          Key rings group keys so that access can be granted per group. Every key is in one ring; new keys go to{" "}
          <code>default</code> unless another is chosen. An instance holds up to {MAX_KEY_RINGS} rings.
        </p>
      </header>
      {error !== undefined && (
        <InlineNotification
          id="key-rings-error"
          kind="error"
          title="Key rings could not be listed"
          subtitle={describe(error)}
          lowContrast
          hideCloseButton
        />
      )}
      {data !== undefined && (
        <div id="key-rings-limit" className="key-rings__limit" data-count={count}>
          {/* Carbon's bar as a meter: no helper text, whose hidden live region would announce "Loading". */}
          <ProgressBar label={`${count} of ${MAX_KEY_RINGS} key rings`} value={count} max={MAX_KEY_RINGS} size="small" />
          <p className="key-details__note">
            {full
              ? "The limit is reached: delete a ring before creating another."
              : `${MAX_KEY_RINGS - count} more can be created.`}
          </p>
        </div>
      )}
      {data === undefined && error === undefined ? (
        <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={3} showHeader={false} />
      ) : (
        <TableContainer id="key-rings-table" title="Key rings" description={`${count} of ${MAX_KEY_RINGS}`}>
          <TableToolbar aria-label="Key rings toolbar">
            <TableToolbarContent>
              <GuardedButton
                id="key-rings-create"
                renderIcon={Add}
                access={bothAllow(
                  full ? denied(`An instance holds at most ${MAX_KEY_RINGS} key rings.`) : { allowed: true },
                  can(ACTIONS.createKeyRing),
                )}
                onClick={() => setCreating(true)}
              >
                Create key ring
              </GuardedButton>
            </TableToolbarContent>
          </TableToolbar>
          <Table aria-label="Key rings">
            <TableHead>
              <TableRow>
                {HEADERS.map((header) => (
                  <TableHeader key={header}>
                    {header === "" ? <span className="cds--visually-hidden">Actions</span> : header}
                  </TableHeader>
                ))}
              </TableRow>
            </TableHead>
            <TableBody>
              {(data ?? []).map((ring) => (
                <TableRow key={ring.id} data-key-ring={ring.id}>
                  <TableCell>
                    <code>{ring.id}</code>
                  </TableCell>
                  <TableCell data-ring-keys>{formatNumber(ring.keys)}</TableCell>
                  <TableCell>
                    <time dateTime={ring.createdAt}>{formatTimestamp(ring.createdAt)}</time>
                  </TableCell>
                  <TableCell>{ring.createdBy === "" ? "— (with the instance)" : ring.createdBy}</TableCell>
                  <TableCell className="cds--table-column-menu">
                    <OverflowMenu
                      aria-label={`Actions for key ring ${ring.id}`}
                      iconDescription={`Actions for key ring ${ring.id}`}
                      size="sm"
                      flipped
                    >
                      {onViewKeys !== undefined && (
                        <OverflowMenuItem itemText="View keys" data-action="view-keys" onClick={() => onViewKeys(ring.id)} />
                      )}
                      <OverflowMenuItem
                        itemText="Add new key"
                        data-action="add-key"
                        {...deniedItemProps(can(ACTIONS.createKey, { keyRing: ring.id }))}
                        onClick={() => setAddingTo(ring.id)}
                      />
                      {ring.id !== "default" && (
                        <OverflowMenuItem
                          itemText="Delete"
                          data-action="delete-key-ring"
                          {...deniedItemProps(
                            bothAllow(ringDeletion(ring.liveKeys), can(ACTIONS.deleteKeyRing, { keyRing: ring.id })),
                          )}
                          isDelete
                          hasDivider
                          onClick={() => {
                            setForce(false);
                            setRemoving(ring);
                          }}
                        />
                      )}
                    </OverflowMenu>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {addingTo !== null && (
        <CreateKeyModal keyRing={addingTo} onClose={() => setAddingTo(null)} onCreated={keyAdded} />
      )}
      {creating && (
        <CreateKeyRingDialog
          onClose={() => setCreating(false)}
          onCreated={(ring) => {
            setCreating(false);
            notify({ kind: "success", title: `Key ring ${ring.id} created` });
            setReload((n) => n + 1);
          }}
        />
      )}
      {removing !== null && (
        <ConfirmDialog
          title={`Delete key ring ${removing.id}`}
          label="Key rings"
          primaryText="Delete"
          primaryId="delete-key-ring-confirm"
          busyText="Deleting…"
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await backend.deleteKeyRing(removing.id, force);
            setRemoving(null);
            notify({ kind: "success", title: `Key ring ${removing.id} deleted` });
            setReload((n) => n + 1);
          }}
        >
          <p>
            A ring can be deleted only when none of its keys is live. Destroyed keys block it too, unless you move them
            to <code>default</code> as part of the deletion.
          </p>
          <Checkbox
            id="delete-key-ring-force"
            labelText="Move this ring's destroyed keys to default"
            checked={force}
            onChange={(_event, { checked }) => setForce(checked)}
          />
          <CurlSnippet id="delete-key-ring-curl" snippet={deleteKeyRingCurl(removing.id, force, curlTarget)} />
        </ConfirmDialog>
      )}
    </div>
  );
}
