import { describe, expect, it, vi } from "vitest";
import { BackendError } from "./backend";
import { errorFromResponse, HttpBackend, keyInfoFromKp } from "./http";

const BASE = "https://kms.test";
const INSTANCE = "7f4e2a1c-0000-4000-8000-000000000000";
const API_KEY = "sr-admin-0123456789";

const kpKey = {
  type: "application/vnd.ibm.kms.key+json",
  id: "11111111-0000-4000-8000-000000000000",
  name: "payments-root",
  description: "Wraps payment DEKs",
  state: 1,
  extractable: false,
  imported: true,
  crn: `crn:v1:bluemix:public:kms:local:a/acct:${INSTANCE}:key:11111111-0000-4000-8000-000000000000`,
  keyRingID: "default",
  creationDate: "2026-01-01T00:00:00Z",
  lastUpdateDate: "2026-02-01T00:00:00Z",
  lastRotateDate: "2026-02-01T00:00:00Z",
  deleted: false,
  algorithmType: "AES",
  keyVersion: { id: "22222222-0000-4000-8000-000000000000", creationDate: "2026-02-01T00:00:00Z" },
  createdBy: "IBMid-strongroom-admin",
  aliases: [],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const collection = (resources: unknown[], totalCount?: number) => ({
  metadata: { collectionType: "application/vnd.ibm.kms.key+json", collectionTotal: resources.length, totalCount },
  resources,
});
const kpError = (status: number, code: string, message: string) =>
  json(status, {
    metadata: { collectionType: "application/vnd.ibm.kms.error+json", collectionTotal: 1 },
    resources: [{ errorMsg: `Error: ${message} (${code})`, reasons: [{ code, message, status, moreInfo: "x" }] }],
  });
const tokenResponse = (token = "jwt-1", expiresIn = 3600) =>
  json(200, { access_token: token, token_type: "Bearer", expires_in: expiresIn, expiration: undefined });

type Handler = (url: URL, init: RequestInit) => Response | Promise<Response>;

const urlOf = (input: RequestInfo | URL | undefined): URL =>
  new URL(input instanceof Request ? input.url : input instanceof URL ? input.href : (input ?? ""));
const bodyOf = (init: RequestInit | undefined): string => (typeof init?.body === "string" ? init.body : "");

function setup(handler: Handler, now = () => Date.parse("2026-03-01T00:00:00Z")) {
  const fetch = vi.fn((input: RequestInfo | URL, init?: RequestInit) => {
    const url = urlOf(input);
    if (url.pathname === "/identity/token") return Promise.resolve(tokenResponse());
    return Promise.resolve(handler(url, init ?? {}));
  });
  const backend = new HttpBackend({ baseUrl: `${BASE}/`, instanceId: INSTANCE, apiKey: API_KEY, fetch, now });
  return { backend, fetch };
}

const headersOf = (init: RequestInit | undefined) => new Headers(init?.headers);
const callsTo = (fetch: ReturnType<typeof setup>["fetch"], path: string) =>
  fetch.mock.calls.filter(([input]) => urlOf(input).pathname === path);

describe("HttpBackend", () => {
  it("exchanges the API key for a token, then calls Key Protect with it and the instance id", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey], 1)));
    await backend.listKeys({ offset: 0, limit: 10, states: [] });

    const [tokenCall] = callsTo(fetch, "/identity/token");
    expect(tokenCall?.[1]?.method).toBe("POST");
    expect(headersOf(tokenCall?.[1]).get("Content-Type")).toBe("application/x-www-form-urlencoded");
    const form = new URLSearchParams(bodyOf(tokenCall?.[1]));
    expect(form.get("grant_type")).toBe("urn:ibm:params:oauth:grant-type:apikey");
    expect(form.get("apikey")).toBe(API_KEY);

    const [listCall] = callsTo(fetch, "/api/v2/keys");
    expect(headersOf(listCall?.[1]).get("Authorization")).toBe("Bearer jwt-1");
    expect(headersOf(listCall?.[1]).get("Bluemix-Instance")).toBe(INSTANCE);
  });

  it("reuses the token, and fetches a new one shortly before it expires", async () => {
    let now = Date.parse("2026-03-01T00:00:00Z");
    const { backend, fetch } = setup(
      () => json(200, collection([], 0)),
      () => now,
    );
    await backend.listKeys({ offset: 0, states: [] });
    await backend.listKeys({ offset: 0, states: [] });
    expect(callsTo(fetch, "/identity/token")).toHaveLength(1);

    now += 3600_000 - 30_000;
    await backend.listKeys({ offset: 0, states: [] });
    expect(callsTo(fetch, "/identity/token")).toHaveLength(2);
  });

  it("asks for one token when several calls start together", async () => {
    const { backend, fetch } = setup(() => json(200, collection([], 0)));
    await Promise.all([1, 2, 3].map(() => backend.listKeys({ offset: 0, states: [] })));
    expect(callsTo(fetch, "/identity/token")).toHaveLength(1);
  });

  it("passes filters and paging as Key Protect query parameters and reads the total", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey], 42)));
    const list = await backend.listKeys({
      offset: 20,
      limit: 10,
      states: ["active", "destroyed"],
      keyType: "root",
      search: "pay",
    });
    const url = urlOf(callsTo(fetch, "/api/v2/keys")[0]?.[0]);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      offset: "20",
      limit: "10",
      state: "1,5",
      extractable: "false",
      search: "pay",
      totalCount: "true",
    });
    expect(list.total).toBe(42);
    expect(list.keys).toEqual([keyInfoFromKp(kpKey)]);
  });

  it("maps a Key Protect key to KeyInfo", () => {
    expect(keyInfoFromKp(kpKey)).toEqual({
      id: kpKey.id,
      name: "payments-root",
      description: "Wraps payment DEKs",
      keyType: "root",
      state: "active",
      imported: true,
      createdAt: "2026-01-01T00:00:00Z",
      updatedAt: "2026-02-01T00:00:00Z",
      lastRotatedAt: "2026-02-01T00:00:00Z",
      keyVersion: { id: kpKey.keyVersion.id, createdAt: "2026-02-01T00:00:00Z" },
      keyRing: "default",
      aliases: [],
      createdBy: "IBMid-strongroom-admin",
      dualAuthDelete: { enabled: false, keySetForDeletion: false },
      rotationDue: false,
    });
    const policed = keyInfoFromKp({
      ...kpKey,
      keyRingID: "payments",
      aliases: ["cards"],
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authID: "IBMid-alice", authExpiration: "2026-03-08T00:00:00Z" },
      rotation: { enabled: true, interval_month: 3 },
      rotationDue: true,
    });
    expect(policed).toMatchObject({
      keyRing: "payments",
      aliases: ["cards"],
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authorizedBy: "IBMid-alice" },
      rotation: { enabled: true, intervalMonth: 3 },
      rotationDue: true,
    });
    const destroyed = keyInfoFromKp({ ...kpKey, state: 5, extractable: true, deletionDate: "2026-03-01T00:00:00Z" });
    expect(destroyed).toMatchObject({ state: "destroyed", keyType: "standard", deletedAt: "2026-03-01T00:00:00Z" });
  });

  it("creates a key in a Key Protect collection, secure-import fields included", async () => {
    const { backend, fetch } = setup(() => json(201, collection([kpKey])));
    await backend.createKey({
      name: "byok",
      keyType: "root",
      payload: "c2VhbGVk",
      encryptedNonce: "bm9uY2U=",
      iv: "aXY=",
      encryptionAlgorithm: "RSAES_OAEP_SHA_256",
    });
    const [call] = callsTo(fetch, "/api/v2/keys");
    expect(call?.[1]?.method).toBe("POST");
    expect(JSON.parse(bodyOf(call?.[1]))).toEqual({
      metadata: { collectionType: "application/vnd.ibm.kms.key+json", collectionTotal: 1 },
      resources: [
        {
          type: "application/vnd.ibm.kms.key+json",
          name: "byok",
          extractable: false,
          payload: "c2VhbGVk",
          encryptedNonce: "bm9uY2U=",
          iv: "aXY=",
          encryptionAlgorithm: "RSAES_OAEP_SHA_256",
        },
      ],
    });
  });

  it("reads keys through /metadata, so a standard key's payload never comes along", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey])));
    await backend.key(kpKey.id);
    expect(callsTo(fetch, `/api/v2/keys/${kpKey.id}/metadata`)).toHaveLength(1);
  });

  it("disables with the action path and answers with the key as it is now", async () => {
    const { backend, fetch } = setup((url) =>
      url.pathname.endsWith("/actions/disable") ? new Response(null, { status: 204 }) : json(200, collection([{ ...kpKey, state: 2 }])),
    );
    const key = await backend.disableKey(kpKey.id);
    expect(callsTo(fetch, `/api/v2/keys/${kpKey.id}/actions/disable`)).toHaveLength(1);
    expect(key.state).toBe("suspended");
  });

  it("deletes asking for the key back", async () => {
    const { backend, fetch } = setup(() => json(200, collection([{ ...kpKey, state: 5 }])));
    const key = await backend.deleteKey(kpKey.id);
    const [call] = callsTo(fetch, `/api/v2/keys/${kpKey.id}`);
    expect(call?.[1]?.method).toBe("DELETE");
    expect(headersOf(call?.[1]).get("Prefer")).toBe("return=representation");
    expect(key.state).toBe("destroyed");
  });

  it("lists versions oldest first, like the desktop keystore", async () => {
    const { backend } = setup(() =>
      json(200, {
        metadata: { collectionType: "application/vnd.ibm.kms.key.version+json", collectionTotal: 2 },
        resources: [
          { id: "v2", creationDate: "2026-02-01T00:00:00Z" },
          { id: "v1", creationDate: "2026-01-01T00:00:00Z" },
        ],
      }),
    );
    expect(await backend.keyVersions(kpKey.id)).toEqual([
      { id: "v1", createdAt: "2026-01-01T00:00:00Z" },
      { id: "v2", createdAt: "2026-02-01T00:00:00Z" },
    ]);
  });

  it("wraps, unwraps (with the rewrapped ciphertext after a rotation) and rewraps", async () => {
    const { backend, fetch } = setup((url) => {
      if (url.pathname.endsWith("/wrap")) return json(200, { ciphertext: "Y3Q=", keyVersion: { id: "v1" }, plaintext: "ZGVr" });
      if (url.pathname.endsWith("/unwrap"))
        return json(200, { plaintext: "ZGVr", keyVersion: { id: "v1" }, ciphertext: "Y3Qy", rewrappedKeyVersion: { id: "v2" } });
      return json(200, { ciphertext: "Y3Qy", keyVersion: { id: "v1" }, rewrappedKeyVersion: { id: "v2" } });
    });
    expect(await backend.wrap({ keyId: "k", aad: ["a"] })).toEqual({ ciphertext: "Y3Q=", keyVersion: { id: "v1" }, plaintext: "ZGVr" });
    expect(JSON.parse(bodyOf(callsTo(fetch, "/api/v2/keys/k/actions/wrap")[0]?.[1]))).toEqual({ aad: ["a"] });
    expect(await backend.unwrap({ keyId: "k", ciphertext: "Y3Q=", aad: [] })).toEqual({
      plaintext: "ZGVr",
      keyVersion: { id: "v1" },
      rewrapped: { ciphertext: "Y3Qy", keyVersion: { id: "v2" } },
    });
    expect(await backend.rewrap({ keyId: "k", ciphertext: "Y3Q=", aad: [] })).toEqual({
      ciphertext: "Y3Qy",
      keyVersion: { id: "v1" },
      rewrappedKeyVersion: { id: "v2" },
    });
  });

  it("creates and retrieves the import token", async () => {
    const token = { creationDate: "a", expirationDate: "b", maxAllowedRetrievals: 1, remainingRetrievals: 1 };
    const { backend, fetch } = setup(() => json(200, token));
    expect(await backend.createImportToken({})).toEqual(token);
    expect(await backend.importToken()).toEqual(token);
    const calls = callsTo(fetch, "/api/v2/import_token");
    expect(calls.map(([, init]) => init?.method)).toEqual(["POST", "GET"]);
  });

  it("turns a refused API key into UNAUTHENTICATED", async () => {
    const fetch = vi.fn(() =>
      Promise.resolve(json(400, { errorCode: "BXNIM0415E", errorMessage: "Provided API key could not be found." })),
    );
    const backend = new HttpBackend({ baseUrl: BASE, instanceId: INSTANCE, apiKey: "wrong", fetch });
    await expect(backend.info()).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("retries once with a fresh token after a 401", async () => {
    let refusals = 1;
    const { backend, fetch } = setup(() =>
      refusals-- > 0 ? kpError(401, "UNAUTHORIZED_ERR", "the token has expired") : json(200, collection([], 0)),
    );
    await backend.listKeys({ offset: 0, states: [] });
    expect(callsTo(fetch, "/identity/token")).toHaveLength(2);
  });

  it("reports an unreachable server as KEYSTORE_UNAVAILABLE", async () => {
    const fetch = vi.fn(() => Promise.reject(new TypeError("Failed to fetch")));
    const backend = new HttpBackend({ baseUrl: BASE, instanceId: INSTANCE, apiKey: API_KEY, fetch });
    const failure = backend.info();
    await expect(failure).rejects.toBeInstanceOf(BackendError);
    await expect(failure).rejects.toMatchObject({ code: "KEYSTORE_UNAVAILABLE" });
  });

  it("forgets the API key on sign-out", async () => {
    const { backend } = setup(() => json(200, collection([], 0)));
    backend.signOut();
    await expect(backend.listKeys({ offset: 0, states: [] })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });
});

describe("errorFromResponse", () => {
  it.each([
    [404, "KEY_NOT_FOUND_ERR", "NOT_FOUND"],
    [400, "INVALID_FIELD_ERR", "INVALID_INPUT"],
    [400, "BAD_BODY_ERR", "INVALID_INPUT"],
    [409, "KEY_ACTION_INVALID_STATE_ERR", "INVALID_STATE"],
    [400, "KEY_ROOT_REQ_ERR", "NOT_A_ROOT_KEY"],
    [422, "UNPROCESSABLE_CIPHERTEXT_ERR", "UNDECRYPTABLE"],
    [409, "KEY_ROTATION_NOT_PERMITTED", "ROTATION_TOO_SOON"],
    [400, "KEY_PAYLOAD_REQ_ERR", "PAYLOAD_REQUIRED"],
    [409, "KEY_RESTORE_EXPIRED_ERR", "RESTORE_EXPIRED"],
    [409, "CONFLICT_ERR", "CONFLICT"],
    [409, "IMPORT_TOKEN_EXPIRED_ERR", "IMPORT_TOKEN_EXPIRED"],
    [400, "INCORRECT_NONCE_ERR", "INCORRECT_NONCE"],
    [400, "INCORRECT_NONCE_IV_ERR", "INCORRECT_NONCE"],
    [401, "UNAUTHORIZED_ERR", "UNAUTHENTICATED"],
    [503, "SERVICE_UNAVAILABLE_ERR", "KEYSTORE_UNAVAILABLE"],
    [500, "INTERNAL_SERVER_ERR", "INTERNAL"],
    [409, "SOME_FUTURE_ERR", "CONFLICT"],
  ])("maps HTTP %i %s to %s, keeping the reason's message", async (status, reason, code) => {
    const response = kpError(status, reason, "the key is suspended");
    const error = errorFromResponse(status, await response.json());
    expect(error.code).toBe(code);
    expect(error.message).toBe("the key is suspended");
  });

  it("falls back on the status when the body is not Key Protect's", () => {
    expect(errorFromResponse(404, "<html>").code).toBe("NOT_FOUND");
    expect(errorFromResponse(502, undefined).code).toBe("KEYSTORE_UNAVAILABLE");
  });
});
