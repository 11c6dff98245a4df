import { Button, CodeSnippet } from "@carbon/react";
import { shortId } from "../../lib/format";
import type { AuditEventInfo } from "../../lib/types";
import { keyTargetOf } from "./auditTarget";

/** An event's target: a link that opens the key when it is one, the bare id otherwise. */
export function AuditTarget({ event, onOpenKey }: { event: AuditEventInfo; onOpenKey: (keyId: string) => void }) {
  const keyId = keyTargetOf(event);
  if (keyId === undefined) return <code>{event.target}</code>;
  return (
    <button
      type="button"
      className="cds--link audit__key-link"
      data-key-target={keyId}
      aria-label={`Open key ${keyId}`}
      onClick={() => onOpenKey(keyId)}
    >
      <code>{event.target}</code>
    </button>
  );
}

/** Under the target: the key version a wrap, unwrap or rewrap used, short, whole on hover. */
export function KeyVersion({ event }: { event: AuditEventInfo }) {
  if (event.keyVersion === undefined) return null;
  return (
    <span className="audit__detail">
      version{" "}
      <code data-key-version={event.keyVersion} title={event.keyVersion}>
        {shortId(event.keyVersion)}
      </code>
    </span>
  );
}

/**
 * Under the initiator: the caller's network address. Nothing for the desktop's own calls, which
 * have none, and for events recorded before addresses were kept.
 */
export function Source({ event }: { event: AuditEventInfo }) {
  if (event.source === undefined) return null;
  return (
    <span className="audit__detail" data-source={event.source}>
      from {event.source}
    </span>
  );
}

/**
 * The correlation id in the table: short, whole on hover. Plain text, as a copy control on every
 * one of hundreds of rows slows the table; the expanded row copies it whole.
 */
export function CorrelationId({ id }: { id: string }) {
  if (id === "") return <span className="audit__muted">—</span>;
  return (
    <code className="audit__correlation" data-correlation-id={id} title={id}>
      {shortId(id)}
    </code>
  );
}

/**
 * The expanded row's correlation id, copied whole with one click, to find the call in other logs;
 * or used as the filter, to see everything that one request did (a refusal and its retry share
 * none, a secure import's steps each have their own).
 */
export function CorrelationIdCopy({
  event,
  onShowRequest,
}: {
  event: AuditEventInfo;
  onShowRequest: (correlationId: string) => void;
}) {
  if (event.correlationId === "") return null;
  return (
    <div className="audit__correlation-copy">
      <span className="cds--label">Correlation ID</span>
      <CodeSnippet
        type="inline"
        feedback="Copied"
        copyText={event.correlationId}
        aria-label={`Copy correlation ID ${event.correlationId}`}
      >
        {event.correlationId}
      </CodeSnippet>
      <Button
        kind="ghost"
        size="sm"
        data-show-request={event.correlationId}
        onClick={() => onShowRequest(event.correlationId)}
      >
        Show this request&apos;s events
      </Button>
    </div>
  );
}
