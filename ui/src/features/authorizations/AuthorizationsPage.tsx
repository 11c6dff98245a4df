import {
  DataTableSkeleton,
  IconButton,
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
import { Add, Edit, Stethoscope, TrashCan } from "@carbon/icons-react";
import { useCallback, useState } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { useNotify } from "../../components/notifications";
import { ACTIONS, deniedProps, useAccess } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import { useTableSize } from "../../lib/preferences";
import type { AuthorizationInfo } from "../../lib/types";
import { AuthorizationDetailsPanel } from "./AuthorizationDetailsPanel";
import { CreateAuthorizationModal } from "./CreateAuthorizationModal";
import { EditRolesDialog } from "./EditRolesDialog";
import { RemoveAuthorizationDialog } from "./RemoveAuthorizationDialog";
import { scopeOf } from "./scope";
import { TestAsServiceModal } from "./TestAsServiceModal";

const HEADERS = ["Source service", "Source instance", "Scope", "Roles", "Created", "Last used", ""];

interface Props {
  refreshToken: number;
}

/** When and by whom, each only when the keystore says (IAM may leave either out). */
function Created({ authorization }: { authorization: AuthorizationInfo }) {
  const { createdAt, createdBy } = authorization;
  return (
    <>
      {createdAt !== "" && <time dateTime={createdAt}>{formatTimestamp(createdAt)}</time>}
      {createdBy !== "" && (
        <span className="authorizations__creator" data-created-by={createdBy}>
          by {createdBy}
        </span>
      )}
    </>
  );
}

/**
 * When the source service last wrapped or unwrapped through it, so an unused authorization can
 * be found before it is removed. Strongroom records it; IBM IAM does not, hence "no use recorded"
 * rather than "never".
 */
function LastUsed({ authorization }: { authorization: AuthorizationInfo }) {
  if (authorization.lastUsedAt !== undefined) {
    return (
      <time dateTime={authorization.lastUsedAt} data-last-used={authorization.lastUsedAt}>
        {formatTimestamp(authorization.lastUsedAt)}
      </time>
    );
  }
  return <span className="authorizations__never">No use recorded</span>;
}

/** Which other services may use this instance's keys (IAM service-to-service authorizations). */
export function AuthorizationsPage({ refreshToken }: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const can = useAccess();
  const [reload, setReload] = useState(0);
  const load = useCallback(() => backend.authorizations(), [backend]);
  const { data, error, loading } = useRequest(load, refreshToken + reload);
  const [creating, setCreating] = useState(false);
  const [removing, setRemoving] = useState<AuthorizationInfo | null>(null);
  const [testing, setTesting] = useState<AuthorizationInfo | null>(null);
  const [editing, setEditing] = useState<AuthorizationInfo | null>(null);
  const mayEdit = can(ACTIONS.writePolicies);
  // The authorization whose details show; looked up in each reload, so a removed one closes.
  const [openId, setOpenId] = useState<string | null>(null);
  const open = data?.find((authorization) => authorization.id === openId);
  const tableSize = useTableSize("lg");

  const createButton = (
    <GuardedButton
      id="create-authorization-button"
      access={can(ACTIONS.writePolicies)}
      renderIcon={Add}
      onClick={() => setCreating(true)}
    >
      Authorize a service
    </GuardedButton>
  );

  let body;
  if (data === undefined && error === undefined) {
    body = <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={3} showHeader={false} />;
  } else if (data !== undefined && data.length === 0) {
    body = (
      <section id="authorizations-empty" className="app-empty" aria-labelledby="authorizations-empty-title">
        <h2 id="authorizations-empty-title" className="app-empty__title">
          No service may use these keys yet
        </h2>
        <p>
          An authorization lets another service — Cloud Object Storage, a database, a Kubernetes cluster — wrap and
          unwrap its data encryption keys with root keys of this instance. Without one, that service cannot encrypt
          with your keys. Grant the Reader role unless the service documents otherwise.
        </p>
        {createButton}
      </section>
    );
  } else {
    body = (
      <TableContainer id="authorizations-table"
        title="Authorizations"
        description="Services allowed to use this instance's keys."
        aria-busy={loading}
      >
        <TableToolbar aria-label="Authorizations toolbar">
          <TableToolbarContent>{createButton}</TableToolbarContent>
        </TableToolbar>
        <Table aria-label="Authorizations" size={tableSize}>
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
            {(data ?? []).map((authorization) => (
              <TableRow key={authorization.id} data-authorization-id={authorization.id}>
                <TableCell>
                  <button
                    type="button"
                    className="cds--link authorizations__source"
                    data-action="view-authorization"
                    aria-label={`Details of the authorization of ${authorization.sourceService}`}
                    onClick={() => setOpenId(authorization.id)}
                  >
                    {authorization.sourceService}
                  </button>
                </TableCell>
                <TableCell>{authorization.sourceInstance ?? "All instances"}</TableCell>
                <TableCell>{scopeOf(authorization)}</TableCell>
                <TableCell>
                  {authorization.roles.map((role) => (
                    <Tag key={role} size="sm" type="blue">
                      {role}
                    </Tag>
                  ))}
                </TableCell>
                <TableCell>
                  <Created authorization={authorization} />
                </TableCell>
                <TableCell>
                  <LastUsed authorization={authorization} />
                </TableCell>
                <TableCell className="authorizations__actions">
                  <IconButton
                    kind="ghost"
                    size="sm"
                    align="left"
                    label={`Test as ${authorization.sourceService}`}
                    data-action="test-as-service"
                    onClick={() => setTesting(authorization)}
                  >
                    <Stethoscope />
                  </IconButton>
                  <IconButton
                    kind="ghost"
                    size="sm"
                    align="left"
                    label={mayEdit.allowed ? `Edit the roles of ${authorization.sourceService}` : mayEdit.reason}
                    data-action="edit-roles"
                    onClick={() => setEditing(authorization)}
                    {...deniedProps(mayEdit)}
                  >
                    <Edit />
                  </IconButton>
                  <IconButton
                    kind="ghost"
                    size="sm"
                    align="left"
                    label={`Remove the authorization of ${authorization.sourceService}`}
                    data-action="remove-authorization"
                    onClick={() => setRemoving(authorization)}
                  >
                    <TrashCan />
                  </IconButton>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
    );
  }

  return (
    <div className="app-page">
      <h1 className="app-page__title">Authorizations</h1>
      {error !== undefined && (
        <InlineNotification
          kind="error"
          title="Authorizations could not be listed"
          subtitle={describe(error)}
          lowContrast
          hideCloseButton
        />
      )}
      {body}
      {open !== undefined && (
        <AuthorizationDetailsPanel
          authorization={open}
          refreshToken={refreshToken + reload}
          onClose={() => setOpenId(null)}
          onTest={setTesting}
          onEditRoles={setEditing}
          onRemove={setRemoving}
        />
      )}
      {creating && (
        <CreateAuthorizationModal
          onClose={() => setCreating(false)}
          onCreated={(created) => {
            setCreating(false);
            notify({ kind: "success", title: `${created.sourceService} authorized` });
            setReload((n) => n + 1);
          }}
        />
      )}
      {testing !== null && <TestAsServiceModal authorization={testing} onClose={() => setTesting(null)} />}
      {editing !== null && (
        <EditRolesDialog
          authorization={editing}
          onClose={() => setEditing(null)}
          onSaved={(saved) => {
            setEditing(null);
            notify({ kind: "success", title: `${saved.sourceService} now has ${saved.roles.join(", ")}` });
            setReload((n) => n + 1);
          }}
        />
      )}
      {removing !== null && (
        <RemoveAuthorizationDialog
          authorization={removing}
          authorizations={data ?? []}
          onClose={() => setRemoving(null)}
          onRemoved={() => {
            setRemoving(null);
            notify({ kind: "success", title: `Authorization of ${removing.sourceService} removed` });
            setReload((n) => n + 1);
          }}
        />
      )}
    </div>
  );
}
