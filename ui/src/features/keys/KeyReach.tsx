import { Button, InlineNotification, SkeletonText, Tag } from "@carbon/react";
import { useCallback, useState } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { ACTIONS, deniedProps, useAccess } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo, RegistrationInfo } from "../../lib/types";
import { reachesKey, scopeOf } from "../authorizations/scope";

interface Props {
  keyInfo: KeyInfo;
  refreshToken: number;
  /** Both halves in the details panel; one per tab on the key page. */
  show?: "both" | "registrations" | "authorizations";
}

const TITLES = {
  both: "Who depends on this key",
  registrations: "Associated resources",
  authorizations: "Authorizations that reach this key",
} as const;

/** The blast radius: resources registered to this key, and the services authorized to use it. */
export function KeyReach({ keyInfo, refreshToken, show = "both" }: Props) {
  const backend = useBackend();
  const can = useAccess();
  const [removing, setRemoving] = useState<RegistrationInfo | null>(null);
  const [removed, setRemoved] = useState(0);
  const loadRegistrations = useCallback(() => backend.registrations(keyInfo.id), [backend, keyInfo.id]);
  const loadAuthorizations = useCallback(() => backend.authorizations(), [backend]);
  const registrations = useRequest(loadRegistrations, refreshToken + removed);
  // Removing one is a Manager's way out of a hold its service can no longer lift.
  const mayRemove = can(ACTIONS.delete, { keyId: keyInfo.id, keyRing: keyInfo.keyRing });
  const authorizations = useRequest(loadAuthorizations, refreshToken);
  // The key page shows each half in its own tab, both in the document at once.
  const idBase = show === "both" ? "key-details-reach" : `key-details-reach-${show}`;
  const reaching = authorizations.data?.filter((item) => reachesKey(item, keyInfo.id, keyInfo.keyRing));

  return (
    <section aria-labelledby={`${idBase}-title`} className="key-details__section" id={idBase}>
      <h3 tabIndex={-1} id={`${idBase}-title`} className="key-details__subtitle">
        {TITLES[show]}
      </h3>
      {show !== "authorizations" && (
        <>
          <h4 className="cds--label">Registered resources</h4>
          {registrations.error !== undefined ? (
            <InlineNotification kind="error" title="Registrations could not be loaded" subtitle={describe(registrations.error)} lowContrast hideCloseButton />
          ) : registrations.data === undefined ? (
            <SkeletonText lineCount={1} />
          ) : registrations.data.length === 0 ? (
            <p className="key-details__note">No resources of other services are registered to this key.</p>
          ) : (
            <ul className="key-details__list" aria-label="Registered resources">
              {registrations.data.map((registration) => (
                <li key={registration.resourceCrn}>
                  <code>{registration.resourceCrn}</code> <span className="key-details__note">({registration.service})</span>
                  {registration.preventKeyDeletion && (
                    <>
                      {" "}
                      <Tag size="sm" type="red" title="A retention hold: this key cannot be deleted, not even by force, while the resource is registered this way.">
                        Prevents deletion
                      </Tag>
                    </>
                  )}
                  {registration.description !== "" && <div className="key-details__note">{registration.description}</div>}
                  {keyInfo.state !== "destroyed" && (
                    <Button
                      kind="ghost"
                      size="sm"
                      className="key-reach__remove"
                      data-registration={registration.resourceCrn}
                      onClick={() => setRemoving(registration)}
                      {...deniedProps(mayRemove)}
                    >
                      Remove
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {show !== "registrations" && (
        <>
          <h4 className="cds--label">Authorized services</h4>
          {authorizations.error !== undefined ? (
            <InlineNotification kind="error" title="Authorizations could not be loaded" subtitle={describe(authorizations.error)} lowContrast hideCloseButton />
          ) : reaching === undefined ? (
            <SkeletonText lineCount={1} />
          ) : reaching.length === 0 ? (
            <p className="key-details__note">No service is authorized to use this key.</p>
          ) : (
            <ul className="key-details__list" aria-label="Authorized services">
              {reaching.map((authorization) => (
                <li key={authorization.id}>
                  {authorization.sourceService} ({authorization.sourceInstance ?? "all instances"}) · {scopeOf(authorization)}{" "}
                  {authorization.roles.map((role) => (
                    <Tag key={role} size="sm" type="blue">
                      {role}
                    </Tag>
                  ))}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {removing !== null && (
        <ConfirmDialog
          title="Remove this registration?"
          label="Registered resource"
          primaryText="Remove"
          primaryId="remove-registration-confirm"
          busyText="Removing…"
          danger
          onClose={() => setRemoving(null)}
          onConfirm={async () => {
            await backend.deleteRegistration(keyInfo.id, removing.resourceCrn);
            setRemoving(null);
            setRemoved((count) => count + 1);
          }}
        >
          <p>
            <code>{removing.resourceCrn}</code> will no longer be listed as depending on this key. If its service still uses
            the key, its next wrap or unwrap records it again.
          </p>
          {removing.preventKeyDeletion && (
            <p id="remove-registration-hold">
              <strong>This lifts a retention hold.</strong> The service asked that this key be kept while the resource
              exists; once the registration is removed, the key can be deleted and the resource&apos;s data lost. Remove it
              only when the service can no longer do so itself.
            </p>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
