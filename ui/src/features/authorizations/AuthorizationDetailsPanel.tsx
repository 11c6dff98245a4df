import { Button, CopyButton, IconButton, InlineNotification, Layer, SkeletonText, Tag } from "@carbon/react";
import { Close, Edit, Stethoscope, TrashCan } from "@carbon/icons-react";
import { useCallback, useEffect, useRef } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { KeyStateTag } from "../../components/KeyStateTag";
import { ACTIONS, useAccess, useCaller } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber, formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import type { ActionRoles, AuthorizationInfo, KeyInfo } from "../../lib/types";
import { reachedKeys, type Reach } from "./reach";
import { roleActions } from "./roles";
import { scopeOf } from "./scope";

interface Props {
  authorization: AuthorizationInfo;
  refreshToken: number;
  onClose: () => void;
  /** "Test as this service": the keystore's dry run. */
  onTest: (authorization: AuthorizationInfo) => void;
  onEditRoles: (authorization: AuthorizationInfo) => void;
  onRemove: (authorization: AuthorizationInfo) => void;
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="key-details__field">
      <dt className="cds--label">{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

function RoleActions({ role, table }: { role: string; table: readonly ActionRoles[] | undefined }) {
  const actions = table === undefined ? undefined : roleActions(role, table);
  return (
    <li data-role={role}>
      <Tag size="sm" type="blue">
        {role}
      </Tag>
      {actions === undefined ? null : actions.length === 0 ? (
        <p className="key-details__note">The keystore names no action for this role.</p>
      ) : (
        <ul className="authorization-details__actions" aria-label={`What ${role} allows`}>
          {actions.map(({ action, label }) => (
            <li key={action} title={action}>
              {label}
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

function KeyItem({ keyInfo }: { keyInfo: KeyInfo }) {
  return (
    <li data-reached-key={keyInfo.name}>
      {keyInfo.name} <KeyStateTag state={keyInfo.state} />{" "}
      <span className="key-details__note">({keyInfo.keyType === "root" ? "root key" : "standard key"})</span>
    </li>
  );
}

function ReachedKeys({ reach }: { reach: Reach }) {
  if (reach.kind === "key") {
    return reach.key === null ? (
      <p className="key-details__note">This key no longer exists; the authorization reaches nothing until one with its id does.</p>
    ) : (
      <ul className="key-details__list" aria-label="Keys reached">
        <KeyItem keyInfo={reach.key} />
      </ul>
    );
  }
  if (reach.total === 0) return <p className="key-details__note">No keys yet; keys created in this scope will be reached.</p>;
  return (
    <>
      <ul className="key-details__list" aria-label="Keys reached">
        {reach.keys.map((key) => (
          <KeyItem key={key.id} keyInfo={key} />
        ))}
      </ul>
      {reach.total > reach.keys.length && (
        <p className="key-details__note">
          Showing the newest {formatNumber(reach.keys.length)} of {formatNumber(reach.total)} keys.
        </p>
      )}
    </>
  );
}

/** Everything one authorization allows, and the keys it reaches now; Escape or the close button dismisses it. */
export function AuthorizationDetailsPanel({
  authorization,
  refreshToken,
  onClose,
  onTest,
  onEditRoles,
  onRemove,
}: Props) {
  const mayEdit = useAccess()(ACTIONS.writePolicies);
  const backend = useBackend();
  // The keystore's role table; a keystore that does not describe its caller (IBM Key Protect) has none to show.
  const table = useCaller()?.actionRoles;
  const load = useCallback(() => reachedKeys(backend, authorization), [backend, authorization]);
  const reach = useRequest(load, refreshToken);
  const heading = useRef<HTMLHeadingElement>(null);

  // Focus moves into the panel when it opens, so keyboard users land on it.
  useEffect(() => {
    heading.current?.focus();
  }, [authorization.id]);

  return (
    <Layer
      as="aside"
      id="authorization-details"
      className="key-details"
      aria-label="Authorization details"
      aria-busy={reach.loading}
      onKeyDown={(event: React.KeyboardEvent) => {
        if (event.key === "Escape" && !event.defaultPrevented) onClose();
      }}
    >
      <div className="key-details__header">
        <h2 ref={heading} tabIndex={-1} className="key-details__title">
          {authorization.sourceService}
        </h2>
        <IconButton id="authorization-details-close" kind="ghost" size="md" label="Close details" align="left" onClick={onClose}>
          <Close />
        </IconButton>
      </div>
      <dl className="key-details__fields">
        <Field label="Source">
          {authorization.sourceService}, {authorization.sourceInstance === undefined ? "every instance" : <>instance <code>{authorization.sourceInstance}</code></>}
        </Field>
        <Field label="Target">
          {authorization.keyId === undefined && authorization.keyRing === undefined ? "Every key" : scopeOf(authorization)} of
          instance <code>{authorization.targetInstance}</code>
        </Field>
        {authorization.createdAt !== "" && (
          <Field label="Created">
            <time dateTime={authorization.createdAt}>{formatTimestamp(authorization.createdAt)}</time>
            {authorization.createdBy === "" ? "" : ` by ${authorization.createdBy}`}
          </Field>
        )}
        <Field label="Last used">
          {authorization.lastUsedAt === undefined ? (
            "No use recorded: the service has not wrapped or unwrapped through it (IBM IAM records no use)."
          ) : (
            <time id="authorization-details-last-used" dateTime={authorization.lastUsedAt}>
              {formatTimestamp(authorization.lastUsedAt)}
            </time>
          )}
        </Field>
        <Field label="Authorization ID">
          <span className="key-details__copyable">
            <code id="authorization-details-id" className="key-details__code">
              {authorization.id}
            </code>
            <CopyButton
              iconDescription="Copy authorization ID"
              feedback="Copied"
              onClick={() => void navigator.clipboard?.writeText(authorization.id)}
            />
          </span>
        </Field>
      </dl>

      <section aria-labelledby="authorization-details-roles-title" id="authorization-details-roles">
        <h3 id="authorization-details-roles-title" className="key-details__subtitle">
          What it allows
        </h3>
        <ul className="authorization-details__roles">
          {authorization.roles.map((role) => (
            <RoleActions key={role} role={role} table={table} />
          ))}
        </ul>
        {table === undefined && (
          <p className="key-details__note">This keystore does not publish which actions each role allows.</p>
        )}
      </section>

      <section aria-labelledby="authorization-details-keys-title" id="authorization-details-keys">
        <h3 id="authorization-details-keys-title" className="key-details__subtitle">
          Keys it reaches
        </h3>
        {reach.error !== undefined ? (
          <InlineNotification kind="error" title="The keys could not be listed" subtitle={describe(reach.error)} lowContrast hideCloseButton />
        ) : reach.data === undefined ? (
          <SkeletonText paragraph lineCount={2} />
        ) : (
          <ReachedKeys reach={reach.data} />
        )}
      </section>

      <div className="key-details__actions">
        <Button
          id="authorization-details-test"
          kind="tertiary"
          size="md"
          renderIcon={Stethoscope}
          onClick={() => onTest(authorization)}
        >
          Test as this service
        </Button>
        <GuardedButton
          id="authorization-details-edit-roles"
          kind="tertiary"
          size="md"
          renderIcon={Edit}
          access={mayEdit}
          onClick={() => onEditRoles(authorization)}
        >
          Edit roles
        </GuardedButton>
        <Button
          id="authorization-details-remove"
          kind="danger--tertiary"
          size="md"
          renderIcon={TrashCan}
          onClick={() => onRemove(authorization)}
        >
          Remove authorization
        </Button>
      </div>
    </Layer>
  );
}
