import type {
  ActivityReport,
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
  KeyPolicies,
  KeyRingInfo,
  KeystoreInfo,
  LocalServerStatus,
  InstancePolicy,
  RegistrationInfo,
  SaveConnectionRequest,
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

/** What this transport can do beyond the keystore itself. */
export interface BackendCapabilities {
  /** Switch between this computer's keystore and remote instances (desktop only). */
  connections: boolean;
  /** Serve the embedded keystore on 127.0.0.1 (desktop only). */
  localServer: boolean;
}

/** Everything the console asks of a keystore, whatever carries the calls. */
export interface Backend {
  readonly capabilities: BackendCapabilities;
  info(): Promise<KeystoreInfo>;
  /** Who the keystore takes us to be and what we may do where (Strongroom's extension). */
  caller(): Promise<CallerInfo>;
  listKeys(request: ListKeysRequest): Promise<KeyList>;
  createKey(request: CreateKeyRequest): Promise<KeyInfo>;
  key(id: string): Promise<KeyInfo>;
  keyVersions(id: string): Promise<KeyVersionInfo[]>;
  rotateKey(request: RotateKeyRequest): Promise<KeyInfo>;
  disableKey(id: string): Promise<KeyInfo>;
  enableKey(id: string): Promise<KeyInfo>;
  /** Destroys the key; `force` deletes it even while other services' resources are registered to it. */
  deleteKey(id: string, force?: boolean): Promise<KeyInfo>;
  /** The first of two authorizations to delete a dual-authorization key. */
  setKeyForDeletion(id: string): Promise<KeyInfo>;
  /** Withdraws the pending first authorization. */
  unsetKeyForDeletion(id: string): Promise<KeyInfo>;
  /** Removes a destroyed key for good (at least 4 hours after its deletion). */
  purgeKey(id: string): Promise<KeyInfo>;
  moveKey(id: string, keyRing: string): Promise<KeyInfo>;
  createAlias(id: string, alias: string): Promise<KeyInfo>;
  deleteAlias(id: string, alias: string): Promise<KeyInfo>;
  keyPolicies(id: string): Promise<KeyPolicies>;
  setKeyPolicies(request: SetKeyPoliciesRequest): Promise<KeyPolicies>;
  /** Every alias and the key it names, in alias order (Strongroom's extension). */
  listAliases(request: ListAliasesRequest): Promise<AliasList>;
  keyRings(): Promise<KeyRingInfo[]>;
  createKeyRing(id: string): Promise<KeyRingInfo>;
  deleteKeyRing(id: string, force?: boolean): Promise<void>;
  instancePolicies(): Promise<InstancePolicy[]>;
  setInstancePolicies(policies: InstancePolicy[]): Promise<InstancePolicy[]>;
  /** Resources of other services registered to one key, or to every key when `keyId` is absent. */
  registrations(keyId?: string): Promise<RegistrationInfo[]>;
  /** Removes a resource's registration (a Manager lifting what a gone service left behind). */
  deleteRegistration(keyId: string, resourceCrn: string): Promise<void>;
  authorizations(): Promise<AuthorizationInfo[]>;
  createAuthorization(request: CreateAuthorizationRequest): Promise<AuthorizationInfo>;
  deleteAuthorization(id: string): Promise<void>;
  /** Replaces an authorization's roles (at least one), keeping its id, source and target. */
  setAuthorizationRoles(id: string, roles: string[]): Promise<AuthorizationInfo>;
  /** "Test as this service": would a source service be allowed this wrap or unwrap, and through what? */
  checkAuthorization(request: AuthorizationCheckRequest): Promise<AuthorizationCheck>;
  /** Calls served in the last hour, per minute and action, with latency. NOT_FOUND from IBM Key Protect. */
  usage(): Promise<UsageReport>;
  /**
   * The time the keystore's rules run on, ahead of this computer's where a test server's virtual
   * clock was moved. NOT_FOUND from IBM Key Protect.
   */
  clock(): Promise<ClockInfo>;
  /**
   * Audited calls per hour and action over the last `hours` hours, from counts the keystore keeps
   * with its audit trail. NOT_FOUND from IBM Key Protect.
   */
  activity(hours: number): Promise<ActivityReport>;
  /**
   * Saves an export (CSV or JSON). The desktop writes it to the Downloads folder and returns the
   * path; a browser offers it as a download and returns null.
   */
  saveExport(fileName: string, text: string, type: string): Promise<string | null>;
  /** Newest first. */
  auditEvents(query: AuditQueryRequest): Promise<AuditEventInfo[]>;
  restoreKey(id: string): Promise<KeyInfo>;
  wrap(request: WrapRequest): Promise<WrapResponse>;
  unwrap(request: UnwrapRequest): Promise<UnwrapResponse>;
  rewrap(request: UnwrapRequest): Promise<RewrapResponse>;
  /** A new import token for secure import, replacing any earlier one; no public key or nonce yet. */
  createImportToken(request: CreateImportTokenRequest): Promise<ImportTokenInfo>;
  /** Retrieves the import token with its public key and nonce (uses up one retrieval). */
  importToken(): Promise<ImportTokenInfo>;
  /** The import token's dates and retrievals, spending none; NOT_FOUND when there is none or the keystore cannot say. */
  importTokenStatus(): Promise<ImportTokenInfo>;
  /** Saved connections, `local` (this computer) first. Desktop only. */
  connections(): Promise<ConnectionProfile[]>;
  /** Creates or replaces a connection; the API key, if given, goes to the OS keyring only. */
  saveConnection(request: SaveConnectionRequest): Promise<ConnectionProfile>;
  deleteConnection(id: string): Promise<void>;
  /** Points every later call at that connection's keystore. */
  selectConnection(id: string): Promise<KeystoreInfo>;
  currentConnection(): Promise<ConnectionProfile>;
  testConnection(request: SaveConnectionRequest): Promise<ConnectionTest>;
  localServerStatus(): Promise<LocalServerStatus>;
  startLocalServer(port?: number): Promise<LocalServerStatus>;
  stopLocalServer(): Promise<LocalServerStatus>;
}

/** A failed backend call. Callers branch on `code`; `message` is for people. */
export class BackendError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "BackendError";
    this.code = code;
  }
}

export const GENERIC_FAILURE =
  "Something unexpected went wrong. Try again; if it keeps happening, restart Strongroom.";

// Typed as a Record so the compiler flags any code added to or removed from ErrorCode.
const KNOWN_CODES: Record<ErrorCode, true> = {
  NOT_FOUND: true,
  INVALID_INPUT: true,
  INVALID_STATE: true,
  KEY_DELETED: true,
  NOT_A_ROOT_KEY: true,
  UNDECRYPTABLE: true,
  ROTATION_TOO_SOON: true,
  PAYLOAD_REQUIRED: true,
  RESTORE_EXPIRED: true,
  CONFLICT: true,
  IMPORT_TOKEN_EXPIRED: true,
  INCORRECT_NONCE: true,
  UNAUTHENTICATED: true,
  FORBIDDEN: true,
  NOT_DUAL_AUTH: true,
  AUTHORIZATIONS_NOT_MET: true,
  PURGE_TOO_EARLY: true,
  PROTECTED_RESOURCE: true,
  DELETION_PREVENTED: true,
  SERVICE_ONLY: true,
  REGISTRATION_NEEDS_ROOT_KEY: true,
  KEY_RING_IN_USE: true,
  ALIAS_TAKEN: true,
  CREATE_IMPORT_ACCESS: true,
  KEYSTORE_UNAVAILABLE: true,
  INTERNAL: true,
  HOST_UNREACHABLE: true,
  TLS_FAILURE: true,
  BAD_API_KEY: true,
  WRONG_INSTANCE: true,
  TIMEOUT: true,
  NOT_SUPPORTED: true,
};

function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(KNOWN_CODES, value);
}

/**
 * Turns whatever a transport threw into a BackendError: an ApiError-shaped
 * object keeps its code and message, anything else becomes INTERNAL.
 */
export function toBackendError(thrown: unknown): BackendError {
  if (thrown instanceof BackendError) {
    return thrown;
  }
  if (typeof thrown === "object" && thrown !== null) {
    const { code, message } = thrown as { code?: unknown; message?: unknown };
    if (typeof code === "string" && typeof message === "string") {
      // A code newer than this UI still carries a message worth showing.
      return isErrorCode(code)
        ? new BackendError(code, message)
        : new BackendError("INTERNAL", message, { cause: thrown });
    }
  }
  return new BackendError("INTERNAL", GENERIC_FAILURE, { cause: thrown });
}
