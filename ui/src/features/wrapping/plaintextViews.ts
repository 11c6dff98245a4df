import { decodeBase64 } from "../../lib/base64";

/** The ways an unwrapped plaintext can be read. */
export type PlaintextView = "base64" | "hex" | "utf8";

export const VIEW_LABELS: Record<PlaintextView, string> = { base64: "Base64", hex: "Hex", utf8: "UTF-8" };

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function asUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

const asHex = (bytes: Uint8Array) => Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");

/** The plaintext (base64, as the keystore returns it) in one view; null when it cannot be read that way. */
export function plaintextIn(base64: string, view: PlaintextView): string | null {
  if (view === "base64") return base64;
  const bytes = decodeBase64(base64);
  if (bytes === null) return null;
  return view === "hex" ? asHex(bytes) : asUtf8(bytes);
}

/** The views this plaintext offers: UTF-8 only when its bytes are valid UTF-8. */
export function viewsOf(base64: string): PlaintextView[] {
  const views: PlaintextView[] = ["base64"];
  const bytes = decodeBase64(base64);
  if (bytes === null) return views;
  views.push("hex");
  if (bytes.length > 0 && asUtf8(bytes) !== null) views.push("utf8");
  return views;
}
