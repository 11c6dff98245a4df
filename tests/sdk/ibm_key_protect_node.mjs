// IBM's Node.js Key Protect SDK (@ibm-cloud/ibm-key-protect 0.1.2), unmodified, against
// `strongroom serve`. Run by crates/strongroom-cli/tests/sdk.rs with STRONGROOM_URL,
// STRONGROOM_INSTANCE and STRONGROOM_API_KEY set; the SDK resolves from tests/sdk/node_modules.
import { createRequire } from "node:module";
import assert from "node:assert/strict";

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
    await kp.deleteKey({ bluemixInstance, id: state.imported });
    const r = await kp.restoreKey({ bluemixInstance, id: state.imported });
    assert.equal(r.status, 201);
    const meta = await kp.getKeyMetadata({ bluemixInstance, id: state.imported });
    assert.equal(meta.result.resources[0].state, 1);
  }],
  ["list and HEAD", async () => {
    const list = await kp.getKeys({ bluemixInstance, limit: 10 });
    assert.equal(list.result.metadata.collectionTotal, list.result.resources.length);
    const head = await kp.getKeyCollectionMetadata({ bluemixInstance });
    assert.ok(Number(head.headers["key-total"]) >= 2);
  }],
  ["wrong AAD is 422 with its reason code", async () => {
    await assert.rejects(
      kp.unwrapKey({ bluemixInstance, id: state.id, keyActionUnwrapBody: { ciphertext: state.supplied.ciphertext, aad: ["x"] } }),
      (err) => err.status === 422 && JSON.stringify(err.body ?? err.result ?? "").includes("UNPROCESSABLE_CIPHERTEXT_ERR"),
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
