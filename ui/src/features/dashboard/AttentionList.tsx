import {
  InlineNotification,
  SkeletonText,
  StructuredListBody,
  StructuredListCell,
  StructuredListHead,
  StructuredListRow,
  StructuredListWrapper,
  Tag,
  Tile,
} from "@carbon/react";
import type { ReactNode } from "react";
import { KeyStateTag } from "../../components/KeyStateTag";
import { describe } from "../../lib/errors";
import { formatNumber, formatTimestamp } from "../../lib/format";
import { RESTORE_WINDOW_DAYS } from "../../lib/keyLifecycle";
import type { RequestState } from "../../lib/hooks/useRequest";
import type { KeyInfo } from "../../lib/types";
import {
  RESTORE_WARNING_DAYS,
  timeLeft,
  type Attention,
  type Checked,
} from "./attention";

/** Rows shown per list; the Keys page has the rest. */
const SHOWN = 10;

/** A key's name that opens it, the way a row of the key table does. */
export function KeyLink({ keyInfo, onOpenKey }: { keyInfo: KeyInfo; onOpenKey: (keyId: string) => void }) {
  return (
    <button type="button" className="cds--link attention__key" onClick={() => onOpenKey(keyInfo.id)}>
      {keyInfo.name}
    </button>
  );
}

interface SectionProps<T> {
  id: string;
  title: string;
  rule: string;
  checked: Checked<T>;
  /** The heading of the column that says when. */
  detailHeader: string;
  row: (item: T) => { key: KeyInfo; detail: ReactNode };
  onOpenKey: (keyId: string) => void;
}

function Section<T>({ id, title, rule, checked, detailHeader, row, onOpenKey }: SectionProps<T>) {
  if (checked.items.length === 0) return null;
  const rows = checked.items.slice(0, SHOWN).map(row);
  return (
    <section className="attention__section" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} className="attention__title">
        {title} <Tag size="sm" type="cool-gray">{formatNumber(checked.items.length)}</Tag>
      </h3>
      <p className="dashboard__rule">{rule}</p>
      <StructuredListWrapper isCondensed aria-labelledby={`${id}-title`} id={id}>
        <StructuredListHead>
          <StructuredListRow head>
            <StructuredListCell head>Name</StructuredListCell>
            <StructuredListCell head>State</StructuredListCell>
            <StructuredListCell head>{detailHeader}</StructuredListCell>
          </StructuredListRow>
        </StructuredListHead>
        <StructuredListBody>
          {rows.map(({ key, detail }) => (
            <StructuredListRow key={key.id} data-attention-key={key.name}>
              <StructuredListCell>
                <KeyLink keyInfo={key} onOpenKey={onOpenKey} />
              </StructuredListCell>
              <StructuredListCell>
                <KeyStateTag state={key.state} />
              </StructuredListCell>
              <StructuredListCell>{detail}</StructuredListCell>
            </StructuredListRow>
          ))}
        </StructuredListBody>
      </StructuredListWrapper>
      {(checked.items.length > SHOWN || !checked.complete) && (
        <p className="dashboard__muted">
          {checked.items.length > SHOWN ? `Showing ${SHOWN} of ${formatNumber(checked.items.length)}. ` : ""}
          {checked.complete ? "" : `Checked ${formatNumber(checked.checked)} of ${formatNumber(checked.total)} keys.`}
        </p>
      )}
    </section>
  );
}

const days = (count: number) => (count === 1 ? "1 day" : `${formatNumber(count)} days`);

const when = (ms: number) => {
  const iso = new Date(ms).toISOString();
  return <time dateTime={iso}>{formatTimestamp(iso)}</time>;
};

interface Props {
  attention: RequestState<Attention>;
  onOpenKey: (keyId: string) => void;
}

/** Keys that need someone soon: expiring, half-way through a dual-authorization delete, or about to become unrestorable. */
export function AttentionList({ attention, onOpenKey }: Props) {
  let body: ReactNode;
  if (attention.error !== undefined) {
    body = (
      <InlineNotification
        kind="error"
        title="The attention check failed"
        subtitle={describe(attention.error)}
        lowContrast
        hideCloseButton
      />
    );
  } else if (attention.data === undefined) {
    body = <SkeletonText paragraph lineCount={3} />;
  } else {
    const { now, warnDays, expiring, rotating, pendingDeletion, restoreClosing, importToken } = attention.data;
    const checks = [expiring, rotating, pendingDeletion, restoreClosing];
    const nothing = checks.every((check) => check.items.length === 0) && importToken === undefined;
    const incomplete = checks.some((check) => !check.complete);
    body = nothing ? (
      <p id="attention-none" className="dashboard__muted">
        Nothing needs attention: no key expires or is due for a scheduled rotation within {days(warnDays)}, no deletion
        is waiting for a second authorization, and no destroyed key's restore window closes within{" "}
        {RESTORE_WARNING_DAYS} days.
        {incomplete ? " Only the first keys of a very large keystore were checked." : ""}
      </p>
    ) : (
      <>
        {importToken !== undefined && (
          <section className="attention__section" id="attention-import-token" aria-labelledby="attention-import-token-title">
            <h3 id="attention-import-token-title" className="attention__title">
              Import token expiring
            </h3>
            <p className="dashboard__rule">
              The import token expires {when(importToken.expiresAt)} (in {timeLeft(importToken.expiresAt - now)}) with{" "}
              {importToken.remaining} of {importToken.max} {importToken.max === 1 ? "retrieval" : "retrievals"} left.
              Finish a secure import before then, or create a new token when you start one.
            </p>
          </section>
        )}
        <Section
          id="attention-expiring"
          title={`Expiring within ${days(warnDays)}`}
          rule="An expired key becomes Deactivated: it can still unwrap and rewrap, but no longer wrap."
          checked={expiring}
          detailHeader="Expires"
          row={({ key, expiresAt }) => ({
            key,
            detail: (
              <>
                {when(expiresAt)} (in {timeLeft(expiresAt - now)})
              </>
            ),
          })}
          onOpenKey={onOpenKey}
        />
        <Section
          id="attention-rotating"
          title={`Rotation policy due within ${days(warnDays)}`}
          rule="A rotation policy asks for a new version every so many months (counted as 30 days each) after the last rotation, or after creation. Rotate the key by then; older versions still unwrap."
          checked={rotating}
          detailHeader="Rotation due"
          row={({ key, rotatesAt }) => ({
            key,
            detail:
              rotatesAt <= now ? (
                <>
                  {when(rotatesAt)} (due now)
                </>
              ) : (
                <>
                  {when(rotatesAt)} (in {timeLeft(rotatesAt - now)})
                </>
              ),
          })}
          onOpenKey={onOpenKey}
        />
        <Section
          id="attention-pending-deletion"
          title="Waiting for a second authorization to delete"
          rule="Another person must delete the key before the first authorization lapses; otherwise it has to be given again."
          checked={pendingDeletion}
          detailHeader="Authorization lapses"
          row={({ key, authorizationExpiresAt }) => ({
            key,
            detail: (
              <>
                in {timeLeft(authorizationExpiresAt - now)}
                {key.dualAuthDelete.authorizedBy === undefined ? "" : ` (authorized by ${key.dualAuthDelete.authorizedBy})`}
              </>
            ),
          })}
          onOpenKey={onOpenKey}
        />
        <Section
          id="attention-restore-closing"
          title={`Restore window closing within ${RESTORE_WARNING_DAYS} days`}
          rule={`A destroyed key can be restored for ${RESTORE_WINDOW_DAYS} days after its deletion; after that it is gone for good.`}
          checked={restoreClosing}
          detailHeader="Restorable until"
          row={({ key, restorableUntil }) => ({
            key,
            detail: (
              <>
                {when(restorableUntil)} (in {timeLeft(restorableUntil - now)})
              </>
            ),
          })}
          onOpenKey={onOpenKey}
        />
      </>
    );
  }
  return (
    <Tile className="dashboard__tile dashboard__tile--wide" id="attention">
      <h2 className="dashboard__tile-title">Needs attention</h2>
      {body}
    </Tile>
  );
}
