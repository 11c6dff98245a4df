import { beforeAll, describe, expect, it } from "vitest";
import { decodeBase64, encodeBase64 } from "./base64";
import { publicKeyDer, publicKeyFingerprint, sealForImport, SecureImportError } from "./secureImport";

// Node's WebCrypto, the same API the desktop webview and browsers provide.
const webcrypto = globalThis.crypto;
const subtle = webcrypto.subtle;

function pemOf(der: ArrayBuffer): string {
  const body = encodeBase64(new Uint8Array(der)).replace(/(.{64})/g, "$1\n");
  return `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----\n`;
}

const bytes = (text: string): Uint8Array => {
  const decoded = decodeBase64(text);
  if (decoded === null) throw new Error(`not base64: ${text}`);
  return decoded;
};

const asBuffer = (view: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(view);

let privateKey: CryptoKey;
let tokenPayload: string;
const nonce = webcrypto.getRandomValues(new Uint8Array(12));

beforeAll(async () => {
  // 2048 bits keeps the test quick; the routine does not depend on the modulus size.
  const pair = await subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["encrypt", "decrypt"],
  );
  privateKey = pair.privateKey;
  const spki = await subtle.exportKey("spki", pair.publicKey);
  tokenPayload = encodeBase64(new TextEncoder().encode(pemOf(spki)));
});

describe("sealForImport", () => {
  it.each([16, 24, 32])("encrypts %i bytes of material to the token and seals its nonce under the material", async (size) => {
    const material = webcrypto.getRandomValues(new Uint8Array(size));
    const sealed = await sealForImport(material, { payload: tokenPayload, nonce: encodeBase64(nonce) }, subtle);

    expect(sealed.encryptionAlgorithm).toBe("RSAES_OAEP_SHA_256");
    expect(bytes(sealed.iv)).toHaveLength(12);

    const recovered = new Uint8Array(await subtle.decrypt({ name: "RSA-OAEP" }, privateKey, asBuffer(bytes(sealed.payload))));
    expect(recovered).toEqual(material);

    // 12 nonce bytes plus the 16-byte GCM tag.
    expect(bytes(sealed.encryptedNonce)).toHaveLength(28);
    const aesKey = await subtle.importKey("raw", asBuffer(recovered), { name: "AES-GCM" }, false, ["decrypt"]);
    const opened = await subtle.decrypt(
      { name: "AES-GCM", iv: asBuffer(bytes(sealed.iv)) },
      aesKey,
      asBuffer(bytes(sealed.encryptedNonce)),
    );
    expect(new Uint8Array(opened)).toEqual(nonce);
  });

  it("uses a fresh IV every time", async () => {
    const material = webcrypto.getRandomValues(new Uint8Array(32));
    const token = { payload: tokenPayload, nonce: encodeBase64(nonce) };
    const first = await sealForImport(material, token, subtle);
    const second = await sealForImport(material, token, subtle);
    expect(first.iv).not.toBe(second.iv);
  });

  it("leaves the caller's material untouched", async () => {
    const material = new Uint8Array(32).fill(7);
    await sealForImport(material, { payload: tokenPayload, nonce: encodeBase64(nonce) }, subtle);
    expect(material).toEqual(new Uint8Array(32).fill(7));
  });

  it.each([
    ["material of the wrong size", new Uint8Array(20), { payload: "x", nonce: "AAAA" }, "MATERIAL_SIZE"],
    ["a token without its public key", new Uint8Array(32), { nonce: "AAAA" }, "TOKEN_INCOMPLETE"],
    ["a token without its nonce", new Uint8Array(32), { payload: "x" }, "TOKEN_INCOMPLETE"],
    ["a payload that is no PEM", new Uint8Array(32), { payload: encodeBase64(new TextEncoder().encode("hello")), nonce: "AAAA" }, "PUBLIC_KEY"],
  ])("refuses %s", async (_label, material, token, reason) => {
    const failure = sealForImport(material, token, subtle);
    await expect(failure).rejects.toBeInstanceOf(SecureImportError);
    await expect(failure).rejects.toMatchObject({ reason });
  });
});

describe("publicKeyDer", () => {
  it("reads the DER inside a base64 PEM", () => {
    const der = publicKeyDer(encodeBase64(new TextEncoder().encode(pemOf(new Uint8Array([1, 2, 3]).buffer))));
    expect(der).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe("publicKeyFingerprint", () => {
  it("is SHA-256 of the DER public key, its first 16 bytes in hex groups of four", async () => {
    // sha256(01 02 03) = 039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81
    const payload = encodeBase64(new TextEncoder().encode(pemOf(new Uint8Array([1, 2, 3]).buffer)));
    expect(await publicKeyFingerprint(payload)).toBe("0390 58c6 f2c0 cb49 2c53 3b0a 4d14 ef77");
  });

  it("refuses a payload that holds no public key", async () => {
    await expect(publicKeyFingerprint(encodeBase64(new TextEncoder().encode("not a key")))).rejects.toMatchObject({
      reason: "PUBLIC_KEY",
    });
  });
});
