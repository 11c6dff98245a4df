import { CodeSnippet, InlineNotification, StructuredListBody, StructuredListCell, StructuredListRow, StructuredListWrapper, TextArea, Tile } from "@carbon/react";
import { useState } from "react";
import { inspectEnvelope, type EnvelopeInspection } from "./envelopeFormat";

/** Reads a wrapped DEK's header in the page: which key version sealed it, without a call. */
export function InspectCiphertext() {
  const [text, setText] = useState("");
  const inspection = text.trim() === "" ? null : inspectEnvelope(text);
  return (
    <Tile className="envelope-inspect">
      <h2 className="envelope-inspect__title">Inspect a ciphertext</h2>
      <p className="envelope-inspect__intro">
        Paste a wrapped DEK to see which key version sealed it. Only the clear header is read; nothing is sent anywhere
        and the DEK stays sealed.
      </p>
      <TextArea
        id="inspect-ciphertext"
        labelText="Ciphertext (base64)"
        rows={3}
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {inspection !== null && <Verdict inspection={inspection} />}
    </Tile>
  );
}

function Verdict({ inspection }: { inspection: EnvelopeInspection }) {
  switch (inspection.kind) {
    case "strongroom":
      return (
        <StructuredListWrapper isCondensed aria-label="Envelope header" id="inspect-ciphertext-result">
          <StructuredListBody>
            <Row label="Format">Strongroom envelope, version {inspection.format}</Row>
            <Row label="Key version">
              <CodeSnippet type="inline" feedback="Copied">
                {inspection.keyVersion}
              </CodeSnippet>
            </Row>
            <Row label="Nonce">{inspection.nonceHex}</Row>
            <Row label="Sealed DEK">{inspection.dekBytes} bytes</Row>
            <Row label="To unwrap">
              Use the root key that has this version (its Versions list shows the IDs), with the same AAD as the wrap.
            </Row>
          </StructuredListBody>
        </StructuredListWrapper>
      );
    case "not-base64":
      return <Notice kind="error" title="Not base64" subtitle="A ciphertext is standard base64 with padding." />;
    case "foreign":
      return (
        <Notice
          kind="info"
          title="Not a Strongroom envelope"
          subtitle={`${inspection.bytes} bytes without Strongroom's header. Key Protect's ciphertexts are opaque: unwrap it with the key that wrapped it.`}
        />
      );
    case "unsupported-format":
      return (
        <Notice
          kind="warning"
          title={`Envelope format ${inspection.format}`}
          subtitle="Written by a newer Strongroom than this console understands."
        />
      );
    case "truncated":
      return (
        <Notice
          kind="error"
          title="Cut off"
          subtitle={`Only ${inspection.bytes} bytes: shorter than any envelope. Check the paste is complete.`}
        />
      );
  }
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <StructuredListRow>
      <StructuredListCell noWrap>{label}</StructuredListCell>
      <StructuredListCell>{children}</StructuredListCell>
    </StructuredListRow>
  );
}

function Notice({ kind, title, subtitle }: { kind: "error" | "info" | "warning"; title: string; subtitle: string }) {
  return <InlineNotification kind={kind} lowContrast hideCloseButton title={title} subtitle={subtitle} />;
}
