import {
  Button,
  Checkbox,
  DataTableSkeleton,
  InlineLoading,
  InlineNotification,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  TextInput,
} from "@carbon/react";
import { useEffect, useState } from "react";
import { toBackendError, useBackend, type BackendError } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatTimestamp } from "../../lib/format";
import { useDebouncedValue } from "../../lib/hooks/useDebouncedValue";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";

export const AUDIT_PAGE_SIZE = 100;
const FILTER_DEBOUNCE_MS = 300;
const HEADERS = ["Time", "Initiator", "Action", "Target", "Outcome"];

interface Filters {
  initiator: string;
  action: string;
  target: string;
  failuresOnly: boolean;
}

function queryOf(filters: Filters, before?: number): AuditQueryRequest {
  const query: AuditQueryRequest = { limit: AUDIT_PAGE_SIZE };
  if (filters.initiator.trim() !== "") query.initiator = filters.initiator.trim();
  if (filters.action.trim() !== "") query.action = filters.action.trim();
  if (filters.target.trim() !== "") query.target = filters.target.trim();
  if (filters.failuresOnly) query.failuresOnly = true;
  if (before !== undefined) query.before = before;
  return query;
}

interface Pages {
  /** The filters these events answer. */
  key: string;
  events: AuditEventInfo[];
  /** Whether an older page may exist. */
  more: boolean;
}

/** Who did what to which key, newest first; key material and plaintext are never recorded. */
export function AuditPage({ refreshToken }: { refreshToken: number }) {
  const backend = useBackend();
  const [filters, setFilters] = useState<Filters>({ initiator: "", action: "", target: "", failuresOnly: false });
  const debounced = useDebouncedValue(filters, FILTER_DEBOUNCE_MS);
  const filterKey = JSON.stringify([debounced, refreshToken]);
  const [pages, setPages] = useState<Pages | null>(null);
  const [error, setError] = useState<BackendError | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    let current = true;
    backend.auditEvents(queryOf(debounced)).then(
      (events) => {
        if (!current) return;
        setError(undefined);
        setPages({ key: filterKey, events, more: events.length === AUDIT_PAGE_SIZE });
      },
      (thrown: unknown) => {
        if (current) setError(toBackendError(thrown));
      },
    );
    return () => {
      current = false;
    };
  }, [backend, debounced, filterKey]);

  const loadOlder = async () => {
    if (pages === null) return;
    const oldest = pages.events[pages.events.length - 1];
    if (oldest === undefined) return;
    setLoadingOlder(true);
    try {
      const older = await backend.auditEvents(queryOf(debounced, oldest.seq));
      setPages({ key: pages.key, events: [...pages.events, ...older], more: older.length === AUDIT_PAGE_SIZE });
    } catch (thrown) {
      setError(toBackendError(thrown));
    } finally {
      setLoadingOlder(false);
    }
  };

  const update = <K extends keyof Filters>(field: K, value: Filters[K]) =>
    setFilters((current) => ({ ...current, [field]: value }));
  const stale = pages !== null && pages.key !== filterKey;

  return (
    <div className="app-page">
      <h1 className="app-page__title">Audit log</h1>
      <p className="app-page__lead">
        Every call on this keystore, newest first. Events name keys and people, never key material or plaintext.
      </p>
      <div className="audit-filters" role="search" aria-label="Filter audit events">
        <TextInput
          id="audit-initiator"
          labelText="Initiator"
          placeholder="IBMid-…"
          size="md"
          value={filters.initiator}
          onChange={(event) => update("initiator", event.target.value)}
        />
        <TextInput
          id="audit-action"
          labelText="Action starts with"
          placeholder="kms.secrets"
          size="md"
          value={filters.action}
          onChange={(event) => update("action", event.target.value)}
        />
        <TextInput
          id="audit-target"
          labelText="Target"
          placeholder="Key, key ring or policy id"
          size="md"
          value={filters.target}
          onChange={(event) => update("target", event.target.value)}
        />
        <Checkbox
          id="audit-failures-only"
          labelText="Failures only"
          checked={filters.failuresOnly}
          onChange={(_event, { checked }) => update("failuresOnly", checked)}
        />
      </div>
      {error !== undefined && (
        <InlineNotification
          kind="error"
          title="Audit events could not be loaded"
          subtitle={describe(error)}
          lowContrast
          hideCloseButton
        />
      )}
      {pages === null ? (
        error === undefined && (
          <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={5} showHeader={false} />
        )
      ) : (
        <TableContainer id="audit-table" aria-busy={stale}>
          <Table aria-label="Audit events" size="sm">
            <TableHead>
              <TableRow>
                {HEADERS.map((header) => (
                  <TableHeader key={header}>{header}</TableHeader>
                ))}
              </TableRow>
            </TableHead>
            <TableBody className={stale ? "key-table__body--stale" : undefined}>
              {pages.events.length === 0 && (
                <TableRow>
                  <TableCell colSpan={HEADERS.length}>No events match these filters.</TableCell>
                </TableRow>
              )}
              {pages.events.map((event) => (
                <TableRow key={event.seq} data-seq={event.seq}>
                  <TableCell>
                    <time dateTime={event.at}>{formatTimestamp(event.at)}</time>
                  </TableCell>
                  <TableCell>{event.initiator}</TableCell>
                  <TableCell>
                    <code>{event.action}</code>
                  </TableCell>
                  <TableCell>
                    <code>{event.target}</code>
                  </TableCell>
                  <TableCell>
                    {event.outcome === "success" ? (
                      <Tag size="sm" type="green">
                        Success
                      </Tag>
                    ) : (
                      <Tag size="sm" type="red" title={event.outcome}>
                        {event.outcome}
                      </Tag>
                    )}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
      {pages !== null && pages.more && (
        <Button
          id="audit-load-older"
          kind="tertiary"
          size="md"
          disabled={loadingOlder || stale}
          onClick={() => void loadOlder()}
        >
          {loadingOlder ? <InlineLoading description="Loading…" /> : "Load older"}
        </Button>
      )}
    </div>
  );
}
