import {
  CodeSnippet,
  DataTableSkeleton,
  InlineNotification,
  Pagination,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
  TableToolbar,
  TableToolbarContent,
  TableToolbarSearch,
} from "@carbon/react";
import { useCallback, useState } from "react";
import { KeyStateTag } from "../../components/KeyStateTag";
import { useBackend } from "../../lib/backend";
import { describe } from "../../lib/errors";
import { formatNumber, formatTimestamp } from "../../lib/format";
import { useDebouncedValue } from "../../lib/hooks/useDebouncedValue";
import { useRequest } from "../../lib/hooks/useRequest";
import { useTableSize } from "../../lib/preferences";

const HEADERS = ["Alias", "Key", "Key ID", "Key state", "Added", "Added by"];
const PAGE_SIZES = [20, 50, 100];
const SEARCH_DEBOUNCE_MS = 250;

interface Props {
  refreshToken: number;
}

/** Where every alias points, read from the keystore a page at a time in alias order. */
export function AliasesPage({ refreshToken }: Props) {
  const backend = useBackend();
  const [prefix, setPrefix] = useState("");
  const debounced = useDebouncedValue(prefix.trim(), SEARCH_DEBOUNCE_MS);
  const [paging, setPaging] = useState({ page: 1, pageSize: PAGE_SIZES[0] ?? 20, prefix: "" });
  // A new prefix starts from the first page.
  const page = paging.prefix === debounced ? paging.page : 1;
  const load = useCallback(
    () =>
      backend.listAliases({
        offset: (page - 1) * paging.pageSize,
        limit: paging.pageSize,
        ...(debounced === "" ? {} : { prefix: debounced }),
      }),
    [backend, page, paging.pageSize, debounced],
  );
  const { data, error, loading } = useRequest(load, refreshToken);
  const tableSize = useTableSize("lg");

  return (
    <div className="app-page" aria-busy={loading}>
      <header className="app-page__header">
        <h1 className="app-page__title">Aliases</h1>
        <p className="app-page__intro">
          An alias is a second name for a key that services can wrap and unwrap with instead of its ID; a key has at
          most five. This list answers which key an alias points to.
        </p>
      </header>
      {error !== undefined && (
        <InlineNotification
          id="aliases-error"
          kind="error"
          title="Aliases could not be listed"
          subtitle={describe(error)}
          lowContrast
          hideCloseButton
        />
      )}
      <TableContainer
        id="aliases-table"
        title="Aliases"
        description={data === undefined ? undefined : `${formatNumber(data.total)} ${debounced === "" ? "in this instance" : `starting with “${debounced}”`}`}
      >
        <TableToolbar aria-label="Aliases toolbar">
          <TableToolbarContent>
            <TableToolbarSearch
              id="aliases-search"
              persistent
              placeholder="Aliases starting with…"
              labelText="Aliases starting with"
              value={prefix}
              onChange={(event) => setPrefix(typeof event === "string" ? event : event.target.value)}
            />
          </TableToolbarContent>
        </TableToolbar>
        {data === undefined && error === undefined ? (
          <DataTableSkeleton headers={HEADERS.map((header) => ({ header, key: header }))} rowCount={5} showHeader={false} showToolbar={false} />
        ) : (
          <>
            <Table aria-label="Aliases" size={tableSize}>
              <TableHead>
                <TableRow>
                  {HEADERS.map((header) => (
                    <TableHeader key={header}>{header}</TableHeader>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {(data?.aliases ?? []).map((alias) => (
                  <TableRow key={alias.alias} data-alias={alias.alias}>
                    <TableCell>
                      <code className="aliases__alias">{alias.alias}</code>
                    </TableCell>
                    <TableCell>{alias.keyName}</TableCell>
                    <TableCell>
                      <CodeSnippet type="inline" feedback="Copied">
                        {alias.keyId}
                      </CodeSnippet>
                    </TableCell>
                    <TableCell>
                      <KeyStateTag state={alias.keyState} />
                    </TableCell>
                    <TableCell>
                      <time dateTime={alias.createdAt}>{formatTimestamp(alias.createdAt)}</time>
                    </TableCell>
                    <TableCell>{alias.createdBy}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
            {data !== undefined && data.total === 0 && (
              <p className="aliases-empty" id="aliases-empty">
                {debounced === ""
                  ? "No key has an alias yet. Add one from a key's details, or when creating the key."
                  : `No alias starts with “${debounced}”. Aliases are case-sensitive.`}
              </p>
            )}
            <Pagination
              page={page}
              pageSize={paging.pageSize}
              pageSizes={PAGE_SIZES}
              totalItems={data?.total ?? 0}
              itemsPerPageText="Aliases per page:"
              onChange={({ page: next, pageSize }) =>
                setPaging({ page: pageSize === paging.pageSize ? next : 1, pageSize, prefix: debounced })
              }
            />
          </>
        )}
      </TableContainer>
    </div>
  );
}
