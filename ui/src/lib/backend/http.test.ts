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

  it("sends Strongroom's filters and refuses an answer that does not say it applied them", async () => {
    let echo: string | null = "imported, dualAuthDelete,rotationDue";
    const { backend, fetch } = setup(() => {
      const answer = json(200, collection([kpKey], 1));
      if (echo !== null) answer.headers.set("X-Strongroom-Filters", echo);
      return answer;
    });
    const request = { offset: 0, states: [], imported: true, dualAuthDelete: false, rotationDue: true };
    expect((await backend.listKeys(request)).keys).toHaveLength(1);
    const filtered = urlOf(callsTo(fetch, "/api/v2/keys")[0]?.[0]);
    expect(filtered.searchParams.get("imported")).toBe("true");
    expect(filtered.searchParams.get("dualAuthDelete")).toBe("false");
    expect(filtered.searchParams.get("rotationDue")).toBe("true");

    echo = null;
    await expect(backend.listKeys(request)).rejects.toMatchObject({ code: "NOT_SUPPORTED" });
    expect((await backend.listKeys({ offset: 0, states: [] })).keys).toHaveLength(1);
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
    const destroyed = keyInfoFromKp({
      ...kpKey,
      state: 5,
      extractable: true,
      deletionDate: "2026-03-01T00:00:00Z",
      restoreExpirationDate: "2026-03-31T00:00:00Z",
      restoreAllowed: true,
      purgeAllowedFrom: "2026-03-01T04:00:00Z",
      purgeAllowed: false,
    });
    expect(destroyed).toMatchObject({
      state: "destroyed",
      keyType: "standard",
      deletedAt: "2026-03-01T00:00:00Z",
      deletionWindow: {
        restorableUntil: "2026-03-31T00:00:00Z",
        restoreAllowed: true,
        purgeableFrom: "2026-03-01T04:00:00Z",
        purgeAllowed: false,
      },
    });
    const halfWindow = keyInfoFromKp({ ...kpKey, state: 5, restoreExpirationDate: "2026-03-31T00:00:00Z" });
    expect(halfWindow.deletionWindow).toBeUndefined();
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

  it("reads the usage report of strongroom serve", async () => {
    const report = {
      windowMinutes: 60,
      until: "2026-01-01T00:10:00Z",
      minutes: [{ at: "2026-01-01T00:09:00Z", action: "kms.secrets.wrap", calls: 4, failures: 1, p50Ms: 0.5, p99Ms: 2 }],
    };
    const { backend, fetch } = setup(() => json(200, report));
    expect(await backend.usage()).toEqual(report);
    expect(callsTo(fetch, "/api/v2/usage")).toHaveLength(1);
  });

  it("reads the clock of strongroom serve", async () => {
    const clock = { now: "2026-02-01T00:00:00Z", offsetSeconds: 2_678_400, advanceable: true };
    const { backend, fetch } = setup(() => json(200, clock));
    expect(await backend.clock()).toEqual(clock);
    expect(callsTo(fetch, "/api/v2/clock")).toHaveLength(1);
  });

  it("reads the hourly activity of strongroom serve", async () => {
    const report = {
      hours: 24,
      until: "2026-01-01T00:10:00Z",
      entries: [{ at: "2026-01-01T00:00:00Z", action: "kms.secrets.wrap", calls: 4, failures: 1 }],
    };
    const { backend, fetch } = setup(() => json(200, report));
    expect(await backend.activity(24)).toEqual(report);
    const calls = callsTo(fetch, "/api/v2/activity");
    expect(calls).toHaveLength(1);
    expect(urlOf(calls[0]?.[0]).searchParams.get("hours")).toBe("24");
  });

  it("reads the use counts strongroom serve adds to a versions listing", async () => {
    const { backend } = setup(() =>
      json(200, {
        metadata: { collectionType: "application/vnd.ibm.kms.key.version+json", collectionTotal: 1 },
        resources: [{ id: "v1", creationDate: "2026-01-01T00:00:00Z", wraps: 3, unwraps: 0, lastUsedDate: "2026-01-02T00:00:00Z" }],
      }),
    );
    expect(await backend.keyVersions(kpKey.id)).toEqual([
      { id: "v1", createdAt: "2026-01-01T00:00:00Z", wraps: 3, unwraps: 0, lastUsedAt: "2026-01-02T00:00:00Z" },
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

describe("HttpBackend: key rings, aliases, policies and dual authorization", () => {
  const KEY = kpKey.id;
  const keyPath = `/api/v2/keys/${KEY}`;
  const lastCall = (fetch: ReturnType<typeof setup>["fetch"], path: string) => {
    const calls = callsTo(fetch, path);
    const call = calls[calls.length - 1];
    return { method: call?.[1]?.method, body: bodyOf(call?.[1]), url: urlOf(call?.[0]) };
  };

  it("sets and unsets a key for deletion, then reads the key back", async () => {
    const { backend, fetch } = setup((url) =>
      url.pathname.includes("/actions/") ? new Response(null, { status: 204 }) : json(200, collection([kpKey])),
    );
    await backend.setKeyForDeletion(KEY);
    expect(lastCall(fetch, `${keyPath}/actions/setKeyForDeletion`).method).toBe("POST");
    await backend.unsetKeyForDeletion(KEY);
    expect(lastCall(fetch, `${keyPath}/actions/unsetKeyForDeletion`).method).toBe("POST");
    expect(callsTo(fetch, `${keyPath}/metadata`)).toHaveLength(2);
  });

  it("maps the dual-authorization fields of a key", () => {
    const info = keyInfoFromKp({
      ...kpKey,
      dualAuthDelete: { enabled: true, keySetForDeletion: true, authID: "IBMid-alice", authExpiration: "2026-03-08T00:00:00Z" },
      rotation: { enabled: true, interval_month: 3 },
    });
    expect(info.dualAuthDelete).toEqual({
      enabled: true,
      keySetForDeletion: true,
      authorizedBy: "IBMid-alice",
      authExpiration: "2026-03-08T00:00:00Z",
    });
    expect(info.rotation).toEqual({ enabled: true, intervalMonth: 3 });
  });

  it("forces a delete, purges, and moves a key to another ring", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey])));
    await backend.deleteKey(KEY, true);
    const deleted = lastCall(fetch, keyPath);
    expect(deleted.method).toBe("DELETE");
    expect(deleted.url.searchParams.get("force")).toBe("true");

    await backend.purgeKey(KEY);
    expect(lastCall(fetch, `${keyPath}/purge`).method).toBe("DELETE");

    await backend.moveKey(KEY, "payments");
    const moved = lastCall(fetch, keyPath);
    expect(moved.method).toBe("PATCH");
    expect(JSON.parse(moved.body)).toEqual({ keyRingID: "payments" });
  });

  it("reads the caller from Strongroom's extension and reports Key Protect's 404 as not found", async () => {
    const caller = { iamId: "IBMid-alice", grants: [{ roles: ["Reader"], keyRing: "payments", actions: ["kms.secrets.wrap"] }], actionRoles: [] };
    const { backend, fetch } = setup(() => json(200, caller));
    await expect(backend.caller()).resolves.toEqual(caller);
    expect(lastCall(fetch, "/api/v2/caller").method).toBe("GET");

    const kp = setup(() =>
      json(404, { metadata: { collectionType: "application/vnd.ibm.kms.error+json", collectionTotal: 1 }, resources: [{ errorMsg: "Not Found", reasons: [{ code: "NOT_FOUND_ERR", message: "no such endpoint" }] }] }),
    );
    await expect(kp.backend.caller()).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("asks Strongroom's dry run whether a service may wrap", async () => {
    const verdict = { allowed: true, authorizationId: "p1", keyId: KEY, keyState: "active", reason: "cos may wrap." };
    const { backend, fetch } = setup(() => json(200, verdict));
    const request = { sourceService: "cloud-object-storage", sourceInstance: "cos-1", keyId: KEY, action: "wrap" as const };
    await expect(backend.checkAuthorization(request)).resolves.toEqual(verdict);
    const sent = lastCall(fetch, "/api/v2/authorization_checks");
    expect(sent.method).toBe("POST");
    expect(JSON.parse(sent.body)).toEqual(request);
  });

  it("adds and removes aliases", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey])));
    await backend.createAlias(KEY, "pay-root");
    expect(lastCall(fetch, `${keyPath}/aliases/pay-root`).method).toBe("POST");
    await backend.deleteAlias(KEY, "pay-root");
    expect(lastCall(fetch, `${keyPath}/aliases/pay-root`).method).toBe("DELETE");
  });

  it("reads and writes key policies in Key Protect's collection shape", async () => {
    const policies = collection([
      { type: "application/vnd.ibm.kms.policy+json", rotation: { enabled: true, interval_month: 6 } },
      { type: "application/vnd.ibm.kms.policy+json", dualAuthDelete: { enabled: true } },
    ]);
    const { backend, fetch } = setup(() => json(200, policies));
    expect(await backend.keyPolicies(KEY)).toEqual({ rotation: { enabled: true, intervalMonth: 6 }, dualAuthDelete: true });

    await backend.setKeyPolicies({ keyId: KEY, rotation: { enabled: true, intervalMonth: 6 }, dualAuthDelete: true });
    const put = lastCall(fetch, `${keyPath}/policies`);
    expect(put.method).toBe("PUT");
    expect(JSON.parse(put.body)).toEqual({
      metadata: { collectionType: "application/vnd.ibm.kms.policy+json", collectionTotal: 2 },
      resources: [
        { type: "application/vnd.ibm.kms.policy+json", rotation: { enabled: true, interval_month: 6 } },
        { type: "application/vnd.ibm.kms.policy+json", dualAuthDelete: { enabled: true } },
      ],
    });
  });

  it("lists, creates and deletes key rings", async () => {
    const rings = collection([
      { id: "default", creationDate: "2026-01-01T00:00:00Z", createdBy: "" },
      { id: "payments", creationDate: "2026-02-01T00:00:00Z", createdBy: "IBMid-alice" },
    ]);
    const { backend, fetch } = setup((_url, init) => (init.method === "GET" ? json(200, rings) : new Response(null, { status: 201 })));
    expect(await backend.createKeyRing("payments")).toEqual({
      id: "payments",
      createdAt: "2026-02-01T00:00:00Z",
      createdBy: "IBMid-alice",
    });
    expect(lastCall(fetch, "/api/v2/key_rings/payments").method).toBe("POST");
    await backend.deleteKeyRing("payments", true);
    const deleted = lastCall(fetch, "/api/v2/key_rings/payments");
    expect(deleted.method).toBe("DELETE");
    expect(deleted.url.searchParams.get("force")).toBe("true");
  });

  it("creates keys with a ring, aliases, dual authorization and rotation, and filters by ring", async () => {
    const { backend, fetch } = setup(() => json(200, collection([kpKey], 1)));
    await backend.createKey({
      name: "payments-root",
      keyType: "root",
      keyRing: "payments",
      aliases: ["pay-root"],
      dualAuthDelete: true,
      rotation: { enabled: true, intervalMonth: 3 },
    });
    const body = JSON.parse(lastCall(fetch, "/api/v2/keys").body) as { resources: Record<string, unknown>[] };
    expect(body.resources[0]).toMatchObject({
      keyRingID: "payments",
      aliases: ["pay-root"],
      dualAuthDelete: { enabled: true },
      rotation: { enabled: true, interval_month: 3 },
    });
    await backend.listKeys({ offset: 0, states: [], keyRing: "payments" });
    const listed = callsTo(fetch, "/api/v2/keys").at(-1);
    expect(headersOf(listed?.[1]).get("X-Kms-Key-Ring")).toBe("payments");
  });

  it("reads instance policies and registrations", async () => {
    const { backend, fetch } = setup((url) =>
      url.pathname.endsWith("/registrations")
        ? json(
            200,
            collection([
              { keyId: KEY, keyName: "payments-root", resourceCrn: "crn:cos:bucket", createdBy: "cloud-object-storage", keyVersion: { id: "v1" }, creationDate: "c", lastUpdated: "u" },
              {
                keyId: KEY,
                keyName: "payments-root",
                resourceCrn: "crn:cos:held",
                createdBy: "cos-a",
                updatedBy: "cos-b",
                keyVersion: { id: "v1" },
                creationDate: "c",
                lastUpdated: "u",
                description: "held",
                preventKeyDeletion: true,
              },
            ]),
          )
        : json(200, collection([{ policy_type: "dualAuthDelete", policy_data: { enabled: true } }])),
    );
    expect(await backend.instancePolicies()).toEqual([{ policyType: "dualAuthDelete", enabled: true }]);
    expect(await backend.registrations(KEY)).toEqual([
      { keyId: KEY, keyName: "payments-root", resourceCrn: "crn:cos:bucket", service: "cloud-object-storage", createdBy: "cloud-object-storage", keyVersion: "v1", createdAt: "c", updatedAt: "u", description: "", preventKeyDeletion: false },
      { keyId: KEY, keyName: "payments-root", resourceCrn: "crn:cos:held", service: "cos-b", createdBy: "cos-a", keyVersion: "v1", createdAt: "c", updatedAt: "u", description: "held", preventKeyDeletion: true },
    ]);
    await backend.registrations();
    expect(callsTo(fetch, "/api/v2/keys/registrations")).toHaveLength(1);
    // The CRN is one path segment: its `:` and `/` are encoded.
    await backend.deleteRegistration(KEY, "crn:v1:bluemix:public:cos:global:a/1:cos-1:bucket:b").catch(() => undefined);
    const removal = fetch.mock.calls.find(([, init]) => init?.method === "DELETE");
    expect(removal && urlOf(removal[0]).pathname).toBe(
      `/api/v2/keys/${KEY}/registrations/crn%3Av1%3Abluemix%3Apublic%3Acos%3Aglobal%3Aa%2F1%3Acos-1%3Abucket%3Ab`,
    );
  });

  it("reads registrations a full page at a time until a short page", async () => {
    const registration = (n: number) => ({ keyId: KEY, resourceCrn: `crn:cos:bucket-${n}`, createdBy: "cloud-object-storage" });
    const { backend, fetch } = setup((url) => {
      const offset = Number(url.searchParams.get("offset"));
      const count = offset === 0 ? Number(url.searchParams.get("limit")) : 3;
      return json(200, collection(Array.from({ length: count }, (_, i) => registration(offset + i))));
    });
    const all = await backend.registrations();
    expect(all).toHaveLength(5003);
    expect(all.at(-1)?.resourceCrn).toBe("crn:cos:bucket-5002");
    const offsets = callsTo(fetch, "/api/v2/keys/registrations").map(([input]) => urlOf(input).searchParams.get("offset"));
    expect(offsets).toEqual(["0", "5000"]);
  });
});

describe("HttpBackend: authorizations and audit", () => {
  const policy = (instance: string) => ({
    id: "p1",
    type: "authorization",
    subjects: [{ attributes: [{ name: "serviceName", value: "cloud-object-storage" }, { name: "serviceInstance", value: "cos-1" }] }],
    roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader", display_name: "Reader" }],
    resources: [
      {
        attributes: [
          { name: "serviceName", value: "kms", operator: "stringEquals" },
          { name: "serviceInstance", value: instance, operator: "stringEquals" },
          { name: "keyRing", value: "payments", operator: "stringEquals" },
        ],
      },
    ],
    created_at: "2026-02-01T00:00:00Z",
    created_by_id: "IBMid-alice",
    last_used_at: null,
  });

  it("keeps the last use strongroom serve adds to an authorization", async () => {
    const { backend } = setup(() => json(200, { policies: [{ ...policy(INSTANCE), last_used_at: "2026-11-30T10:00:00Z" }] }));
    expect((await backend.authorizations())[0]?.lastUsedAt).toBe("2026-11-30T10:00:00Z");
  });

  it("lists this instance's authorizations from IAM on the same origin", async () => {
    const { backend, fetch } = setup(() => json(200, { policies: [policy(INSTANCE), policy("other")] }));
    expect(await backend.authorizations()).toEqual([
      {
        id: "p1",
        sourceService: "cloud-object-storage",
        sourceInstance: "cos-1",
        targetInstance: INSTANCE,
        keyRing: "payments",
        roles: ["Reader"],
        createdAt: "2026-02-01T00:00:00Z",
        createdBy: "IBMid-alice",
      },
    ]);
    const [call] = callsTo(fetch, "/v1/policies");
    expect(urlOf(call?.[0]).searchParams.get("type")).toBe("authorization");
  });

  it("creates an authorization as an IAM policy, Reader by default, and deletes it", async () => {
    const { backend, fetch } = setup((_url, init) =>
      init.method === "DELETE" ? new Response(null, { status: 204 }) : json(201, policy(INSTANCE)),
    );
    await backend.createAuthorization({ sourceService: "cloud-object-storage", keyId: "k1" });
    const [call] = callsTo(fetch, "/v1/policies");
    expect(call?.[1]?.method).toBe("POST");
    expect(JSON.parse(bodyOf(call?.[1]))).toEqual({
      type: "authorization",
      subjects: [{ attributes: [{ name: "serviceName", value: "cloud-object-storage" }] }],
      roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }],
      resources: [
        {
          attributes: [
            { name: "serviceName", value: "kms", operator: "stringEquals" },
            { name: "serviceInstance", value: INSTANCE, operator: "stringEquals" },
            { name: "resourceType", value: "key", operator: "stringEquals" },
            { name: "resource", value: "k1", operator: "stringEquals" },
          ],
        },
      ],
    });
    await backend.deleteAuthorization("p1");
    expect(callsTo(fetch, "/v1/policies/p1")[0]?.[1]?.method).toBe("DELETE");
  });

  it("edits an authorization's roles by replacing its IAM policy under the ETag it was read with", async () => {
    const policy = {
      id: "p1",
      type: "authorization",
      description: null,
      subjects: [{ attributes: [{ name: "serviceName", value: "cloud-object-storage" }] }],
      roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader", display_name: "Reader" }],
      resources: [{ attributes: [{ name: "serviceInstance", value: INSTANCE, operator: "stringEquals" }] }],
      created_at: "2026-02-01T00:00:00Z",
    };
    const { backend, fetch } = setup((_url, init) => {
      if (init.method === "PUT") {
        const sent = JSON.parse(bodyOf(init)) as { roles: unknown[] };
        return json(200, { ...policy, roles: sent.roles });
      }
      return new Response(JSON.stringify(policy), { status: 200, headers: { "Content-Type": "application/json", ETag: '"3"' } });
    });
    const updated = await backend.setAuthorizationRoles("p1", ["Reader", "Writer"]);
    const [read, write] = callsTo(fetch, "/v1/policies/p1");
    expect(read?.[1]?.method).toBe("GET");
    expect(write?.[1]?.method).toBe("PUT");
    expect(headersOf(write?.[1]).get("If-Match")).toBe('"3"');
    const sent = JSON.parse(bodyOf(write?.[1])) as Record<string, unknown>;
    expect(sent).toEqual({
      type: "authorization",
      subjects: policy.subjects,
      resources: policy.resources,
      roles: [
        { role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" },
        { role_id: "crn:v1:bluemix:public:iam::::serviceRole:Writer" },
      ],
    });
    expect(updated.roles).toEqual(["Reader", "Writer"]);
  });

  it("refuses to edit the roles of an IAM policy that is not an authorization of this instance", async () => {
    const access = {
      id: "a1",
      type: "access",
      subjects: [{ attributes: [{ name: "iam_id", value: "IBMid-bob" }] }],
      roles: [{ role_id: "crn:v1:bluemix:public:iam::::serviceRole:Reader" }],
      resources: [{ attributes: [{ name: "serviceInstance", value: INSTANCE, operator: "stringEquals" }] }],
    };
    const { backend, fetch } = setup(() =>
      new Response(JSON.stringify(access), { status: 200, headers: { "Content-Type": "application/json", ETag: '"1"' } }),
    );
    await expect(backend.setAuthorizationRoles("a1", ["Manager"])).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(callsTo(fetch, "/v1/policies/a1").map(([, init]) => init?.method)).toEqual(["GET"]);
  });

  it("maps IAM's error shape", () => {
    const error = errorFromResponse(403, { errors: [{ code: "forbidden", message: "not allowed" }], status_code: 403 });
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toBe("not allowed");
    expect(errorFromResponse(404, { errors: [{ code: "not_found", message: "gone" }], status_code: 404 }).code).toBe(
      "NOT_FOUND",
    );
  });

  it("queries audit events with its filters", async () => {
    const event = { seq: 9, at: "t", instance: INSTANCE, initiator: "IBMid-alice", action: "kms.secrets.wrap", target: "k1", outcome: "success", correlationId: "c" };
    const { backend, fetch } = setup(() => json(200, collection([event])));
    expect(await backend.auditEvents({ initiator: "IBMid-alice", action: "kms.secrets", target: "k1", failuresOnly: true, before: 10, withinLatest: 200000, limit: 50 })).toEqual([event]);
    const url = urlOf(callsTo(fetch, "/api/v2/audit_events")[0]?.[0]);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      initiator: "IBMid-alice",
      action: "kms.secrets",
      target: "k1",
      failuresOnly: "true",
      before: "10",
      withinLatest: "200000",
      limit: "50",
    });
  });

  it("has no connections or local server on the web", async () => {
    const { backend } = setup(() => json(200, {}));
    expect(backend.capabilities).toEqual({ connections: false, localServer: false });
    await expect(backend.connections()).rejects.toMatchObject({ code: "INVALID_STATE" });
    await expect(backend.startLocalServer()).rejects.toMatchObject({ code: "INVALID_STATE" });
  });
});
