import { InlineNotification, SkeletonText } from "@carbon/react";
import { useCallback } from "react";
import { ConfirmDialog } from "../../components/ConfirmDialog";
import { CurlSnippet } from "../../components/CurlSnippet";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useCaller } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber } from "../../lib/format";
import { useCurlTarget } from "../../lib/hooks/useCurlTarget";
import { useRequest } from "../../lib/hooks/useRequest";
import type { AuthorizationInfo, KeyInfo } from "../../lib/types";
import { deleteAuthorizationCurl } from "./curl";
import { keysAtStake, remainingCover, type AtStake, type Cover } from "./removal";
import { scopeOf } from "./scope";

interface Props {
  authorization: AuthorizationInfo;
  /** Every authorization of the instance, to tell which keys another one still covers. */
  authorizations: readonly AuthorizationInfo[];
  onClose: () => void;
  /** Called once the keystore has removed it. */
  onRemoved: () => void;
}

/** The scope in words, inside a sentence. */
function scopeInSentence(authorization: AuthorizationInfo): string {
  const scope = scopeOf(authorization);
  return scope.charAt(0).toLowerCase() + scope.slice(1);
}

function scopeList(authorizations: readonly AuthorizationInfo[]): string {
  const scopes = authorizations.map(scopeInSentence);
  if (scopes.length <= 1) return scopes[0] ?? "";
  return `${scopes.slice(0, -1).join(", ")} and ${scopes[scopes.length - 1]}`;
}

function LosingKeys({ keys, more }: { keys: KeyInfo[]; more: number }) {
  return (
    <>
      <ul id="remove-authorization-keys" className="key-details__list" aria-label="Root keys that stop working">
        {keys.map((key) => (
          <li key={key.id} data-losing-key={key.name}>
            {key.name} <KeyStateTag state={key.state} />
          </li>
        ))}
      </ul>
      {more > 0 && <p className="key-details__note">and {formatNumber(more)} more.</p>}
    </>
  );
}

/** What stops working for the source, from the keys at stake and what its other authorizations still cover. */
function Impact({ authorization, atStake, cover }: { authorization: AuthorizationInfo; atStake: AtStake; cover: Cover }) {
  const service = authorization.sourceService;
  if (cover.whole.length > 0) {
    return (
      <p id="remove-authorization-impact">
        No key stops working: another authorization of {service} still covers {scopeList(cover.whole)}.
      </p>
    );
  }
  if (atStake.kind === "key") {
    if (atStake.key === null) {
      return (
        <p id="remove-authorization-impact">
          Key {authorization.keyId} no longer exists, so no key stops working.
        </p>
      );
    }
    if (atStake.key.keyType === "standard") {
      return (
        <p id="remove-authorization-impact">
          {atStake.key.name} is a standard key, which cannot wrap, so no key stops working.
        </p>
      );
    }
    return (
      <div id="remove-authorization-impact">
        <p>{service} can no longer wrap or unwrap with this root key:</p>
        <LosingKeys keys={[atStake.key]} more={0} />
      </div>
    );
  }
  const where = authorization.keyRing === undefined ? "this instance" : `key ring ${authorization.keyRing}`;
  if (atStake.total === 0) {
    return (
      <p id="remove-authorization-impact">
        {authorization.keyRing === undefined ? "This instance" : `Key ring ${authorization.keyRing}`} has no root keys
        now, so no key stops working.
      </p>
    );
  }
  const losing = atStake.keys.filter((key) => !cover.keeps(key));
  const count = atStake.total === 1 ? "its one root key" : `any of its ${formatNumber(atStake.total)} root keys`;
  return (
    <div id="remove-authorization-impact">
      <p>
        {service} can no longer wrap or unwrap with {count} in {where}
        {cover.part.length > 0 ? ", except those another authorization still covers" : ""}.
      </p>
      {cover.part.length > 0 && (
        <p id="remove-authorization-kept">
          Another authorization of {service} still covers {scopeList(cover.part)}; those keys keep working.
        </p>
      )}
      {losing.length > 0 ? (
        <LosingKeys keys={losing} more={atStake.total - atStake.keys.length} />
      ) : (
        atStake.total > atStake.keys.length && (
          <p className="key-details__note">
            {atStake.keys.length === 1 ? "The newest key keeps" : `The newest ${formatNumber(atStake.keys.length)} keep`}{" "}
            working; the other{" "}
            {formatNumber(atStake.total - atStake.keys.length)} are not listed here.
          </p>
        )
      )}
    </div>
  );
}

/** The danger confirmation for removing an authorization, naming the keys its source loses. */
export function RemoveAuthorizationDialog({ authorization, authorizations, onClose, onRemoved }: Props) {
  const backend = useBackend();
  const curlTarget = useCurlTarget();
  const table = useCaller()?.actionRoles;
  const load = useCallback(() => keysAtStake(backend, authorization), [backend, authorization]);
  const atStake = useRequest(load);
  const cover = remainingCover(authorization, authorizations, table, atStake.data);

  return (
    <ConfirmDialog
      title={`Remove the authorization of ${authorization.sourceService}?`}
      label="Authorizations"
      primaryText="Remove"
      primaryId="remove-authorization-confirm"
      busyText="Removing…"
      danger
      onClose={onClose}
      onConfirm={async () => {
        await backend.deleteAuthorization(authorization.id);
        onRemoved();
      }}
    >
      <p>
        {authorization.sourceService} ({authorization.sourceInstance ?? "all instances"}) loses this authorization for{" "}
        {scopeInSentence(authorization)}. Data it encrypted with a key that stops working stays encrypted and
        becomes unreadable to it until an authorization is granted again.
      </p>
      {/* Removing stays possible while the keys load or when they cannot be listed: the list informs, it does not gate. */}
      {atStake.error !== undefined ? (
        <InlineNotification
          kind="warning"
          title="The keys it reaches could not be listed"
          subtitle={describe(atStake.error)}
          lowContrast
          hideCloseButton
        />
      ) : atStake.data === undefined ? (
        <SkeletonText paragraph lineCount={2} />
      ) : (
        <Impact authorization={authorization} atStake={atStake.data} cover={cover} />
      )}
      <CurlSnippet id="remove-authorization-curl" snippet={deleteAuthorizationCurl(authorization.id, curlTarget)} />
    </ConfirmDialog>
  );
}
