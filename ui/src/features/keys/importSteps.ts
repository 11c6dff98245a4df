import type { Backend } from "../../lib/backend";
import { publicKeyFingerprint, sealForImport, type SealedMaterial } from "../../lib/secureImport";
import type { CreateImportTokenRequest, ImportTokenInfo, KeyInfo } from "../../lib/types";

/**
 * What the console shows of an import token: its lifetime and retrievals and its public key's
 * fingerprint, never the key itself or the nonce.
 */
export type ImportTokenMetadata = Omit<ImportTokenInfo, "payload" | "nonce"> & { fingerprint?: string };

/** A retrieved import token: what sealing needs, and what a person may see of it. */
export interface RetrievedImportToken {
  token: ImportTokenInfo;
  metadata: ImportTokenMetadata;
}

async function metadataOf(token: ImportTokenInfo): Promise<ImportTokenMetadata> {
  const { creationDate, expirationDate, maxAllowedRetrievals, remainingRetrievals, payload } = token;
  // An unreadable public key is reported by the sealing step, in its own words.
  const fingerprint = payload === undefined ? undefined : await publicKeyFingerprint(payload).catch(() => undefined);
  return { creationDate, expirationDate, maxAllowedRetrievals, remainingRetrievals, ...(fingerprint === undefined ? {} : { fingerprint }) };
}

/**
 * A fresh import token, retrieved with its public key and nonce (which uses up one of its
 * retrievals). `options` sets its lifetime and retrievals; Key Protect's defaults when absent.
 */
export async function retrieveImportToken(
  backend: Backend,
  options: CreateImportTokenRequest = {},
): Promise<RetrievedImportToken> {
  await backend.createImportToken(options);
  const token = await backend.importToken();
  return { token, metadata: await metadataOf(token) };
}

export interface ImportRequest {
  name: string;
  description?: string;
}

/** Creates the root key from material already sealed for the current import token. */
export function importSealedRootKey(backend: Backend, request: ImportRequest, sealed: SealedMaterial): Promise<KeyInfo> {
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
  subtle?: SubtleCrypto,
): Promise<KeyInfo> {
  const { token } = await retrieveImportToken(backend);
  const sealed = await sealForImport(material, token, subtle);
  return backend.rotateKey({ keyId, ...sealed });
}
