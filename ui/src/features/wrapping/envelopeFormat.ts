import { decodeBase64 } from "../../lib/base64";

/**
 * What a ciphertext says about itself, read from the envelope header that Strongroom writes
 * (layout in `crates/strongroom-core/src/envelope.rs`): magic "SR", format 1, the 16-byte key
 * version id, the 12-byte nonce, then the sealed DEK and the 16-byte GCM tag. Nothing here is
 * secret: the header is stored in the clear, and the DEK stays sealed.
 */
export type EnvelopeInspection =
  | { kind: "strongroom"; format: number; keyVersion: string; nonceHex: string; dekBytes: number }
  | { kind: "not-base64" }
  | { kind: "foreign"; bytes: number }
  | { kind: "unsupported-format"; format: number }
  | { kind: "truncated"; bytes: number };

const MAGIC = [0x53, 0x52]; // "SR"
const FORMAT_V1 = 1;
const HEADER_LEN = 2 + 1 + 16 + 12;
const TAG_LEN = 16;

const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

function uuid(bytes: Uint8Array): string {
  const h = hex(bytes);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export function inspectEnvelope(base64: string): EnvelopeInspection {
  const bytes = decodeBase64(base64);
  if (bytes === null) return { kind: "not-base64" };
  if (bytes.length < 3 || bytes[0] !== MAGIC[0] || bytes[1] !== MAGIC[1]) {
    return { kind: "foreign", bytes: bytes.length };
  }
  const format = bytes[2] ?? 0;
  if (format !== FORMAT_V1) return { kind: "unsupported-format", format };
  if (bytes.length < HEADER_LEN + TAG_LEN + 1) return { kind: "truncated", bytes: bytes.length };
  return {
    kind: "strongroom",
    format,
    keyVersion: uuid(bytes.subarray(3, 19)),
    nonceHex: hex(bytes.subarray(19, HEADER_LEN)),
    dekBytes: bytes.length - HEADER_LEN - TAG_LEN,
  };
}
