import { encodeBase64 } from "../lib/base64";
import type { ImportTokenInfo } from "../lib/types";

/** An import token as a keystore would hand it out, with the private key kept for checking. */
export async function makeImportToken(): Promise<{ token: ImportTokenInfo; privateKey: CryptoKey; nonce: Uint8Array }> {
  const subtle = globalThis.crypto.subtle;
  const pair = await subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["encrypt", "decrypt"],
  );
  const spki = new Uint8Array(await subtle.exportKey("spki", pair.publicKey));
  const pem = `-----BEGIN PUBLIC KEY-----\n${encodeBase64(spki).replace(/(.{64})/g, "$1\n")}\n-----END PUBLIC KEY-----\n`;
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return {
    token: {
      creationDate: "2026-01-01T00:00:00Z",
      expirationDate: "2026-01-01T00:10:00Z",
      maxAllowedRetrievals: 1,
      remainingRetrievals: 0,
      payload: encodeBase64(new TextEncoder().encode(pem)),
      nonce: encodeBase64(nonce),
    },
    privateKey: pair.privateKey,
    nonce,
  };
}
