// IBM's Node.js Key Protect SDK (@ibm-cloud/ibm-key-protect 0.1.2), unmodified, against
// `strongroom serve`. Run by crates/strongroom-cli/tests/sdk.rs with STRONGROOM_URL,
// STRONGROOM_INSTANCE and STRONGROOM_API_KEY set; the SDK resolves from tests/sdk/node_modules.
import { createRequire } from "node:module";
import assert from "node:assert/strict";
import { constants, createCipheriv, publicEncrypt, randomBytes } from "node:crypto";

const require = createRequire(import.meta.url);
const KeyProtectV2 = require("@ibm-cloud/ibm-key-protect/ibm-key-protect-api/v2");
const { IamAuthenticator } = require("@ibm-cloud/ibm-key-protect/auth");

const url = process.env.STRONGROOM_URL;
const bluemixInstance = process.env.STRONGROOM_INSTANCE;
const kp = new KeyProtectV2({
  authenticator: new IamAuthenticator({ apikey: process.env.STRONGROOM_API_KEY, url }),
  serviceUrl: url,
});
const KEY_TYPE = "application/vnd.ibm.kms.key+json";
const keyBody = (name, extra = {}) => ({
  metadata: { collectionType: KEY_TYPE, collectionTotal: 1 },
  resources: [{ type: KEY_TYPE, name, extractable: false, ...extra }],
});

// Secure import, client side: RSA-OAEP-SHA-256 of the key material to the token's public key
// (`payload` is base64 of a PEM), and the token's nonce AES-GCM-sealed with that material
// (ciphertext then the 16-byte tag).
const importFields = (token, material, nonce = Buffer.from(token.nonce, "base64")) => {
  const pem = Buffer.from(token.payload, "base64").toString("utf8");
  assert.ok(pem.startsWith("-----BEGIN PUBLIC KEY-----"));
  const iv = randomBytes(12);
  const cipher = createCipheriv(`aes-${material.length * 8}-gcm`, material, iv);
  const sealed = Buffer.concat([cipher.update(nonce), cipher.final(), cipher.getAuthTag()]);
  const payload = publicEncrypt({ key: pem, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: "sha256" }, material);
  return {
    payload: payload.toString("base64"),
    encryptedNonce: sealed.toString("base64"),
    iv: iv.toString("base64"),
    encryptionAlgorithm: "RSAES_OAEP_SHA_256",
  };
};
const reasonCode = (err) => JSON.stringify(err.body ?? err.result ?? "");

const state = {};
const steps = [
  ["create a root key", async () => {
    const r = await kp.createKey({ bluemixInstance, body: keyBody("sdk-node-root") });
    assert.equal(r.status, 201);
    state.id = r.result.resources[0].id;
  }],
  ["import a root key", async () => {
    const payload = Buffer.alloc(32, 7).toString("base64");
    const r = await kp.createKey({ bluemixInstance, body: keyBody("sdk-node-imported", { payload }) });
    assert.equal(r.result.resources[0].imported, true);
    state.imported = r.result.resources[0].id;
  }],
  ["create and retrieve an import token", async () => {
    const created = await kp.postImportToken({ bluemixInstance, expiration: 600, maxAllowedRetrievals: 1 });
    assert.equal(created.result.remainingRetrievals, 1);
    assert.equal(created.result.payload, undefined, "the public key comes with the retrieval only");
    const token = await kp.getImportToken({ bluemixInstance });
    assert.equal(token.result.remainingRetrievals, 0);
    state.token = token.result;
  }],
  ["a nonce sealed wrong is 400 INCORRECT_NONCE_ERR", async () => {
    const forged = importFields(state.token, randomBytes(32), Buffer.alloc(12));
    await assert.rejects(
      kp.createKey({ bluemixInstance, body: keyBody("sdk-node-forged", forged) }),
      (err) => err.status === 400 && reasonCode(err).includes("INCORRECT_NONCE_ERR"),
    );
  }],
  ["import a root key with the import token", async () => {
    const r = await kp.createKey({ bluemixInstance, body: keyBody("sdk-node-secure", importFields(state.token, randomBytes(32))) });
    assert.equal(r.status, 201);
    assert.equal(r.result.resources[0].imported, true);
    state.secure = r.result.resources[0].id;
  }],
  ["wrap and unwrap with the securely imported key", async () => {
    const plaintext = randomBytes(32).toString("base64");
    const w = await kp.wrapKey({ bluemixInstance, id: state.secure, keyActionWrapBody: { plaintext, aad: ["byok"] } });
    const u = await kp.unwrapKey({
      bluemixInstance, id: state.secure, keyActionUnwrapBody: { ciphertext: w.result.ciphertext, aad: ["byok"] },
    });
    assert.equal(u.result.plaintext, plaintext);
  }],
  ["wrap without plaintext, with AAD", async () => {
    const r = await kp.wrapKey({ bluemixInstance, id: state.id, keyActionWrapBody: { aad: ["tenant=acme"] } });
    assert.equal(Buffer.from(r.result.plaintext, "base64").length, 32);
    state.generated = r.result;
  }],
  ["wrap a supplied plaintext and unwrap it", async () => {
    const plaintext = Buffer.from("hello from node").toString("base64");
    const w = await kp.wrapKey({ bluemixInstance, id: state.id, keyActionWrapBody: { plaintext, aad: ["a1"] } });
    const u = await kp.unwrapKey({
      bluemixInstance, id: state.id, keyActionUnwrapBody: { ciphertext: w.result.ciphertext, aad: ["a1"] },
    });
    assert.equal(u.result.plaintext, plaintext);
    state.supplied = { plaintext, ciphertext: w.result.ciphertext, version: w.result.keyVersion.id };
  }],
  ["rotate, then unwrap an old ciphertext", async () => {
    const r = await kp.rotateKey({ bluemixInstance, id: state.id, keyActionRotateBody: {} });
    assert.equal(r.status, 204);
    const u = await kp.unwrapKey({
      bluemixInstance, id: state.id, keyActionUnwrapBody: { ciphertext: state.supplied.ciphertext, aad: ["a1"] },
    });
    assert.equal(u.result.plaintext, state.supplied.plaintext);
    assert.notEqual(u.result.rewrappedKeyVersion.id, state.supplied.version);
  }],
  ["rewrap", async () => {
    const r = await kp.rewrapKey({
      bluemixInstance, id: state.id, keyActionRewrapBody: { ciphertext: state.supplied.ciphertext, aad: ["a1"] },
    });
    assert.equal(r.result.keyVersion.id, state.supplied.version);
    assert.ok(r.result.ciphertext);
  }],
  ["disable and enable", async () => {
    assert.equal((await kp.disableKey({ bluemixInstance, id: state.id })).status, 204);
    await assert.rejects(kp.wrapKey({ bluemixInstance, id: state.id, keyActionWrapBody: {} }), (err) => err.status === 409);
    assert.equal((await kp.enableKey({ bluemixInstance, id: state.id })).status, 204);
  }],
  ["delete and restore", async () => {
    const deleted = await kp.deleteKey({ bluemixInstance, id: state.imported, prefer: "return=representation" });
    assert.equal(deleted.result.resources[0].state, 5);
    const r = await kp.restoreKey({ bluemixInstance, id: state.imported });
    assert.equal(r.status, 201);
    const meta = await kp.getKeyMetadata({ bluemixInstance, id: state.imported });
    assert.equal(meta.result.resources[0].state, 1);
  }],
  ["list and HEAD", async () => {
    const list = await kp.getKeys({ bluemixInstance, limit: 10 });
    const ids = new Set(list.result.resources.map((k) => k.id));
    assert.ok(ids.has(state.id) && ids.has(state.imported) && ids.has(state.secure));
    assert.equal(list.result.metadata.collectionTotal, list.result.resources.length);
    const head = await kp.getKeyCollectionMetadata({ bluemixInstance });
    assert.ok(Number(head.headers["key-total"]) >= 2);
  }],
  ["wrong AAD is 422 with its reason code", async () => {
    await assert.rejects(
      kp.unwrapKey({ bluemixInstance, id: state.id, keyActionUnwrapBody: { ciphertext: state.supplied.ciphertext, aad: ["x"] } }),
      (err) => err.status === 422 && reasonCode(err).includes("UNPROCESSABLE_CIPHERTEXT_ERR"),
    );
  }],
];

let passed = 0;
let failed = 0;
for (const [name, run] of steps) {
  try {
    await run();
    passed += 1;
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err?.message ?? err}`);
  }
}
console.log(`ibm-key-protect-node: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
