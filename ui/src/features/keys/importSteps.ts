import type { Backend } from "../../lib/backend";
import { publicKeyFingerprint, sealForImport } from "../../lib/secureImport";
import type { CreateImportTokenRequest, ImportTokenInfo, KeyInfo } from "../../lib/types";

/**
 * What the console shows of an import token: its lifetime and retrievals and its public key's
 * fingerprint, never the key itself or the nonce.
 */
export type ImportTokenMetadata = Omit<ImportTokenInfo, "payload" | "nonce"> & { fingerprint?: string };

/** Reports the step being started; from the encryption step on, with the retrieved token's metadata. */
export type OnImportStep = (index: number, token?: ImportTokenMetadata) => void;

async function metadataOf(token: ImportTokenInfo): Promise<ImportTokenMetadata> {
  const { creationDate, expirationDate, maxAllowedRetrievals, remainingRetrievals, payload } = token;
  // An unreadable public key is reported by the sealing step, in its own words.
  const fingerprint = payload === undefined ? undefined : await publicKeyFingerprint(payload).catch(() => undefined);
  return { creationDate, expirationDate, maxAllowedRetrievals, remainingRetrievals, ...(fingerprint === undefined ? {} : { fingerprint }) };
}

export const IMPORT_STEPS = [
  { label: "Create an import token", description: "The keystore makes a one-time RSA key pair and a nonce." },
  { label: "Retrieve its public key", description: "Uses up the token's single retrieval." },
  { label: "Encrypt the material here", description: "RSA-OAEP-SHA-256 and AES-GCM, in this window." },
  { label: "Import the root key", description: "Only ciphertext leaves this window." },
] as const;

export interface ImportRequest {
  name: string;
  description?: string;
  material: Uint8Array;
  /** The import token's lifetime and retrievals; Key Protect's defaults when absent. */
  token?: CreateImportTokenRequest;
}

/** A fresh import token, retrieved with its public key and nonce. */
async function freshToken(backend: Backend, onStep: OnImportStep, options: CreateImportTokenRequest = {}) {
  onStep(0);
  await backend.createImportToken(options);
  onStep(1);
  const token = await backend.importToken();
  onStep(2, await metadataOf(token));
  return token;
}

/**
 * Secure import of root key material: a fresh import token, its public key, local sealing, then
 * `createKey` with the sealed fields. `onStep` reports the index of the step being started.
 */
export async function importRootKey(
  backend: Backend,
  request: ImportRequest,
  onStep: OnImportStep,
  subtle?: SubtleCrypto,
): Promise<KeyInfo> {
  const token = await freshToken(backend, onStep, request.token);
  const sealed = await sealForImport(request.material, token, subtle);
  onStep(3);
  return backend.createKey({
    name: request.name,
    ...(request.description === undefined ? {} : { description: request.description }),
    keyType: "root",
    ...sealed,
  });
}

/** Rotates an imported root key onto new material, sent the same way as an import. */
export async function rotateImportedKey(
  backend: Backend,
  keyId: string,
  material: Uint8Array,
  onStep: OnImportStep = () => undefined,
  subtle?: SubtleCrypto,
): Promise<KeyInfo> {
  const token = await freshToken(backend, onStep);
  const sealed = await sealForImport(material, token, subtle);
  onStep(3);
  return backend.rotateKey({ keyId, ...sealed });
}
