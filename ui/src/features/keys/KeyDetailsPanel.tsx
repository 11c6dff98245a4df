import {
  Button,
  CopyButton,
  IconButton,
  InlineNotification,
  Layer,
  Link,
  SkeletonText,
  Tag,
} from "@carbon/react";
import { Close, Encryption, Launch } from "@carbon/icons-react";
import { useCallback, useEffect, useRef } from "react";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { useRequest } from "../../lib/hooks/useRequest";
import type { KeyInfo, KeyVersionInfo } from "../../lib/types";
import { DualAuthDeletion } from "./DualAuthDeletion";
import { KeyActionBar } from "./KeyActionBar";
import { KeyActivity } from "./KeyActivity";
import { DeactivatedNotice, KeyExpiry } from "./KeyExpiry";
import { KeyPlacement } from "./KeyPlacement";
import { KeyPoliciesSection } from "./KeyPoliciesSection";
import { KeyReach } from "./KeyReach";
import { RestoreWindow } from "./RestoreWindow";
import { SECTION_FOCUS, type SectionRequest } from "./sectionRules";

interface Props {
  keyId: string;
  /** Bumped when keys change elsewhere, so the panel shows the same state as the table. */
  refreshToken: number;
  onChanged: () => void;
  onClose: () => void;
  /** Offered for root keys that can wrap or unwrap. */
  onOpenEnvelope?: (key: KeyInfo) => void;
  /** Shows the key on a page of its own, with tabs. */
  onOpenPage?: (key: KeyInfo) => void;
  /** The section to scroll to and focus once the key shows, e.g. its aliases from the row menu. */
  focus?: SectionRequest;
}

/** Focuses the first of `ids` that takes focus (focusing scrolls it into view); false if none does. */
function focusFirst(ids: readonly string[]): boolean {
  for (const id of ids) {
    const element = document.getElementById(id);
    element?.focus();
    if (element !== null && document.activeElement === element) return true;
  }
  return false;
}

function CopyableId({ id, label, value }: { id: string; label: string; value: string }) {
  return (
    <div className="key-details__field">
      <dt className="cds--label">{label}</dt>
      <dd className="key-details__copyable">
        <code id={id} className="key-details__code">
          {value}
        </code>
        <CopyButton
          iconDescription={`Copy ${label.toLowerCase()}`}
          feedback="Copied"
          onClick={() => void navigator.clipboard?.writeText(value)}
        />
      </dd>
    </div>
  );
}

function When({ label, at, note }: { label: string; at: string | undefined; note?: string }) {
  if (at === undefined) return null;
  return (
    <div className="key-details__field">
      <dt className="cds--label">{label}</dt>
      <dd>
        <time dateTime={at}>{formatTimestamp(at)}</time>
        {note !== undefined && <span className="key-details__note"> {note}</span>}
      </dd>
    </div>
  );
}

function Versions({ versions, current }: { versions: KeyVersionInfo[]; current: string }) {
  // Newest first, whatever order the transport returns.
  const sorted = [...versions].sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return (
    <ol className="key-details__versions" aria-label="Key versions, newest first">
      {sorted.map((version) => (
        <li key={version.id} className="key-details__version" data-version-id={version.id}>
          <code className="key-details__code" title={version.id}>
            {version.id}
          </code>
          <span className="key-details__version-meta">
            <time dateTime={version.createdAt}>{formatTimestamp(version.createdAt)}</time>
            {version.id === current && (
              <Tag size="sm" type="blue">
                Current
              </Tag>
            )}
          </span>
        </li>
      ))}
    </ol>
  );
}

/** A right-hand panel with everything about one key; Escape or the close button dismisses it. */
export function KeyDetailsPanel({ keyId, refreshToken, onChanged, onClose, onOpenEnvelope, onOpenPage, focus }: Props) {
  const backend = useBackend();
  const loadKey = useCallback(() => backend.key(keyId), [backend, keyId]);
  const loadVersions = useCallback(() => backend.keyVersions(keyId), [backend, keyId]);
  const key = useRequest(loadKey, refreshToken);
  const versions = useRequest(loadVersions, refreshToken);
  const heading = useRef<HTMLHeadingElement>(null);

  const info = key.data?.id === keyId ? key.data : undefined;
  const loaded = info !== undefined;

  // Focus moves into the panel when it opens on a key, so keyboard users land on it: on the
  // section asked for, if any, once the key has loaded.
  useEffect(() => {
    if (loaded && focus !== undefined && focusFirst(SECTION_FOCUS[focus.section])) return;
    heading.current?.focus();
  }, [keyId, loaded, focus]);

  return (
    <Layer
      as="aside"
      id="key-details"
      className="key-details"
      aria-label="Key details"
      aria-busy={key.loading || versions.loading}
      onKeyDown={(event: React.KeyboardEvent) => {
        if (event.key === "Escape" && !event.defaultPrevented) onClose();
      }}
    >
      <div className="key-details__header">
        <h2 ref={heading} tabIndex={-1} className="key-details__title">
          {info?.name ?? "Key details"}
        </h2>
        <IconButton id="key-details-close" kind="ghost" size="md" label="Close details" align="left" onClick={onClose}>
          <Close />
        </IconButton>
      </div>

      {key.error !== undefined && (
        <InlineNotification
          kind="error"
          title="This key could not be loaded"
          subtitle={describe(key.error)}
          lowContrast
          hideCloseButton
        />
      )}

      {info === undefined ? (
        key.error === undefined && <SkeletonText paragraph lineCount={8} />
      ) : (
        <>
          <div className="key-details__tags">
            <KeyStateTag state={info.state} />
            <Tag size="sm" type="outline">
              {info.keyType === "root" ? "Root key" : "Standard key"}
            </Tag>
            {info.imported && (
              <Tag size="sm" type="outline">
                Imported
              </Tag>
            )}
          </div>
          {info.description !== undefined && <p className="key-details__description">{info.description}</p>}
          {onOpenPage !== undefined && (
            <Link
              id="key-details-open-page"
              href={`#keys/${info.id}`}
              renderIcon={Launch}
              className="key-details__open-page"
              onClick={(event: React.MouseEvent) => {
                event.preventDefault();
                onOpenPage(info);
              }}
            >
              Open full page
            </Link>
          )}

          <KeyActionBar keyInfo={info} onChanged={onChanged} />
          {info.state === "deactivated" && <DeactivatedNotice id="key-details-deactivated" />}
          <DualAuthDeletion keyInfo={info} onChanged={onChanged} />
          {onOpenEnvelope !== undefined &&
            info.keyType === "root" &&
            (info.state === "active" || info.state === "deactivated") && (
              <Button
                id="key-details-envelope"
                kind="ghost"
                size="sm"
                renderIcon={Encryption}
                className="key-details__envelope"
                onClick={() => onOpenEnvelope(info)}
              >
                Try envelope encryption with this key
              </Button>
            )}

          <dl className="key-details__fields">
            <CopyableId id="key-details-id" label="Key ID" value={info.id} />
            <CopyableId id="key-details-version" label="Current key version" value={info.keyVersion.id} />
            <When label="Created" at={info.createdAt} />
            {info.createdBy !== "" && (
              <div className="key-details__field">
                <dt className="cds--label">Created by</dt>
                <dd>{info.createdBy}</dd>
              </div>
            )}
            <When label="Last updated" at={info.updatedAt} />
            <When label="Last rotated" at={info.lastRotatedAt} />
            {info.expiresAt !== undefined && (
              <div className="key-details__field">
                <dt className="cds--label">Expires</dt>
                <dd>
                  <KeyExpiry id="key-details-expiry" expiresAt={info.expiresAt} />
                  <span className="key-details__note"> An expired key is deactivated: it still unwraps, but no longer wraps.</span>
                </dd>
              </div>
            )}
            <When
              label="Destroyed"
              at={info.deletedAt}
              {...(info.deletedBy === undefined ? {} : { note: `By ${info.deletedBy}.` })}
            />
            {info.state === "destroyed" && info.deletedAt !== undefined && (
              <div className="key-details__field">
                <dt className="cds--label">Restorable until</dt>
                <dd>
                  <RestoreWindow id="key-details-restorable-until" keyInfo={info} />
                </dd>
              </div>
            )}
          </dl>

          <KeyPlacement key={`${info.id}:${info.keyRing}`} keyInfo={info} onChanged={onChanged} />
          <KeyPoliciesSection keyInfo={info} refreshToken={refreshToken} onChanged={onChanged} />
          <KeyReach keyInfo={info} refreshToken={refreshToken} />
          <KeyActivity keyId={info.id} refreshToken={refreshToken} />

          <section aria-labelledby="key-details-versions-title">
            <h3 id="key-details-versions-title" className="key-details__subtitle">
              Versions
            </h3>
            {versions.error !== undefined ? (
              <InlineNotification
                kind="error"
                title="Versions could not be loaded"
                subtitle={describe(versions.error)}
                lowContrast
                hideCloseButton
              />
            ) : versions.data === undefined ? (
              <SkeletonText paragraph lineCount={2} />
            ) : (
              <Versions versions={versions.data} current={info.keyVersion.id} />
            )}
          </section>
        </>
      )}
    </Layer>
  );
}
