import type {
  ActivityReport,
  AliasInfo,
  AliasList,
  ListAliasesRequest,
  AuditEventInfo,
  AuditQueryRequest,
  AuthorizationCheck,
  AuthorizationCheckRequest,
  UsageReport,
  AuthorizationInfo,
  CallerInfo,
  ClockInfo,
  ConnectionProfile,
  ConnectionTest,
  CreateAuthorizationRequest,
  CreateImportTokenRequest,
  CreateKeyRequest,
  ErrorCode,
  ImportTokenInfo,
  KeyInfo,
  KeyList,
  KeySort,
  KeyPolicies,
  KeyRingInfo,
  KeyStateName,
  KeystoreInfo,
  InstancePolicy,
  LocalServerStatus,
  RegistrationInfo,
  SetKeyPoliciesRequest,
  KeyVersionInfo,
  ListKeysRequest,
  RewrapResponse,
  RotateKeyRequest,
  UnwrapRequest,
  UnwrapResponse,
  WrapRequest,
  WrapResponse,
} from "../types";
import { KP_REASONS } from "../bindings/kpReasons";
import { offerDownload } from "../download";
import { BackendError, GENERIC_FAILURE, type Backend } from "./backend";

const KEY_TYPE = "application/vnd.ibm.kms.key+json";
export const POLICY_TYPE = "application/vnd.ibm.kms.policy+json";
const ROLE_PREFIX = "crn:v1:bluemix:public:iam::::serviceRole:";
const API_KEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";
/** Fetch a new token this long before the current one expires. */
const REFRESH_MARGIN_MS = 60_000;


/** When a body names no reason we know, the HTTP status still says something. */
function codeForStatus(status: number): ErrorCode {
  if (status === 401 || status === 403) return "UNAUTHENTICATED";
  if (status === 404) return "NOT_FOUND";
  if (status === 409) return "CONFLICT";
  if (status === 410) return "INVALID_STATE";
  if (status === 422) return "UNDECRYPTABLE";
  if (status === 502 || status === 503 || status === 504) return "KEYSTORE_UNAVAILABLE";
  if (status >= 400 && status < 500) return "INVALID_INPUT";
  return "INTERNAL";
}

const STATES: Record<number, KeyStateName> = { 1: "active", 2: "suspended", 3: "deactivated", 5: "destroyed" };
const STATE_NUMBERS: Record<KeyStateName, number> = { active: 1, suspended: 2, deactivated: 3, destroyed: 5 };

/** Key Protect's `sort` parameter; the generated field names are its wire names. */
const sortParameter = (sort: KeySort[]): string =>
  sort.map((key) => `${key.descending ? "-" : ""}${key.field}`).join(",");

/** Key Protect's largest page of registrations, and how many pages the console reads at most. */
const REGISTRATION_PAGE = 5000;
const MAX_REGISTRATION_PAGES = 20;

/** The fields of a Key Protect key resource the console reads. */
interface KpKey {
  id: string;
  name: string;
  description?: string;
  state: number;
  extractable: boolean;
  imported?: boolean;
  creationDate: string;
  lastUpdateDate?: string;
  lastRotateDate?: string;
  expirationDate?: string;
  deletionDate?: string;
  keyVersion?: { id: string; creationDate?: string };
  keyRingID?: string;
  aliases?: string[];
  createdBy?: string;
  deletedBy?: string;
  dualAuthDelete?: { enabled?: boolean; keySetForDeletion?: boolean; authExpiration?: string | null; authID?: string | null };
  rotation?: { enabled?: boolean; interval_month?: number };
  rotationDue?: boolean;
  restoreExpirationDate?: string;
  restoreAllowed?: boolean;
  purgeAllowedFrom?: string;
  purgeAllowed?: boolean;
}

interface KpCollection<T> {
  metadata?: { collectionTotal?: number; totalCount?: number };
  resources?: T[];
}

interface KpErrorBody {
  resources?: { errorMsg?: string; reasons?: { code?: string; message?: string }[] }[];
  errorCode?: string;
  errorMessage?: string;
  /** IAM Policy Management's shape. */
  errors?: { code?: string; message?: string }[];
}

interface KpPolicyResource {
  rotation?: { enabled?: boolean; interval_month?: number };
  dualAuthDelete?: { enabled?: boolean };
}

interface KpRegistration {
  keyId?: string;
  keyName?: string;
  resourceCrn?: string;
  createdBy?: string;
  updatedBy?: string;
  keyVersion?: { id?: string };
  creationDate?: string;
  lastUpdated?: string;
  description?: string;
  preventKeyDeletion?: boolean;
}

interface IamAttribute {
  name?: string;
  value?: string;
}

/** An IAM authorization policy, as IAM Policy Management lists it. */
interface IamPolicy {
  id?: string;
  type?: string;
  description?: string | null;
  subjects?: { attributes?: IamAttribute[] }[];
  resources?: { attributes?: IamAttribute[] }[];
  roles?: { role_id?: string; display_name?: string }[];
  created_at?: string;
  created_by_id?: string;
  /** `strongroom serve`'s addition: the source service's last use through this authorization. */
  last_used_at?: string | null;
}

const DESKTOP_ONLY = "Connections and the local server are available in the desktop app only.";

function keyPoliciesFromKp(resources: KpPolicyResource[]): KeyPolicies {
  const policies: KeyPolicies = { dualAuthDelete: false };
  for (const resource of resources) {
    if (resource.rotation?.interval_month !== undefined) {
      policies.rotation = { enabled: resource.rotation.enabled ?? true, intervalMonth: resource.rotation.interval_month };
    }
    if (resource.dualAuthDelete !== undefined) policies.dualAuthDelete = resource.dualAuthDelete.enabled ?? false;
  }
  return policies;
}

/**
 * The IAM authorization policy that grants `request`: source service (and instance) → this
 * Key Protect instance, a key ring in it or one key. Also what the console's curl shows.
 */
export function iamAuthorizationPolicy(request: CreateAuthorizationRequest, instanceId: string) {
  const subject: IamAttribute[] = [{ name: "serviceName", value: request.sourceService }];
  if (request.sourceInstance !== undefined) subject.push({ name: "serviceInstance", value: request.sourceInstance });
  const resource: (IamAttribute & { operator: string })[] = [
    { name: "serviceName", value: "kms", operator: "stringEquals" },
    { name: "serviceInstance", value: instanceId, operator: "stringEquals" },
  ];
  if (request.keyRing !== undefined) resource.push({ name: "keyRing", value: request.keyRing, operator: "stringEquals" });
  if (request.keyId !== undefined) {
    resource.push({ name: "resourceType", value: "key", operator: "stringEquals" });
    resource.push({ name: "resource", value: request.keyId, operator: "stringEquals" });
  }
  const roles = request.roles === undefined || request.roles.length === 0 ? ["Reader"] : request.roles;
  return {
    type: "authorization",
    subjects: [{ attributes: subject }],
    roles: roles.map((role) => ({ role_id: `${ROLE_PREFIX}${role}` })),
    resources: [{ attributes: resource }],
  };
}

/** Key Protect's collection of instance policies, as `PUT /instance/policies` takes it. */
export function kpInstancePolicies(policies: InstancePolicy[]) {
  const resources = policies.map((policy) => ({
    policy_type: policy.policyType,
    policy_data:
      policy.attributes === undefined
        ? { enabled: policy.enabled }
        : { enabled: policy.enabled, attributes: policy.attributes },
  }));
  return { metadata: { collectionType: POLICY_TYPE, collectionTotal: resources.length }, resources };
}

/** An IAM authorization policy back into the console's shape. */
export function authorizationFromIam(policy: IamPolicy): AuthorizationInfo {
  const attribute = (list: { attributes?: IamAttribute[] }[] | undefined, name: string) =>
    list?.[0]?.attributes?.find((a) => a.name === name)?.value;
  const info: AuthorizationInfo = {
    id: policy.id ?? "",
    sourceService: attribute(policy.subjects, "serviceName") ?? "",
    targetInstance: attribute(policy.resources, "serviceInstance") ?? "",
    roles: (policy.roles ?? []).map(
      (role) => role.display_name ?? (role.role_id ?? "").replace(ROLE_PREFIX, ""),
    ),
    createdAt: policy.created_at ?? "",
    createdBy: policy.created_by_id ?? "",
  };
  const sourceInstance = attribute(policy.subjects, "serviceInstance");
  if (sourceInstance !== undefined) info.sourceInstance = sourceInstance;
  const keyRing = attribute(policy.resources, "keyRing");
  if (keyRing !== undefined) info.keyRing = keyRing;
  const keyId = attribute(policy.resources, "resource");
  if (keyId !== undefined) info.keyId = keyId;
  if (typeof policy.last_used_at === "string" && policy.last_used_at !== "") info.lastUsedAt = policy.last_used_at;
  return info;
}

/** A Key Protect key resource as the console's KeyInfo. */
export function keyInfoFromKp(kp: KpKey): KeyInfo {
  const info: KeyInfo = {
    id: kp.id,
    name: kp.name,
    keyType: kp.extractable ? "standard" : "root",
    // Pre-activation (0) behaves like a key that cannot be used yet.
    state: STATES[kp.state] ?? "suspended",
    imported: kp.imported ?? false,
    createdAt: kp.creationDate,
    updatedAt: kp.lastUpdateDate ?? kp.creationDate,
    keyVersion: {
      id: kp.keyVersion?.id ?? kp.id,
      createdAt: kp.keyVersion?.creationDate ?? kp.lastRotateDate ?? kp.creationDate,
    },
    keyRing: kp.keyRingID ?? "default",
    aliases: kp.aliases ?? [],
    createdBy: kp.createdBy ?? "",
    dualAuthDelete: {
      enabled: kp.dualAuthDelete?.enabled ?? false,
      keySetForDeletion: kp.dualAuthDelete?.keySetForDeletion ?? false,
    },
    rotationDue: kp.rotationDue ?? false,
  };
  if (kp.dualAuthDelete?.authID) info.dualAuthDelete.authorizedBy = kp.dualAuthDelete.authID;
  if (kp.dualAuthDelete?.authExpiration) info.dualAuthDelete.authExpiration = kp.dualAuthDelete.authExpiration;
  if (kp.rotation?.interval_month !== undefined) {
    info.rotation = { enabled: kp.rotation.enabled ?? true, intervalMonth: kp.rotation.interval_month };
  }
  if (kp.deletedBy !== undefined) info.deletedBy = kp.deletedBy;
  if (kp.description !== undefined) info.description = kp.description;
  if (kp.lastRotateDate !== undefined) info.lastRotatedAt = kp.lastRotateDate;
  if (kp.deletionDate !== undefined) info.deletedAt = kp.deletionDate;
  if (kp.expirationDate !== undefined) info.expiresAt = kp.expirationDate;
  // Both dates or neither, as the desktop's remote client reads them.
  if (kp.restoreExpirationDate !== undefined && kp.purgeAllowedFrom !== undefined) {
    info.deletionWindow = {
      restorableUntil: kp.restoreExpirationDate,
      restoreAllowed: kp.restoreAllowed ?? false,
      purgeableFrom: kp.purgeAllowedFrom,
      purgeAllowed: kp.purgeAllowed ?? false,
    };
  }
  return info;
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns a failed response (Key Protect's envelope, or IAM's) into a BackendError. */
export function errorFromResponse(status: number, body: unknown): BackendError {
  const envelope = (typeof body === "object" && body !== null ? body : {}) as KpErrorBody;
  const iamError = envelope.errors?.[0];
  if (iamError !== undefined) {
    const code: ErrorCode = status === 403 ? "FORBIDDEN" : codeForStatus(status);
    return new BackendError(code, iamError.message ?? GENERIC_FAILURE);
  }
  const resource = envelope.resources?.[0];
  const reason = resource?.reasons?.[0];
  if (reason?.code !== undefined) {
    const code = KP_REASONS[reason.code] ?? codeForStatus(status);
    return new BackendError(code, reason.message ?? resource?.errorMsg ?? GENERIC_FAILURE);
  }
  if (resource?.errorMsg !== undefined) {
    return new BackendError(codeForStatus(status), resource.errorMsg);
  }
  if (envelope.errorCode !== undefined) {
    // IAM: any refusal of the API key is a credentials problem.
    const code = status >= 500 ? "INTERNAL" : "UNAUTHENTICATED";
    return new BackendError(code, envelope.errorMessage ?? GENERIC_FAILURE);
  }
  return new BackendError(codeForStatus(status), GENERIC_FAILURE);
}

export interface HttpBackendOptions {
  /** Origin of the server, e.g. `https://kms.example` (same origin when served at /ui). */
  baseUrl: string;
  instanceId: string;
  /** Kept in memory only, for token refreshes; never stored or logged. */
  apiKey: string;
  fetch?: typeof fetch;
  now?: () => number;
}

interface Token {
  value: string;
  expiresAt: number;
}

/** Talks to `strongroom serve` (or Key Protect) over its v2 REST API with an IAM token. */
export class HttpBackend implements Backend {
  readonly capabilities = { connections: false, localServer: false };
  readonly #baseUrl: string;
  readonly #instanceId: string;
  #apiKey: string;
  readonly #fetch: typeof fetch;
  readonly #now: () => number;
  #token: Token | null = null;
  #pendingToken: Promise<Token> | null = null;

  constructor(options: HttpBackendOptions) {
    this.#baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.#instanceId = options.instanceId.trim();
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.#now = options.now ?? Date.now;
  }

  /** Where the calls go, for snippets that repeat them; never the API key or token. */
  get endpoint(): { baseUrl: string; instanceId: string } {
    return { baseUrl: this.#baseUrl, instanceId: this.#instanceId };
  }

  /** Forgets the API key and the token; every later call fails as unauthenticated. */
  signOut(): void {
    this.#apiKey = "";
    this.#token = null;
    this.#pendingToken = null;
  }

  async #send(url: string, init: RequestInit): Promise<Response> {
    try {
      return await this.#fetch(url, init);
    } catch (thrown) {
      throw new BackendError(
        "KEYSTORE_UNAVAILABLE",
        `The keystore at ${this.#baseUrl} could not be reached. Check that it is running and try again.`,
        { cause: thrown },
      );
    }
  }

  async #requestToken(): Promise<Token> {
    if (this.#apiKey === "") {
      throw new BackendError("UNAUTHENTICATED", "Signed out. Sign in again with an API key.");
    }
    const form = new URLSearchParams({ grant_type: API_KEY_GRANT, apikey: this.#apiKey });
    const response = await this.#send(`${this.#baseUrl}/identity/token`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form.toString(),
    });
    const body = await readJson(response);
    if (!response.ok) throw errorFromResponse(response.status, body);
    const { access_token: value, expires_in: expiresIn, expiration } = (body ?? {}) as {
      access_token?: string;
      expires_in?: number;
      expiration?: number;
    };
    if (typeof value !== "string" || value === "") {
      throw new BackendError("INTERNAL", "The keystore answered the sign-in without a token.");
    }
    const expiresAt =
      typeof expiration === "number"
        ? expiration * 1000
        : this.#now() + (typeof expiresIn === "number" ? expiresIn : 3600) * 1000;
    return { value, expiresAt };
  }

  /** A valid token, fetched once for all concurrent callers and renewed before it expires. */
  async #bearer(): Promise<string> {
    if (this.#token !== null && this.#now() < this.#token.expiresAt - REFRESH_MARGIN_MS) {
      return this.#token.value;
    }
    this.#pendingToken ??= this.#requestToken().finally(() => {
      this.#pendingToken = null;
    });
    const token = await this.#pendingToken;
    this.#token = token;
    return token.value;
  }

  #call<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    return this.#request<T>(method, `/api/v2${path}`, body, extraHeaders);
  }

  async #request<T>(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> {
    const { parsed } = await this.#exchange<T>(method, path, body, extraHeaders);
    return parsed;
  }

  /** A call's parsed body and its headers (an IAM policy's `ETag`). */
  async #exchange<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
    retried = false,
  ): Promise<{ parsed: T; headers: Headers }> {
    const bearer = await this.#bearer();
    const headers: Record<string, string> = {
      Authorization: `Bearer ${bearer}`,
      "Bluemix-Instance": this.#instanceId,
      Accept: "application/json",
      ...extraHeaders,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const response = await this.#send(`${this.#baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 401 && !retried) {
      // The token may have been revoked or the server restarted; one fresh token, then give up.
      this.#token = null;
      return this.#exchange<T>(method, path, body, extraHeaders, true);
    }
    const parsed = await readJson(response);
    if (!response.ok) throw errorFromResponse(response.status, parsed);
    return { parsed: parsed as T, headers: response.headers };
  }

  async #oneKey(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<KeyInfo> {
    const collection = await this.#call<KpCollection<KpKey>>(method, path, body, headers);
    const resource = collection?.resources?.[0];
    if (resource === undefined) {
      throw new BackendError("INTERNAL", "The keystore answered without the key.");
    }
    return keyInfoFromKp(resource);
  }

  async #action(id: string, action: string, body: unknown = {}): Promise<unknown> {
    return this.#call("POST", `/keys/${encodeURIComponent(id)}/actions/${action}`, body);
  }

  async info(): Promise<KeystoreInfo> {
    // Proves the API key and the instance id together.
    await this.#call("GET", "/keys?limit=1");
    return { mode: "remote", location: `${this.#baseUrl} · instance ${this.#instanceId}` };
  }

  async caller(): Promise<CallerInfo> {
    const caller = await this.#call<CallerInfo>("GET", "/caller");
    // Permission-aware controls read these lists on every render: an answer without them is no caller.
    if (caller === undefined || !Array.isArray(caller.grants) || !Array.isArray(caller.actionRoles)) {
      throw new BackendError("INTERNAL", "The keystore answered without the caller.");
    }
    return caller;
  }

  async listKeys(request: ListKeysRequest): Promise<KeyList> {
    const query = new URLSearchParams({ offset: String(request.offset), totalCount: "true" });
    if (request.limit !== undefined) query.set("limit", String(request.limit));
    if (request.states.length > 0) query.set("state", request.states.map((state) => STATE_NUMBERS[state]).join(","));
    if (request.keyType !== undefined) query.set("extractable", String(request.keyType === "standard"));
    if (request.search !== undefined && request.search !== "") query.set("search", request.search);
    if (request.sort !== undefined && request.sort.length > 0) query.set("sort", sortParameter(request.sort));
    // Strongroom's own filters. The server names those it applied; one that is not named was
    // ignored (a proxy to Key Protect would), and an unfiltered page must not pass for a filtered one.
    const asked = (["imported", "dualAuthDelete", "rotationDue"] as const).filter((name) => request[name] !== undefined);
    for (const name of asked) query.set(name, String(request[name]));
    // Key Protect narrows a listing to one ring with a header, not a query parameter.
    const headers: Record<string, string> = request.keyRing === undefined ? {} : { "X-Kms-Key-Ring": request.keyRing };
    const { parsed: collection, headers: answer } = await this.#exchange<KpCollection<KpKey> | undefined>(
      "GET",
      `/api/v2/keys?${query.toString()}`,
      undefined,
      headers,
    );
    const applied = (answer.get("X-Strongroom-Filters") ?? "").split(",").map((name) => name.trim());
    const missing = asked.find((name) => !applied.includes(name));
    if (missing !== undefined) {
      throw new BackendError("NOT_SUPPORTED", `This instance cannot filter keys by \`${missing}\`; only a Strongroom server can.`);
    }
    const keys = (collection?.resources ?? []).map(keyInfoFromKp);
    return { keys, total: collection?.metadata?.totalCount ?? keys.length };
  }

  createKey(request: CreateKeyRequest): Promise<KeyInfo> {
    const resource: Record<string, unknown> = {
      type: KEY_TYPE,
      name: request.name,
      extractable: request.keyType === "standard",
    };
    if (request.description !== undefined) resource.description = request.description;
    if (request.expiresAt !== undefined) resource.expirationDate = request.expiresAt;
    if (request.payload !== undefined) resource.payload = request.payload;
    if (request.encryptedNonce !== undefined) resource.encryptedNonce = request.encryptedNonce;
    if (request.iv !== undefined) resource.iv = request.iv;
    if (request.encryptionAlgorithm !== undefined) resource.encryptionAlgorithm = request.encryptionAlgorithm;
    if (request.aliases !== undefined && request.aliases.length > 0) resource.aliases = request.aliases;
    if (request.keyRing !== undefined) resource.keyRingID = request.keyRing;
    if (request.dualAuthDelete !== undefined) resource.dualAuthDelete = { enabled: request.dualAuthDelete };
    if (request.rotation !== undefined) {
      resource.rotation = { enabled: request.rotation.enabled, interval_month: request.rotation.intervalMonth };
    }
    return this.#oneKey("POST", "/keys", {
      metadata: { collectionType: KEY_TYPE, collectionTotal: 1 },
      resources: [resource],
    });
  }

  key(id: string): Promise<KeyInfo> {
    // The metadata path never carries a standard key's payload.
    return this.#oneKey("GET", `/keys/${encodeURIComponent(id)}/metadata`);
  }

  async keyVersions(id: string): Promise<KeyVersionInfo[]> {
    const collection = await this.#call<KpCollection<KpVersion>>("GET", `/keys/${encodeURIComponent(id)}/versions`);
    // Key Protect lists newest first; the console's other backend gives oldest first.
    return (collection?.resources ?? []).map(versionInfo).reverse();
  }

  async rotateKey(request: RotateKeyRequest): Promise<KeyInfo> {
    const { keyId, ...material } = request;
    await this.#action(keyId, "rotate", material);
    return this.key(keyId);
  }

  async disableKey(id: string): Promise<KeyInfo> {
    await this.#action(id, "disable");
    return this.key(id);
  }

  async enableKey(id: string): Promise<KeyInfo> {
    await this.#action(id, "enable");
    return this.key(id);
  }

  deleteKey(id: string, force = false): Promise<KeyInfo> {
    const query = force ? "?force=true" : "";
    return this.#oneKey("DELETE", `/keys/${encodeURIComponent(id)}${query}`, undefined, {
      Prefer: "return=representation",
    });
  }

  async setKeyForDeletion(id: string): Promise<KeyInfo> {
    await this.#action(id, "setKeyForDeletion");
    return this.key(id);
  }

  async unsetKeyForDeletion(id: string): Promise<KeyInfo> {
    await this.#action(id, "unsetKeyForDeletion");
    return this.key(id);
  }

  purgeKey(id: string): Promise<KeyInfo> {
    return this.#oneKey("DELETE", `/keys/${encodeURIComponent(id)}/purge`);
  }

  moveKey(id: string, keyRing: string): Promise<KeyInfo> {
    return this.#oneKey("PATCH", `/keys/${encodeURIComponent(id)}`, { keyRingID: keyRing });
  }

  async createAlias(id: string, alias: string): Promise<KeyInfo> {
    await this.#call("POST", `/keys/${encodeURIComponent(id)}/aliases/${encodeURIComponent(alias)}`, {});
    return this.key(id);
  }

  async deleteAlias(id: string, alias: string): Promise<KeyInfo> {
    await this.#call("DELETE", `/keys/${encodeURIComponent(id)}/aliases/${encodeURIComponent(alias)}`);
    return this.key(id);
  }

  async keyPolicies(id: string): Promise<KeyPolicies> {
    const collection = await this.#call<KpCollection<KpPolicyResource>>("GET", `/keys/${encodeURIComponent(id)}/policies`);
    return keyPoliciesFromKp(collection?.resources ?? []);
  }

  async setKeyPolicies(request: SetKeyPoliciesRequest): Promise<KeyPolicies> {
    const resources: unknown[] = [];
    if (request.rotation !== undefined) {
      resources.push({
        type: POLICY_TYPE,
        rotation: { enabled: request.rotation.enabled, interval_month: request.rotation.intervalMonth },
      });
    }
    if (request.dualAuthDelete !== undefined) {
      resources.push({ type: POLICY_TYPE, dualAuthDelete: { enabled: request.dualAuthDelete } });
    }
    const collection = await this.#call<KpCollection<KpPolicyResource>>(
      "PUT",
      `/keys/${encodeURIComponent(request.keyId)}/policies`,
      { metadata: { collectionType: POLICY_TYPE, collectionTotal: resources.length }, resources },
    );
    return keyPoliciesFromKp(collection?.resources ?? []);
  }

  async listAliases(request: ListAliasesRequest): Promise<AliasList> {
    const query = new URLSearchParams({ offset: String(request.offset) });
    if (request.prefix !== undefined) query.set("prefix", request.prefix);
    if (request.limit !== undefined) query.set("limit", String(request.limit));
    const collection = await this.#call<KpCollection<AliasInfo>>("GET", `/aliases?${query.toString()}`);
    const aliases = collection?.resources ?? [];
    return { aliases, total: collection?.metadata?.totalCount ?? aliases.length };
  }

  async keyRings(): Promise<KeyRingInfo[]> {
    const collection = await this.#call<KpCollection<{ id?: string; creationDate?: string; createdBy?: string }>>(
      "GET",
      "/key_rings",
    );
    return (collection?.resources ?? []).map((ring) => ({
      id: ring.id ?? "",
      createdAt: ring.creationDate ?? "",
      createdBy: ring.createdBy ?? "",
    }));
  }

  async createKeyRing(id: string): Promise<KeyRingInfo> {
    await this.#call("POST", `/key_rings/${encodeURIComponent(id)}`, {});
    const ring = (await this.keyRings()).find((candidate) => candidate.id === id);
    if (ring === undefined) throw new BackendError("INTERNAL", "The keystore did not list the new key ring.");
    return ring;
  }

  async deleteKeyRing(id: string, force = false): Promise<void> {
    await this.#call("DELETE", `/key_rings/${encodeURIComponent(id)}${force ? "?force=true" : ""}`);
  }

  async instancePolicies(): Promise<InstancePolicy[]> {
    const collection = await this.#call<
      KpCollection<{
        policy_type?: string;
        policy_data?: { enabled?: boolean; attributes?: Record<string, unknown> | null };
        lastUpdated?: string;
        updatedBy?: string;
      }>
    >("GET", "/instance/policies");
    return (collection?.resources ?? []).map((resource) => {
      const policy: InstancePolicy = {
        policyType: resource.policy_type ?? "",
        enabled: resource.policy_data?.enabled ?? false,
      };
      if (resource.policy_data?.attributes) policy.attributes = resource.policy_data.attributes;
      if (resource.lastUpdated !== undefined) policy.updatedAt = resource.lastUpdated;
      if (resource.updatedBy !== undefined) policy.updatedBy = resource.updatedBy;
      return policy;
    });
  }

  async setInstancePolicies(policies: InstancePolicy[]): Promise<InstancePolicy[]> {
    await this.#call("PUT", "/instance/policies", kpInstancePolicies(policies));
    return this.instancePolicies();
  }

  /**
   * Every registration, as the desktop keystore answers: Key Protect pages them (200 by default),
   * so they are read a page at a time until a page comes back short, up to a bound.
   */
  async registrations(keyId?: string): Promise<RegistrationInfo[]> {
    const path = keyId === undefined ? "/keys/registrations" : `/keys/${encodeURIComponent(keyId)}/registrations`;
    const all: RegistrationInfo[] = [];
    for (let page = 0; page < MAX_REGISTRATION_PAGES; page += 1) {
      const query = new URLSearchParams({ limit: String(REGISTRATION_PAGE), offset: String(all.length) });
      const collection = await this.#call<KpCollection<KpRegistration>>("GET", `${path}?${query.toString()}`);
      const resources = collection?.resources ?? [];
      all.push(
        ...resources.map((registration) => ({
          keyId: registration.keyId ?? "",
          keyName: registration.keyName ?? "",
          resourceCrn: registration.resourceCrn ?? "",
          service: registration.updatedBy ?? registration.createdBy ?? "",
          createdBy: registration.createdBy ?? "",
          keyVersion: registration.keyVersion?.id ?? "",
          createdAt: registration.creationDate ?? "",
          updatedAt: registration.lastUpdated ?? "",
          description: registration.description ?? "",
          preventKeyDeletion: registration.preventKeyDeletion === true,
        })),
      );
      // Exactly a page: a server that ignores `limit` and answers everything is read once.
      if (resources.length !== REGISTRATION_PAGE) break;
    }
    return all;
  }

  async deleteRegistration(keyId: string, resourceCrn: string): Promise<void> {
    await this.#call("DELETE", `/keys/${encodeURIComponent(keyId)}/registrations/${encodeURIComponent(resourceCrn)}`);
  }

  async authorizations(): Promise<AuthorizationInfo[]> {
    const list = await this.#request<{ policies?: IamPolicy[] }>("GET", "/v1/policies?type=authorization");
    return (list?.policies ?? [])
      .map(authorizationFromIam)
      .filter((authorization) => authorization.targetInstance === this.#instanceId);
  }

  async createAuthorization(request: CreateAuthorizationRequest): Promise<AuthorizationInfo> {
    const created = await this.#request<IamPolicy>("POST", "/v1/policies", iamAuthorizationPolicy(request, this.#instanceId));
    return authorizationFromIam(created ?? {});
  }

  async deleteAuthorization(id: string): Promise<void> {
    await this.#request("DELETE", `/v1/policies/${encodeURIComponent(id)}`);
  }

  /** IAM's edit: the policy is read for its ETag and replaced under If-Match, so a change made meanwhile is refused. */
  async setAuthorizationRoles(id: string, roles: string[]): Promise<AuthorizationInfo> {
    const path = `/v1/policies/${encodeURIComponent(id)}`;
    const { parsed: policy, headers } = await this.#exchange<IamPolicy | undefined>("GET", path);
    const etag = headers.get("ETag");
    if (policy === undefined || etag === null) {
      throw new BackendError("INTERNAL", "The keystore answered without the authorization's revision.");
    }
    // Only an authorization of this instance: the id could name any IAM policy.
    if (policy.type !== "authorization" || authorizationFromIam(policy).targetInstance !== this.#instanceId) {
      throw new BackendError("NOT_FOUND", `Authorization ${id} was not found.`);
    }
    const replacement = {
      type: policy.type,
      subjects: policy.subjects,
      resources: policy.resources,
      roles: roles.map((role) => ({ role_id: `${ROLE_PREFIX}${role}` })),
      ...(typeof policy.description === "string" ? { description: policy.description } : {}),
    };
    const updated = await this.#request<IamPolicy>("PUT", path, replacement, { "If-Match": etag });
    return authorizationFromIam(updated ?? {});
  }

  saveExport(fileName: string, text: string, type: string): Promise<string | null> {
    offerDownload(fileName, text, type);
    return Promise.resolve(null);
  }

  async checkAuthorization(request: AuthorizationCheckRequest): Promise<AuthorizationCheck> {
    const check = await this.#call<AuthorizationCheck>("POST", "/authorization_checks", request);
    if (check === undefined) throw new BackendError("INTERNAL", "The keystore answered without a verdict.");
    return check;
  }

  async clock(): Promise<ClockInfo> {
    const clock = await this.#call<ClockInfo>("GET", "/clock");
    if (clock === undefined) throw new BackendError("INTERNAL", "The keystore answered without its time.");
    return clock;
  }

  async usage(): Promise<UsageReport> {
    const report = await this.#call<UsageReport>("GET", "/usage");
    if (report === undefined) throw new BackendError("INTERNAL", "The keystore answered without a usage report.");
    return report;
  }

  async activity(hours: number): Promise<ActivityReport> {
    const report = await this.#call<ActivityReport>("GET", `/activity?hours=${String(hours)}`);
    if (report === undefined) throw new BackendError("INTERNAL", "The keystore answered without an activity report.");
    return report;
  }

  async auditEvents(query: AuditQueryRequest): Promise<AuditEventInfo[]> {
    const params = new URLSearchParams();
    if (query.initiator !== undefined) params.set("initiator", query.initiator);
    if (query.action !== undefined) params.set("action", query.action);
    if (query.target !== undefined) params.set("target", query.target);
    if (query.failuresOnly === true) params.set("failuresOnly", "true");
    if (query.correlationId !== undefined) params.set("correlationId", query.correlationId);
    if (query.before !== undefined) params.set("before", String(query.before));
    if (query.withinLatest !== undefined) params.set("withinLatest", String(query.withinLatest));
    if (query.since !== undefined) params.set("since", query.since);
    if (query.until !== undefined) params.set("until", query.until);
    if (query.limit !== undefined) params.set("limit", String(query.limit));
    const text = params.toString();
    const collection = await this.#call<KpCollection<AuditEventInfo>>("GET", `/audit_events${text === "" ? "" : `?${text}`}`);
    return collection?.resources ?? [];
  }

  restoreKey(id: string): Promise<KeyInfo> {
    return this.#oneKey("POST", `/keys/${encodeURIComponent(id)}/restore`, {});
  }

  async wrap(request: WrapRequest): Promise<WrapResponse> {
    const { keyId, ...body } = request;
    const result = (await this.#action(keyId, "wrap", body)) as WrapResponse;
    const response: WrapResponse = { ciphertext: result.ciphertext, keyVersion: { id: result.keyVersion.id } };
    if (result.plaintext !== undefined) response.plaintext = result.plaintext;
    return response;
  }

  async unwrap(request: UnwrapRequest): Promise<UnwrapResponse> {
    const { keyId, ...body } = request;
    const result = (await this.#action(keyId, "unwrap", body)) as {
      plaintext: string;
      keyVersion: { id: string };
      ciphertext?: string;
      rewrappedKeyVersion?: { id: string };
    };
    const response: UnwrapResponse = { plaintext: result.plaintext, keyVersion: { id: result.keyVersion.id } };
    if (result.ciphertext !== undefined && result.rewrappedKeyVersion !== undefined) {
      response.rewrapped = { ciphertext: result.ciphertext, keyVersion: { id: result.rewrappedKeyVersion.id } };
    }
    return response;
  }

  async rewrap(request: UnwrapRequest): Promise<RewrapResponse> {
    const { keyId, ...body } = request;
    const result = (await this.#action(keyId, "rewrap", body)) as RewrapResponse;
    return {
      ciphertext: result.ciphertext,
      keyVersion: { id: result.keyVersion.id },
      rewrappedKeyVersion: { id: result.rewrappedKeyVersion.id },
    };
  }

  createImportToken(request: CreateImportTokenRequest): Promise<ImportTokenInfo> {
    return this.#call("POST", "/import_token", request);
  }

  importToken(): Promise<ImportTokenInfo> {
    return this.#call("GET", "/import_token");
  }

  importTokenStatus(): Promise<ImportTokenInfo> {
    return this.#call("GET", "/import_token/status");
  }

  connections(): Promise<ConnectionProfile[]> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  saveConnection(): Promise<ConnectionProfile> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  deleteConnection(): Promise<void> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  selectConnection(): Promise<KeystoreInfo> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  currentConnection(): Promise<ConnectionProfile> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  testConnection(): Promise<ConnectionTest> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  localServerStatus(): Promise<LocalServerStatus> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  startLocalServer(): Promise<LocalServerStatus> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }

  stopLocalServer(): Promise<LocalServerStatus> {
    return Promise.reject(new BackendError("INVALID_STATE", DESKTOP_ONLY));
  }
}

/** A versions listing's entry; `strongroom serve` adds its use counts, IBM Key Protect does not. */
interface KpVersion {
  id: string;
  creationDate?: string;
  wraps?: number;
  unwraps?: number;
  lastUsedDate?: string;
}

function versionInfo(version: KpVersion): KeyVersionInfo {
  const info: KeyVersionInfo = { id: version.id, createdAt: version.creationDate ?? "" };
  if (typeof version.wraps === "number") info.wraps = version.wraps;
  if (typeof version.unwraps === "number") info.unwraps = version.unwraps;
  if (typeof version.lastUsedDate === "string") info.lastUsedAt = version.lastUsedDate;
  return info;
}
