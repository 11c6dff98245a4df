import {
  Button,
  DataTableSkeleton,
  InlineNotification,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  TableToolbar,
  TableToolbarContent,
  Tag,
} from "@carbon/react";
import { Add } from "@carbon/icons-react";
import { useCallback, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { useNotify } from "../../components/notifications";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useRequest } from "../../lib/hooks/useRequest";
import type { ConnectionProfile } from "../../lib/types";
import { ConnectionForm } from "./ConnectionForm";

const HEADERS = ["Name", "Where", "Instance", "API key", ""];

interface Props {
  refreshToken: number;
  /** The active connection's id. */
  activeId: string | undefined;
  /** Called after a change, so the header's switcher lists the same connections. */
  onChanged: () => void;
  onSwitch: (profile: ConnectionProfile) => void;
}

/** This computer's keystore and the remote instances the console can switch to. */
export function ConnectionsPage({ refreshToken, activeId, onChanged, onSwitch }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const load = useCallback(() => backend.connections(), [backend]);
  const { data, error } = useRequest(load, refreshToken);
  const [editing, setEditing] = useState<ConnectionProfile | "new" | null>(null);
  const [removing, setRemoving] = useState<ConnectionProfile | null>(null);

  return (
    <div className="app-page">
      <h1 className="app-page__title">Connections</h1>
      <p className="app-page__lead">
        Manage keys on this computer or on a remote Key Protect–compatible instance. API keys are kept in this
        computer&apos;s keyring and never shown again.
      </p>
      {error !== undefined && (
        <InlineNotification kind="error" title="Connections could not be listed" subtitle={describe(error)} lowContrast hideCloseButton />
      )}
      {data === undefined ? (
        error === undefined && (
          <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={2} showHeader={false} />
        )
      ) : (
        <TableContainer id="connections-table" title="Connections">
          <TableToolbar aria-label="Connections toolbar">
            <TableToolbarContent>
              <Button id="add-connection-button" renderIcon={Add} onClick={() => setEditing("new")}>
                Add remote
              </Button>
            </TableToolbarContent>
          </TableToolbar>
          <Table aria-label="Connections">
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
              {data.map((profile) => {
                const local = profile.mode === "embedded";
                const active = profile.id === activeId;
                return (
                  <TableRow key={profile.id} data-connection-id={profile.id}>
                    <TableCell>
                      {local ? "This computer" : profile.name}{" "}
                      {active && (
                        <Tag size="sm" type="green">
                          Active
                        </Tag>
                      )}
                      {!local && (
                        <Tag size="sm" type="purple">
                          Remote
                        </Tag>
                      )}
                    </TableCell>
                    <TableCell>{local ? "Embedded keystore" : profile.endpoint}</TableCell>
                    <TableCell>{profile.instanceId ?? "—"}</TableCell>
                    <TableCell>{local ? "—" : profile.hasApiKey ? "Stored in keyring" : "Missing"}</TableCell>
                    <TableCell className="connections__actions">
                      {!active && (
                        <Button kind="ghost" size="sm" data-action="switch" onClick={() => onSwitch(profile)}>
                          Switch to
                        </Button>
                      )}
                      {!local && (
                        <>
                          <Button kind="ghost" size="sm" data-action="edit" onClick={() => setEditing(profile)}>
                            Edit
                          </Button>
                          <Button
                            kind="danger--ghost"
                            size="sm"
                            data-action="delete"
                            disabled={active}
                            onClick={() => setRemoving(profile)}
                          >
                            Delete
                          </Button>
                        </>
                      )}
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {editing !== null && (
        <ConnectionForm
          {...(editing === "new" ? {} : { profile: editing })}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notify({ kind: "success", title: `Connection ${saved.name} saved` });
            onChanged();
          }}
        />
      )}
      {removing !== null && (
        <ConfirmDialog
          title={`Delete connection ${removing.name}?`}
          label="Connections"
          primaryText="Delete"
          primaryId="delete-connection-confirm"
          busyText="Deleting…"
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await backend.deleteConnection(removing.id);
            setRemoving(null);
            notify({ kind: "success", title: `Connection ${removing.name} deleted` });
            onChanged();
          }}
        >
          <p>The connection and its API key are removed from this computer. The remote instance and its keys are not touched.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
