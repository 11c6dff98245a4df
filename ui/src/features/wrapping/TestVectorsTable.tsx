import {
  Button,
  IconButton,
  InlineNotification,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableHeader,
  TableRow,
} from "@carbon/react";
import { TrashCan } from "@carbon/icons-react";
import { formatTimestamp, shortId } from "../../lib/format";
import { useTableSize } from "../../lib/preferences";
import type { TestVector } from "./testVectors";

const HEADERS = ["Label", "Key", "Key version", "AAD", "Saved", ""];

interface Props {
  vectors: readonly TestVector[];
  /** Stored entries that could not be read. */
  ignored: number;
  onLoad: (vector: TestVector) => void;
  onDelete: (vector: TestVector) => void;
}

function Aad({ items }: { items: readonly string[] }) {
  if (items.length === 0) return <span className="test-vectors__muted">None</span>;
  return <code className="test-vectors__aad">{items.map((item) => JSON.stringify(item)).join(", ")}</code>;
}

/** Wraps kept on this computer, to unwrap again later: after a rotation, an upgrade, a restore. */
export function TestVectorsTable({ vectors, ignored, onLoad, onDelete }: Props) {
  const size = useTableSize("sm");
  return (
    <section id="test-vectors" className="test-vectors" aria-labelledby="test-vectors-title">
      <h2 id="test-vectors-title" className="wrap-panel__title">
        Saved test vectors
      </h2>
      <p className="wrap-panel__intro">
        Ciphertexts saved after a wrap, with their key, key version and AAD, kept in this browser or app on this
        computer for this connection. Their DEKs are not kept: unwrap one to check that it still opens.
      </p>
      {ignored > 0 && (
        <InlineNotification
          id="test-vectors-ignored"
          kind="warning"
          title="Some stored test vectors could not be read"
          subtitle="They are left out, and dropped the next time a vector is saved or deleted."
          lowContrast
          hideCloseButton
        />
      )}
      {vectors.length === 0 ? (
        <p id="test-vectors-empty" className="test-vectors__muted">
          None yet. Wrap a DEK above, then choose Save as test vector.
        </p>
      ) : (
        <TableContainer id="test-vectors-table">
          <Table aria-label="Saved test vectors" size={size}>
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
              {vectors.map((vector) => (
                <TableRow key={vector.id} data-test-vector-id={vector.id}>
                  <TableCell>{vector.label}</TableCell>
                  <TableCell>
                    <code title={vector.keyId}>{shortId(vector.keyId)}</code>
                  </TableCell>
                  <TableCell>
                    <code title={vector.keyVersion}>{shortId(vector.keyVersion)}</code>
                  </TableCell>
                  <TableCell>
                    <Aad items={vector.aad} />
                  </TableCell>
                  <TableCell>
                    <time dateTime={vector.savedAt}>{formatTimestamp(vector.savedAt)}</time>
                  </TableCell>
                  <TableCell className="test-vectors__actions">
                    <Button kind="ghost" size="sm" data-action="load-test-vector" onClick={() => onLoad(vector)}>
                      Load into unwrap
                    </Button>
                    <IconButton
                      kind="ghost"
                      size="sm"
                      align="left"
                      label={`Delete test vector ${vector.label}`}
                      data-action="delete-test-vector"
                      onClick={() => onDelete(vector)}
                    >
                      <TrashCan />
                    </IconButton>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </section>
  );
}
