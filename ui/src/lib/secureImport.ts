import { decodeBase64, encodeBase64 } from "./base64";
import type { CreateKeyRequest, ImportTokenInfo } from "./types";

/** Root key material may be 16, 24 or 32 bytes (AES-128, -192 or -256). */
export const ROOT_KEY_SIZES = [16, 24, 32] as const;

/** The only algorithm the console uses; Key Protect requires it too. */
export const IMPORT_ALGORITHM = "RSAES_OAEP_SHA_256";

/** What secure import sends in place of plain material. */
export type SealedMaterial = Required<Pick<CreateKeyRequest, "payload" | "encryptedNonce" | "iv" | "encryptionAlgorithm">>;

/** Why material could not be sealed; the UI turns `reason` into a sentence. */
export class SecureImportError extends Error {
  readonly reason: "MATERIAL_SIZE" | "TOKEN_INCOMPLETE" | "PUBLIC_KEY" | "AES_KEY_SIZE";

  constructor(reason: SecureImportError["reason"], message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SecureImportError";
    this.reason = reason;
  }
}

const PEM_PUBLIC_KEY = /-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\s]+)-----END PUBLIC KEY-----/;

/** The DER SubjectPublicKeyInfo inside the token's payload (base64 of a PEM "PUBLIC KEY"). */
export function publicKeyDer(tokenPayload: string): Uint8Array {
  const pemBytes = decodeBase64(tokenPayload);
  const pem = pemBytes === null ? "" : new TextDecoder().decode(pemBytes);
  const body = PEM_PUBLIC_KEY.exec(pem)?.[1]?.replace(/\s+/g, "");
  const der = body === undefined ? null : decodeBase64(body);
  if (der === null || der.length === 0) {
    throw new SecureImportError("PUBLIC_KEY", "the import token's public key is not a PEM public key");
  }
  return der;
}

// WebCrypto wants ArrayBuffer-backed views; copying also keeps callers' buffers untouched.
const buffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);

/**
 * Secure import, done locally: the material is RSA-OAEP-SHA-256 encrypted to the token's public
 * key, and the token's nonce is AES-GCM sealed under the material itself (12-byte random IV, no
 * AAD), which proves to the keystore that the material was prepared for this token.
 */
export async function sealForImport(
  material: Uint8Array,
  token: Pick<ImportTokenInfo, "payload" | "nonce">,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<SealedMaterial> {
  if (!(ROOT_KEY_SIZES as readonly number[]).includes(material.length)) {
    throw new SecureImportError("MATERIAL_SIZE", `root key material must be 16, 24 or 32 bytes, not ${material.length}`);
  }
  const nonce = token.nonce === undefined ? null : decodeBase64(token.nonce);
  if (token.payload === undefined || nonce === null) {
    throw new SecureImportError("TOKEN_INCOMPLETE", "the import token came without its public key or nonce");
  }

  let publicKey: CryptoKey;
  try {
    publicKey = await subtle.importKey(
      "spki",
      buffer(publicKeyDer(token.payload)),
      { name: "RSA-OAEP", hash: "SHA-256" },
      false,
      ["encrypt"],
    );
  } catch (thrown) {
    if (thrown instanceof SecureImportError) throw thrown;
    throw new SecureImportError("PUBLIC_KEY", "the import token's public key is not an RSA key", { cause: thrown });
  }

  let sealingKey: CryptoKey;
  try {
    sealingKey = await subtle.importKey("raw", buffer(material), { name: "AES-GCM" }, false, ["encrypt"]);
  } catch (thrown) {
    // Some engines (Chromium) refuse 192-bit AES keys.
    throw new SecureImportError("AES_KEY_SIZE", "this engine cannot use key material of this size", { cause: thrown });
  }

  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const encryptedMaterial = await subtle.encrypt({ name: "RSA-OAEP" }, publicKey, buffer(material));
  const encryptedNonce = await subtle.encrypt({ name: "AES-GCM", iv: buffer(iv), tagLength: 128 }, sealingKey, buffer(nonce));

  return {
    payload: encodeBase64(new Uint8Array(encryptedMaterial)),
    encryptedNonce: encodeBase64(new Uint8Array(encryptedNonce)),
    iv: encodeBase64(iv),
    encryptionAlgorithm: IMPORT_ALGORITHM,
  };
}

/** Bytes of the fingerprint shown: 16 of SHA-256's 32, as 32 hex digits; enough to compare by eye. */
const FINGERPRINT_BYTES = 16;

/**
 * The import token's public key fingerprint: SHA-256 of its DER SubjectPublicKeyInfo (what
 * `openssl pkey -pubin -outform DER | openssl dgst -sha256` prints), the first 16 bytes in hex,
 * grouped in fours so a person can read it aloud and compare it out of band.
 */
export async function publicKeyFingerprint(
  tokenPayload: string,
  subtle: SubtleCrypto = globalThis.crypto.subtle,
): Promise<string> {
  const digest = new Uint8Array(await subtle.digest("SHA-256", buffer(publicKeyDer(tokenPayload))));
  const hex = Array.from(digest.subarray(0, FINGERPRINT_BYTES), (byte) => byte.toString(16).padStart(2, "0")).join("");
  return hex.match(/.{4}/g)?.join(" ") ?? hex;
}
