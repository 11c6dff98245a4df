import {
  DataTable,
  DataTableSkeleton,
  InlineNotification,
  Pagination,
  Select,
  SelectItem,
  Table,
  TableBatchAction,
  TableBatchActions,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  TableSelectAll,
  TableSelectRow,
  TableToolbar,
  TableToolbarContent,
  TableToolbarSearch,
  Tag,
} from "@carbon/react";
import type { DataTableSortState } from "@carbon/react/lib/components/DataTable/state/sortStates";
import { Add, CheckmarkOutline, Download, FolderMoveTo, PauseOutline, TrashCan } from "@carbon/icons-react";
import { useCallback, useMemo, useState } from "react";
import { GuardedButton } from "../../components/GuardedButton";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useNotify } from "../../components/notifications";
import { ACTIONS, deniedProps, useAccess } from "../../lib/access";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { ALL_STATES } from "../../lib/format";
import { useDebouncedValue } from "../../lib/hooks/useDebouncedValue";
import { useShortcut, useSlashToSearch } from "../../lib/hooks/useShortcut";
import { useRequest } from "../../lib/hooks/useRequest";
import { useSaveExport } from "../../lib/hooks/useSaveExport";
import { useNow } from "../../lib/hooks/useNow";
import { useKeyColumns, useTableSize, useWarnDays } from "../../lib/preferences";
import type { KeyInfo, KeySort, KeySortField, KeyStateName, KeyType } from "../../lib/types";
import { batchAccess, keysToCsv, roleActionFor, type BatchAction, type BatchOutcome, type BatchPlan } from "./batch";
import { CreateKeyModal } from "./CreateKeyModal";
import { KeyActions } from "./KeyActions";
import { KeyBatchDialog } from "./KeyBatchDialog";
import { KeyColumnSettings } from "./KeyColumnSettings";
import { KeyColumnValue } from "./KeyColumnValue";
import { KeyIdCopy } from "./KeyIdCopy";
import { keyTableHeaders, orderedColumns } from "./keyColumns";
import {
  filterChips,
  filtersStates,
  propertyFilters,
  statesToList,
  withoutState,
  type FilterChip,
  type KeyProperty,
} from "./filterChips";
import { KeyFilterChips } from "./KeyFilterChips";
import { KeySearchSyntax } from "./KeySearchSyntax";
import { KeyPropertyFilter } from "./KeyPropertyFilter";
import { KeyStateFilter } from "./KeyStateFilter";
import { KeyStatusIndicator } from "./KeyStatusIndicator";
import { PageJump, type PageSelectProps } from "./PageJump";
import { PendingDeletionTag } from "./PendingDeletionTag";
import { RestoreWindow } from "./RestoreWindow";
import type { KeyDetailsSection } from "./sectionRules";

const SEARCH_DEBOUNCE_MS = 250;
const PAGE_SIZES = [10, 20, 50, 100];
/**
 * Carbon's pagination lists every page as an `<option>`: 10,000 of them for 100,000 keys at
 * ten a page, which took WebKit most of two seconds to lay out on the first render. Past
 * this many pages a number field jumps to a page instead.
 */
const PAGE_SELECT_LIMIT = 100;
const pageJumpFor = (totalPages: number) =>
  totalPages > PAGE_SELECT_LIMIT
    ? (props: PageSelectProps) => <PageJump key={props.currentPage} {...props} />
    : undefined;

/** Newest first, as Key Protect lists keys when no order is asked for. */
const DEFAULT_SORT: KeySort = { field: "creationDate", descending: true };

/** A header click cycles ascending → descending → the default order. */
function nextSort(current: KeySort, field: KeySortField): KeySort {
  if (current.field !== field) return { field, descending: false };
  if (!current.descending) return { field, descending: true };
  return DEFAULT_SORT;
}

type TypeFilter = "all" | KeyType;
const TYPE_ITEMS: { id: TypeFilter; text: string }[] = [
  { id: "all", text: "All types" },
  { id: "root", text: "Root keys" },
  { id: "standard", text: "Standard keys" },
];

/** Selected keys by id, kept across pages; `scope` is the search and filters they were chosen under. */
interface Selection {
  scope: string;
  keys: ReadonlyMap<string, KeyInfo>;
}

const NOTHING_SELECTED: ReadonlyMap<string, KeyInfo> = new Map();

const countKeys = (n: number) => `${n} ${n === 1 ? "key" : "keys"}`;

/** Carbon's batch bar counts "items"; this one counts keys. */
function batchText(id: string, args?: { totalSelected?: number; totalCount?: number }): string {
  const selected = args?.totalSelected ?? 0;
  switch (id) {
    case "carbon.table.batch.cancel":
      return "Cancel";
    case "carbon.table.batch.item.selected":
    case "carbon.table.batch.items.selected":
      return `${countKeys(selected)} selected`;
    default:
      return `Select all (${args?.totalCount ?? 0})`;
  }
}

/** The toast that stays in the notice log after the summary dialog is closed. */
function summaryNotice(action: BatchAction, outcome: BatchOutcome, plan: BatchPlan) {
  const names = { disable: "Disabled", enable: "Enabled", move: "Moved", delete: "Deleted or scheduled" } as const;
  const failures = outcome.failed.map(({ step, error }) => `${step.key.name}: ${describe(error)}`);
  const skipped = plan.skipped.length === 0 ? [] : [`Skipped ${countKeys(plan.skipped.length)}.`];
  return {
    kind: outcome.failed.length === 0 ? ("success" as const) : ("error" as const),
    title: `${names[action]} ${outcome.done.length} of ${countKeys(plan.steps.length)}`,
    ...(failures.length + skipped.length === 0 ? {} : { subtitle: [...failures, ...skipped].join(" ") }),
  };
}

interface Paging {
  page: number;
  pageSize: number;
  /** The search and filter the page number belongs to; a new search starts at page 1. */
  filterKey: string;
}

interface Props {
  /** Bumped by the parent to reload; the table bumps it through `onChanged`. */
  refreshToken: number;
  onChanged: () => void;
  /**
   * Opens a key's details: a click on its row or name, or "Details" in its menu; the menu's
   * "Edit aliases", "Move to key ring", … open them at that section.
   */
  onOpen?: (key: KeyInfo, section?: KeyDetailsSection) => void;
  /** Opens the envelope encryption page with a key chosen, from its row menu. */
  onOpenEnvelope?: (key: KeyInfo) => void;
  /** The key whose details are open, highlighted in the table. */
  openKeyId?: string;
  /** Extra toolbar buttons, e.g. "Import root key". */
  toolbarActions?: React.ReactNode;
  /** What the first-use empty state offers beside "Create key"; the toolbar's actions when absent. */
  emptyActions?: React.ReactNode;
  /** The key ring filter to start with; the person can change or clear it. */
  initialKeyRing?: string;
}

export function KeyTable({
  refreshToken,
  onChanged,
  onOpen,
  onOpenEnvelope,
  openKeyId,
  toolbarActions,
  emptyActions = toolbarActions,
  initialKeyRing = "",
}: Props) {
  const backend = useBackend();
  const notify = useNotify();
  const can = useAccess();
  const saveExport = useSaveExport();
  const tableSize = useTableSize("md");
  // The status column's clock and horizon: one timer for the whole table.
  const now = useNow(60_000);
  const warnDays = useWarnDays();
  const [search, setSearch] = useState("");
  const [chosenStates, setStates] = useState<readonly KeyStateName[]>(ALL_STATES);
  const [keyRing, setKeyRing] = useState(initialKeyRing);
  const [keyType, setKeyType] = useState<TypeFilter>("all");
  const [properties, setProperties] = useState<readonly KeyProperty[]>([]);
  const [chosenSort, setSort] = useState<KeySort>(DEFAULT_SORT);
  // One array per choice: the listing reloads when the states change, not on every render.
  const states = useMemo(() => statesToList(chosenStates), [chosenStates]);
  const showRestorable = states.length === 1 && states[0] === "destroyed";
  const [chosenColumns] = useKeyColumns();
  const keyColumns = useMemo(() => orderedColumns(chosenColumns), [chosenColumns]);
  const columns = useMemo(() => keyTableHeaders(keyColumns, showRestorable), [keyColumns, showRestorable]);
  // A sort by a column no longer shown falls back to the default.
  const sort = columns.some((column) => column.sortBy === chosenSort.field) ? chosenSort : DEFAULT_SORT;
  const loadRings = useCallback(() => backend.keyRings(), [backend]);
  const rings = useRequest(loadRings, refreshToken);
  const [paging, setPaging] = useState<Paging>({ page: 1, pageSize: PAGE_SIZES[0] ?? 10, filterKey: "" });
  const [creating, setCreating] = useState(false);
  const [selection, setSelection] = useState<Selection>({ scope: "", keys: NOTHING_SELECTED });
  const [batch, setBatch] = useState<{ action: BatchAction; keys: KeyInfo[] } | null>(null);
  useSlashToSearch("key-search");
  // A new key goes to the key ring the table is filtered to, or to default.
  const mayCreate = can(ACTIONS.createKey, { keyRing: keyRing === "" ? "default" : keyRing });
  useShortcut("n", () => {
    if (mayCreate.allowed) setCreating(true);
  });

  const debouncedSearch = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const filterKey = JSON.stringify([debouncedSearch, states, keyRing, keyType, properties, sort]);
  const page = paging.filterKey === filterKey ? paging.page : 1;
  // A new search or filter shows other keys, so it starts a new selection; paging and sorting keep it.
  const selectionScope = JSON.stringify([debouncedSearch, states, keyRing, keyType, properties]);
  const selected = selection.scope === selectionScope ? selection.keys : NOTHING_SELECTED;
  const { pageSize } = paging;

  const load = useCallback(
    () =>
      backend.listKeys({
        offset: (page - 1) * pageSize,
        limit: pageSize,
        states,
        ...(debouncedSearch === "" ? {} : { search: debouncedSearch }),
        ...(keyRing === "" ? {} : { keyRing }),
        ...(keyType === "all" ? {} : { keyType }),
        ...propertyFilters(properties),
        sort: [sort],
      }),
    [backend, page, pageSize, states, debouncedSearch, keyRing, keyType, properties, sort],
  );
  const { data, error, loading } = useRequest(load, refreshToken);

  const keysById = useMemo(() => new Map((data?.keys ?? []).map((key) => [key.id, key])), [data]);
  const rows = useMemo(
    () =>
      (data?.keys ?? []).map((key) => ({
        id: key.id,
        name: key.name,
        keyRing: key.keyRing,
        aliases: key.aliases.join(", "),
        keyType: key.keyType,
        state: key.state,
        createdAt: key.createdAt,
        restorableUntil: key.deletedAt ?? "",
        actions: "",
      })),
    [data],
  );

  // The page's copy of a selected key is the fresher one: its state decides what a batch may do.
  const selectedKeys = [...selected.values()].map((key) => keysById.get(key.id) ?? key);
  const pageKeys = data?.keys ?? [];
  const pageSelected = pageKeys.filter((key) => selected.has(key.id)).length;

  const select = (keys: KeyInfo[], on: boolean) => {
    const next = new Map(selected);
    for (const key of keys) {
      if (on) next.set(key.id, key);
      else next.delete(key.id);
    }
    setSelection({ scope: selectionScope, keys: next });
  };
  const clearSelection = () => setSelection({ scope: selectionScope, keys: NOTHING_SELECTED });

  const startBatch = (action: BatchAction) => setBatch({ action, keys: selectedKeys });
  const batchButtonAccess = (action: BatchAction) => {
    const access = batchAccess(selectedKeys, (key) =>
      can(roleActionFor(action, key), { keyId: key.id, keyRing: key.keyRing }),
    );
    return { "data-batch": action, onClick: () => startBatch(action), ...deniedProps(access) };
  };
  const batchFinished = (action: BatchAction, outcome: BatchOutcome, plan: BatchPlan) => {
    notify(summaryNotice(action, outcome, plan));
    clearSelection();
    onChanged();
  };
  const exportCsv = () => {
    const day = new Date().toISOString().slice(0, 10);
    // The desktop writes the file to Downloads and its toast names the path; a browser downloads it.
    const title = `Exported ${countKeys(selectedKeys.length)} to CSV`;
    void saveExport(`strongroom-keys-${day}.csv`, keysToCsv(selectedKeys), undefined, title);
  };

  const openCreate = () => setCreating(true);
  const created = (key: KeyInfo) => {
    setCreating(false);
    notify({ kind: "success", title: `Key ${key.name} created` });
    onChanged();
  };

  const createModal = creating && (
    <CreateKeyModal
      {...(keyRing === "" ? {} : { keyRing })}
      onClose={() => setCreating(false)}
      onCreated={created}
    />
  );
  const createButton = (
    <GuardedButton
      id="create-key-button"
      access={mayCreate}
      renderIcon={Add}
      onClick={openCreate}
      title="Create a key (n)"
    >
      Create key
    </GuardedButton>
  );

  if (data === undefined && error === undefined) {
    return <DataTableSkeleton headers={columns} columnCount={columns.length} rowCount={5} showHeader={false} />;
  }

  const unfiltered =
    debouncedSearch === "" &&
    search.trim() === "" &&
    !filtersStates(states) &&
    keyRing === "" &&
    keyType === "all" &&
    properties.length === 0;
  if (data !== undefined && data.total === 0 && unfiltered) {
    return (
      <section className="key-table__empty" aria-labelledby="key-table-empty-title">
        <h2 id="key-table-empty-title" className="key-table__empty-title">
          No keys yet
        </h2>
        <p>Create a root key to start wrapping data encryption keys, or import key material you already have.</p>
        <div className="key-table__empty-actions">
          {createButton}
          {emptyActions}
        </div>
        {createModal}
      </section>
    );
  }

  const total = data?.total ?? 0;
  const chips = filterChips({ states, keyType, keyRing, properties, search: debouncedSearch });
  // Filtering stays in the keystore: a chip only resets what the toolbar asks for.
  const dismissFilter = ({ name, state, property }: FilterChip) => {
    if (state !== undefined) setStates(withoutState(states, state));
    else if (property !== undefined) setProperties(properties.filter((chosen) => chosen !== property));
    else if (name === "keyType") setKeyType("all");
    else if (name === "keyRing") setKeyRing("");
    else setSearch("");
  };
  const clearFilters = () => {
    setStates(ALL_STATES);
    setKeyType("all");
    setKeyRing("");
    setProperties([]);
    setSearch("");
  };
  const showBatch = selected.size > 0;
  const description = (
    <span className="key-table__summary">
      <span id="key-total">{total}</span> {total === 1 ? "key" : "keys"}
      <span className="key-table__loading" role="status">
        {loading ? "· refreshing…" : ""}
      </span>
    </span>
  );

  return (
    <>
      <DataTable rows={rows} headers={columns} size={tableSize}>
        {({ rows: tableRows, headers, getTableProps, getHeaderProps, getRowProps, getToolbarProps }) => (
          <TableContainer title="Keys" description={description} aria-busy={loading}>
            <TableToolbar {...getToolbarProps()} aria-label="Key table toolbar">
              <TableBatchActions
                id="key-batch-actions"
                shouldShowBatchActions={showBatch}
                totalSelected={selected.size}
                totalCount={total}
                onCancel={clearSelection}
                translateWithId={batchText}
              >
                {/* Rendered only while shown, so hidden actions are neither tabbable nor found by name. */}
                {showBatch && (
                  <>
                    <TableBatchAction
                      renderIcon={PauseOutline}
                      {...batchButtonAccess("disable")}
                    >
                      Disable
                    </TableBatchAction>
                    <TableBatchAction
                      renderIcon={CheckmarkOutline}
                      {...batchButtonAccess("enable")}
                    >
                      Enable
                    </TableBatchAction>
                    <TableBatchAction
                      renderIcon={FolderMoveTo}
                      {...batchButtonAccess("move")}
                    >
                      Move to key ring
                    </TableBatchAction>
                    <TableBatchAction
                      renderIcon={TrashCan}
                      {...batchButtonAccess("delete")}
                    >
                      Delete
                    </TableBatchAction>
                    <TableBatchAction
                      renderIcon={Download}
                      data-batch="export"
                      onClick={exportCsv}
                    >
                      Export CSV
                    </TableBatchAction>
                  </>
                )}
              </TableBatchActions>
              {/* The class sits here: Carbon's TableToolbar drops a className it is given. */}
              <TableToolbarContent aria-hidden={showBatch} className="key-table__toolbar">
                <TableToolbarSearch
                  persistent
                  id="key-search"
                  labelText="Search keys"
                  // Short enough to show in the narrow box a 1280 px window leaves; "/" is in the title.
                  placeholder="Search"
                  title="Search keys (press /)"
                  value={search}
                  onChange={(_event, value) => setSearch(value ?? "")}
                />
                <KeySearchSyntax />
                <KeyStateFilter states={states} onChange={setStates} />
                <Select
                  id="key-type-filter"
                  className="key-table__filter"
                  labelText="Key type"
                  hideLabel
                  inline
                  size="lg"
                  value={keyType}
                  onChange={(event) => setKeyType(event.target.value as TypeFilter)}
                >
                  {TYPE_ITEMS.map((item) => (
                    <SelectItem key={item.id} value={item.id} text={item.text} />
                  ))}
                </Select>
                <Select
                  id="key-ring-filter"
                  className="key-table__filter"
                  labelText="Key ring"
                  hideLabel
                  inline
                  size="lg"
                  value={keyRing}
                  onChange={(event) => setKeyRing(event.target.value)}
                >
                  <SelectItem value="" text="All rings" />
                  {(rings.data ?? []).map((ring) => (
                    <SelectItem key={ring.id} value={ring.id} text={`Ring: ${ring.id}`} />
                  ))}
                </Select>
                <KeyPropertyFilter properties={properties} onChange={setProperties} />
                <KeyColumnSettings />
                {toolbarActions}
                {createButton}
              </TableToolbarContent>
            </TableToolbar>
            <KeyFilterChips chips={chips} onDismiss={dismissFilter} onClear={clearFilters} />
            {error !== undefined && (
              <InlineNotification
                id="key-table-error"
                kind="error"
                title="Keys could not be listed"
                subtitle={describe(error)}
                lowContrast
                hideCloseButton
              />
            )}
            <Table {...getTableProps()} aria-label="Keys">
              <TableHead>
                <TableRow>
                  <TableSelectAll
                    id="key-select-all"
                    name="key-select-all"
                    aria-label="Select all keys on this page"
                    checked={pageKeys.length > 0 && pageSelected === pageKeys.length}
                    indeterminate={pageSelected > 0 && pageSelected < pageKeys.length}
                    disabled={pageKeys.length === 0}
                    onSelect={() => select(pageKeys, pageSelected < pageKeys.length)}
                  />
                  {headers.map((header) => {
                    const { key, ...headerProps } = getHeaderProps({ header, isSortable: false });
                    const sortBy = columns.find((h) => h.key === header.key)?.sortBy;
                    const direction: DataTableSortState =
                      sort.field === sortBy ? (sort.descending ? "DESC" : "ASC") : "NONE";
                    // Sorting happens in the keystore: the header only says which order to ask for.
                    const sortProps =
                      sortBy === undefined
                        ? {}
                        : {
                            isSortable: true,
                            isSortHeader: sort.field === sortBy,
                            sortDirection: direction,
                            onClick: () => setSort((current) => nextSort(current, sortBy)),
                            "data-sort-field": sortBy,
                          };
                    return (
                      <TableHeader
                        key={key}
                        {...headerProps}
                        {...sortProps}
                        className={header.key === "status" ? "key-table__status" : undefined}
                      >
                        {header.key === "actions" || header.key === "status" ? (
                          <span className="cds--visually-hidden">{header.key === "actions" ? "Actions" : header.header}</span>
                        ) : (
                          header.header
                        )}
                      </TableHeader>
                    );
                  })}
                </TableRow>
              </TableHead>
              <TableBody className={loading ? "key-table__body--stale" : undefined}>
                {tableRows.length === 0 && (
                  <TableRow>
                    <TableCell colSpan={columns.length + 1} className="key-table__no-match">
                      {total === 0 ? "No keys match this search and filter." : "No keys on this page."}
                    </TableCell>
                  </TableRow>
                )}
                {tableRows.map((row) => {
                  const keyInfo = keysById.get(row.id);
                  if (keyInfo === undefined) return null;
                  const { key, ...rowProps } = getRowProps({ row });
                  return (
                    <TableRow
                      key={key}
                      {...rowProps}
                      className={keyInfo.id === openKeyId ? "key-table__row--open" : undefined}
                      isSelected={selected.has(keyInfo.id)}
                      data-key-id={keyInfo.id}
                      data-key-name={keyInfo.name}
                      onClick={
                        onOpen === undefined
                          ? undefined
                          : (event: React.MouseEvent) => {
                              // The checkbox's cell selects; the rest of the row opens details.
                              if ((event.target as Element).closest(".cds--table-column-checkbox") !== null) return;
                              onOpen(keyInfo);
                            }
                      }
                    >
                      <TableSelectRow
                        id={`key-select-${keyInfo.id}`}
                        name="key-select"
                        aria-label={`Select ${keyInfo.name}`}
                        checked={selected.has(keyInfo.id)}
                        onSelect={() => select([keyInfo], !selected.has(keyInfo.id))}
                      />
                      <TableCell className="key-table__status">
                        <KeyStatusIndicator keyInfo={keyInfo} warnDays={warnDays} now={now} />
                      </TableCell>
                      <TableCell className="key-table__name">
                        {onOpen === undefined ? (
                          <span title={keyInfo.description ?? keyInfo.name}>{keyInfo.name}</span>
                        ) : (
                          <button
                            type="button"
                            className="key-table__name-button"
                            title={keyInfo.description ?? `Details of ${keyInfo.name}`}
                            aria-expanded={keyInfo.id === openKeyId}
                            onClick={(event) => {
                              event.stopPropagation();
                              onOpen(keyInfo);
                            }}
                          >
                            {keyInfo.name}
                          </button>
                        )}
                      </TableCell>
                      <TableCell>
                        <KeyIdCopy id={keyInfo.id} />
                      </TableCell>
                      <TableCell>{keyInfo.keyRing}</TableCell>
                      <TableCell>
                        {keyInfo.aliases.map((alias) => (
                          <Tag key={alias} size="sm" type="cool-gray">
                            {alias}
                          </Tag>
                        ))}
                      </TableCell>
                      <TableCell>{keyInfo.keyType === "root" ? "Root" : "Standard"}</TableCell>
                      <TableCell>
                        <KeyStateTag state={keyInfo.state} />
                        {keyInfo.dualAuthDelete.keySetForDeletion && keyInfo.state !== "destroyed" && (
                          <PendingDeletionTag dualAuthDelete={keyInfo.dualAuthDelete} />
                        )}
                      </TableCell>
                      {keyColumns.map((column) => (
                        <TableCell key={column} data-column={column}>
                          <KeyColumnValue column={column} keyInfo={keyInfo} />
                        </TableCell>
                      ))}
                      {showRestorable && (
                        <TableCell data-restorable-until>
                          <RestoreWindow keyInfo={keyInfo} />
                        </TableCell>
                      )}
                      {/* The menu and its dialogs are not part of the row's click target. */}
                      <TableCell className="cds--table-column-menu" onClick={(event) => event.stopPropagation()}>
                        <KeyActions
                          keyInfo={keyInfo}
                          onChanged={onChanged}
                          onDetails={onOpen === undefined ? undefined : (section) => onOpen(keyInfo, section)}
                          onOpenEnvelope={onOpenEnvelope === undefined ? undefined : () => onOpenEnvelope(keyInfo)}
                        />
                      </TableCell>
                    </TableRow>
                  );
                })}
              </TableBody>
            </Table>
            <Pagination
              page={page}
              pageSize={pageSize}
              pageSizes={PAGE_SIZES}
              totalItems={total}
              itemsPerPageText="Keys per page:"
              renderPageSelect={pageJumpFor(Math.ceil(total / pageSize))}
              onChange={({ page: nextPage, pageSize: nextSize }) =>
                setPaging({
                  page: nextSize === pageSize ? nextPage : 1,
                  pageSize: nextSize,
                  filterKey,
                })
              }
            />
          </TableContainer>
        )}
      </DataTable>
      {createModal}
      {batch !== null && (
        <KeyBatchDialog
          action={batch.action}
          keys={batch.keys}
          keyRings={(rings.data ?? []).map((ring) => ring.id)}
          onFinished={(outcome, plan) => batchFinished(batch.action, outcome, plan)}
          onClose={() => setBatch(null)}
        />
      )}
    </>
  );
}
