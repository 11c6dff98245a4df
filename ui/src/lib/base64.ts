const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Strict standard base64 with padding, ignoring surrounding whitespace. */
export function isBase64(text: string): boolean {
  const trimmed = text.trim();
  return trimmed.length > 0 && BASE64.test(trimmed);
}

/** Decoded bytes, or null when the text is not valid base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const trimmed = text.trim();
  if (!BASE64.test(trimmed)) {
    return null;
  }
  const binary = atob(trimmed);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes;
}

/** Number of bytes a base64 string encodes, or null when it is not base64. */
export function byteLength(text: string): number | null {
  return decodeBase64(text)?.length ?? null;
}

/** Whether two base64 strings encode the same bytes. */
export function sameBytes(a: string, b: string): boolean {
  const left = decodeBase64(a);
  const right = decodeBase64(b);
  if (left === null || right === null) {
    return a === b;
  }
  return left.length === right.length && left.every((byte, i) => byte === right[i]);
}

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) {
    binary += String.fromCharCode(byte);
  }
  return btoa(binary);
}
