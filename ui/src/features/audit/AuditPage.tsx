import {
  Button,
  Checkbox,
  CodeSnippet,
  DataTableSkeleton,
  DatePicker,
  DatePickerInput,
  InlineLoading,
  InlineNotification,
  Select,
  SelectItem,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableExpandedRow,
  TableExpandHeader,
  TableExpandRow,
  TableHead,
  TableHeader,
  TableRow,
  TableToolbar,
  TableToolbarContent,
  Tag,
  TextInput,
} from "@carbon/react";
import { Download } from "@carbon/icons-react";
import { Fragment, useCallback, useEffect, useState } from "react";
import { useNotify } from "../../components/notifications";
import { toBackendError, useBackend, type BackendError } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber, formatTimestamp } from "../../lib/format";
import { useDebouncedValue } from "../../lib/hooks/useDebouncedValue";
import { useSaveExport } from "../../lib/hooks/useSaveExport";
import { useTableSize } from "../../lib/preferences";
import type { AuditEventInfo, AuditQueryRequest } from "../../lib/types";
import { KeyDetailsPanel } from "../keys/KeyDetailsPanel";
import { AuditTarget, CorrelationId, CorrelationIdCopy, KeyVersion, Source } from "./AuditCells";
import { AuditHistogram } from "./AuditHistogram";
import {
  collectEvents,
  EXPORT_CAP,
  eventsToCsv,
  eventsToJson,
  exportFileName,
  type EventExport,
} from "./exportEvents";
import type { TimeWindow } from "./histogram";
import { NarrowedRange } from "./NarrowedRange";
import { boundsOf, narrowedTo, PRESETS, widened, type RangeChoice, type TimeRange } from "./timeRange";
import { keystoreNow } from "../../lib/clock";

export const AUDIT_PAGE_SIZE = 100;
const FILTER_DEBOUNCE_MS = 300;
// The caller's address sits under the initiator and the key version under the target, so the
// table keeps six columns and its times one line at 1280 px.
const HEADERS = ["Time", "Initiator", "Action", "Target", "Outcome", "Correlation ID"];

interface Filters {
  initiator: string;
  action: string;
  target: string;
  failuresOnly: boolean;
  correlationId: string;
  time: TimeRange;
}

/** The filters as the keystore takes them; paging adds `before` and `limit`. */
type EventFilter = Omit<AuditQueryRequest, "before" | "limit">;

function filterOf(filters: Filters, now: number): EventFilter {
  const query: EventFilter = {};
  if (filters.initiator.trim() !== "") query.initiator = filters.initiator.trim();
  if (filters.action.trim() !== "") query.action = filters.action.trim();
  if (filters.target.trim() !== "") query.target = filters.target.trim();
  if (filters.failuresOnly) query.failuresOnly = true;
  if (filters.correlationId.trim() !== "") query.correlationId = filters.correlationId.trim();
  return { ...query, ...boundsOf(filters.time.range, filters.time.custom, now) };
}

interface Pages {
  /** The filters these events answer. */
  key: string;
  /** The query they came from, with a preset's window fixed, so older pages keep that window. */
  filter: EventFilter;
  /** When that query was made. */
  queriedAt: number;
  events: AuditEventInfo[];
  /** Whether an older page may exist. */
  more: boolean;
}

function isRangeChoice(value: string): value is RangeChoice {
  return value === "custom" || PRESETS.some((preset) => preset.id === value);
}

function OutcomeTag({ outcome }: { outcome: string }) {
  return outcome === "success" ? (
    <Tag size="sm" type="green">
      Success
    </Tag>
  ) : (
    <Tag size="sm" type="red" title={outcome}>
      {outcome}
    </Tag>
  );
}

/** Who did what to which key, newest first; key material and plaintext are never recorded. */
export function AuditPage({ refreshToken }: { refreshToken: number }) {
  const backend = useBackend();
  const notify = useNotify();
  const saveExport = useSaveExport();
  const [filters, setFilters] = useState<Filters>({
    initiator: "",
    action: "",
    target: "",
    failuresOnly: false,
    correlationId: "",
    time: { range: "all", custom: {} },
  });
  const debounced = useDebouncedValue(filters, FILTER_DEBOUNCE_MS);
  // The key a target link opened, in the same details panel as on the Keys page.
  const [openKeyId, setOpenKeyId] = useState<string | null>(null);
  // Bumped when that panel changes the key, so the new events show.
  const [keyChanges, setKeyChanges] = useState(0);
  const filterKey = JSON.stringify([debounced, refreshToken, keyChanges]);
  const [pages, setPages] = useState<Pages | null>(null);
  const [error, setError] = useState<BackendError | undefined>(undefined);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<number>>(new Set());
  const [exporting, setExporting] = useState<{ format: "csv" | "json"; count: number } | null>(null);
  const [cutOff, setCutOff] = useState<number | null>(null);
  const tableSize = useTableSize("sm");

  useEffect(() => {
    let current = true;
    const queriedAt = keystoreNow();
    const filter = filterOf(debounced, queriedAt);
    backend.auditEvents({ ...filter, limit: AUDIT_PAGE_SIZE }).then(
      (events) => {
        if (!current) return;
        setError(undefined);
        setPages({ key: filterKey, filter, queriedAt, events, more: events.length === AUDIT_PAGE_SIZE });
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
      const older = await backend.auditEvents({ ...pages.filter, limit: AUDIT_PAGE_SIZE, before: oldest.seq });
      setPages({ ...pages, events: [...pages.events, ...older], more: older.length === AUDIT_PAGE_SIZE });
    } catch (thrown) {
      setError(toBackendError(thrown));
    } finally {
      setLoadingOlder(false);
    }
  };

  const exportAs = async (format: "csv" | "json") => {
    if (pages === null) return;
    const filter = pages.filter;
    setExporting({ format, count: 0 });
    setCutOff(null);
    try {
      const exported: EventExport = await collectEvents(backend, filter, (count) => setExporting({ format, count }));
      const text = format === "csv" ? eventsToCsv(exported.events) : eventsToJson(exported, filter);
      // The desktop writes the file to Downloads and its toast names the path; a browser downloads it.
      const type = format === "csv" ? "text/csv;charset=utf-8" : "application/json";
      const title = exported.truncated ? undefined : `Exported ${formatNumber(exported.events.length)} audit events`;
      const saved = await saveExport(exportFileName(format), text, type, title);
      if (saved && exported.truncated) setCutOff(exported.events.length);
    } catch (thrown) {
      notify({ kind: "error", title: "The audit events could not be exported", subtitle: describe(toBackendError(thrown)) });
    } finally {
      setExporting(null);
    }
  };

  const update = <K extends keyof Filters>(field: K, value: Filters[K]) =>
    setFilters((current) => ({ ...current, [field]: value }));
  const toggle = (seq: number) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  const stale = pages !== null && pages.key !== filterKey;
  // A bar of the histogram narrows the range to its time; "Clear" goes back.
  const narrow = useCallback(
    (window: TimeWindow) => setFilters((current) => ({ ...current, time: narrowedTo(current.time, window) })),
    [],
  );
  const clearNarrowing = () => setFilters((current) => ({ ...current, time: widened(current.time) }));
  const { time } = filters;

  return (
    <div className="app-page">
      <header className="app-page__header">
        <h1 className="app-page__title">Audit log</h1>
        <p className="app-page__intro" id="audit-description">
          Every call on this keystore, allowed or refused, newest first. Key material, data encryption keys and
          plaintext never appear in the trail: events name keys, people and outcomes only.
        </p>
      </header>
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
        <TextInput
          id="audit-correlation"
          labelText="Correlation ID"
          placeholder="From a response or a log line"
          size="md"
          value={filters.correlationId}
          onChange={(event) => update("correlationId", event.target.value)}
        />
        <Checkbox
          id="audit-failures-only"
          labelText="Failures only"
          checked={filters.failuresOnly}
          onChange={(_event, { checked }) => update("failuresOnly", checked)}
        />
        <Select
          id="audit-range"
          labelText="Time range"
          size="md"
          value={time.range}
          onChange={(event) => {
            if (isRangeChoice(event.target.value)) update("time", { range: event.target.value, custom: time.custom });
          }}
        >
          {PRESETS.map((preset) => (
            <SelectItem key={preset.id} value={preset.id} text={preset.text} />
          ))}
          <SelectItem value="custom" text="Custom range…" />
        </Select>
        {time.range === "custom" && (
          <DatePicker
            className="audit-filters__dates"
            datePickerType="range"
            dateFormat="Y-m-d"
            maxDate={new Date(keystoreNow())}
            value={[time.custom.start, time.custom.end].filter((date) => date !== undefined)}
            onChange={(dates: Date[]) => {
              const [start, end] = dates;
              const custom = { ...(start === undefined ? {} : { start }), ...(end === undefined ? {} : { end }) };
              update("time", { range: "custom", custom });
            }}
          >
            <DatePickerInput id="audit-since" labelText="From (day)" placeholder="yyyy-mm-dd" size="md" />
            <DatePickerInput id="audit-until" labelText="To (day, included)" placeholder="yyyy-mm-dd" size="md" />
          </DatePicker>
        )}
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
      {cutOff !== null && (
        <InlineNotification
          id="audit-export-cut-off"
          kind="warning"
          title={`The export stopped at ${formatNumber(cutOff)} events`}
          subtitle={`It holds the newest ${formatNumber(EXPORT_CAP)} events that match; older ones were left out. Narrow the time range to export them.`}
          lowContrast
          onClose={() => setCutOff(null)}
        />
      )}
      {time.narrowedFrom !== undefined && time.custom.window !== undefined && (
        <NarrowedRange window={time.custom.window} onClear={clearNarrowing} />
      )}
      {pages !== null && (
        <AuditHistogram
          events={pages.events}
          bounds={pages.filter}
          queriedAt={pages.queriedAt}
          complete={!pages.more}
          onNarrow={narrow}
        />
      )}
      {pages === null ? (
        error === undefined && (
          <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={5} showHeader={false} />
        )
      ) : (
        <TableContainer id="audit-table" aria-busy={stale}>
          <TableToolbar aria-label="Audit log toolbar">
            <TableToolbarContent>
              {exporting !== null && (
                <InlineLoading
                  className="audit-export__progress"
                  description={`Exporting… ${formatNumber(exporting.count)} events`}
                />
              )}
              <Button
                id="audit-export-csv"
                kind="ghost"
                renderIcon={Download}
                disabled={exporting !== null || stale}
                onClick={() => void exportAs("csv")}
              >
                Export CSV
              </Button>
              <Button
                id="audit-export-json"
                kind="ghost"
                renderIcon={Download}
                disabled={exporting !== null || stale}
                onClick={() => void exportAs("json")}
              >
                Export JSON
              </Button>
            </TableToolbarContent>
          </TableToolbar>
          <Table aria-label="Audit events" size={tableSize}>
            <TableHead>
              <TableRow>
                <TableExpandHeader aria-label="Show the event's JSON" />
                {HEADERS.map((header) => (
                  <TableHeader key={header}>{header}</TableHeader>
                ))}
              </TableRow>
            </TableHead>
            <TableBody className={stale ? "key-table__body--stale" : undefined}>
              {pages.events.length === 0 && (
                <TableRow>
                  <TableCell colSpan={HEADERS.length + 1}>No events match these filters.</TableCell>
                </TableRow>
              )}
              {pages.events.map((event) => (
                <Fragment key={event.seq}>
                  <TableExpandRow
                    data-seq={event.seq}
                    aria-label={`Show event ${event.seq} as JSON`}
                    isExpanded={expanded.has(event.seq)}
                    onExpand={() => toggle(event.seq)}
                  >
                    <TableCell>
                      <time dateTime={event.at}>{formatTimestamp(event.at)}</time>
                    </TableCell>
                    <TableCell>
                      {event.initiator}
                      <Source event={event} />
                    </TableCell>
                    <TableCell>
                      <code>{event.action}</code>
                    </TableCell>
                    <TableCell>
                      <AuditTarget event={event} onOpenKey={setOpenKeyId} />
                      <KeyVersion event={event} />
                    </TableCell>
                    <TableCell>
                      <OutcomeTag outcome={event.outcome} />
                    </TableCell>
                    <TableCell>
                      <CorrelationId id={event.correlationId} />
                    </TableCell>
                  </TableExpandRow>
                  {expanded.has(event.seq) && (
                    <TableExpandedRow colSpan={HEADERS.length + 1} data-event-json={event.seq}>
                      <CodeSnippet type="multi" feedback="Copied" aria-label={`Event ${event.seq} as JSON`}>
                        {JSON.stringify(event, null, 2)}
                      </CodeSnippet>
                      <CorrelationIdCopy
                        event={event}
                        onShowRequest={(correlationId) => update("correlationId", correlationId)}
                      />
                    </TableExpandedRow>
                  )}
                </Fragment>
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
      {openKeyId !== null && (
        <KeyDetailsPanel
          keyId={openKeyId}
          refreshToken={refreshToken + keyChanges}
          onChanged={() => setKeyChanges((n) => n + 1)}
          onClose={() => setOpenKeyId(null)}
        />
      )}
    </div>
  );
}
