import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
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
  ImportTokenInfo,
  KeyInfo,
  KeyList,
  KeyPolicies,
  KeyRingInfo,
  KeystoreInfo,
  InstancePolicy,
  LocalServerStatus,
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
import { toBackendError, type Backend } from "./backend";

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (thrown) {
    throw toBackendError(thrown);
  }
}

/** Talks to the Rust side through Tauri commands; a rejection carries an ApiError. */
export class TauriBackend implements Backend {
  readonly capabilities = { connections: true, localServer: true };

  info(): Promise<KeystoreInfo> {
    return call("keystore_info", {});
  }

  caller(): Promise<CallerInfo> {
    return call("caller", {});
  }

  listKeys(request: ListKeysRequest): Promise<KeyList> {
    return call("list_keys", { request });
  }

  createKey(request: CreateKeyRequest): Promise<KeyInfo> {
    return call("create_key", { request });
  }

  key(id: string): Promise<KeyInfo> {
    return call("key", { id });
  }

  keyVersions(id: string): Promise<KeyVersionInfo[]> {
    return call("key_versions", { id });
  }

  rotateKey(request: RotateKeyRequest): Promise<KeyInfo> {
    return call("rotate_key", { request });
  }

  disableKey(id: string): Promise<KeyInfo> {
    return call("disable_key", { id });
  }

  enableKey(id: string): Promise<KeyInfo> {
    return call("enable_key", { id });
  }

  deleteKey(id: string, force = false): Promise<KeyInfo> {
    return call("delete_key", force ? { id, force } : { id });
  }

  setKeyForDeletion(id: string): Promise<KeyInfo> {
    return call("set_key_for_deletion", { id });
  }

  unsetKeyForDeletion(id: string): Promise<KeyInfo> {
    return call("unset_key_for_deletion", { id });
  }

  purgeKey(id: string): Promise<KeyInfo> {
    return call("purge_key", { id });
  }

  moveKey(id: string, keyRing: string): Promise<KeyInfo> {
    return call("move_key", { id, keyRing });
  }

  createAlias(id: string, alias: string): Promise<KeyInfo> {
    return call("create_alias", { id, alias });
  }

  deleteAlias(id: string, alias: string): Promise<KeyInfo> {
    return call("delete_alias", { id, alias });
  }

  keyPolicies(id: string): Promise<KeyPolicies> {
    return call("key_policies", { id });
  }

  setKeyPolicies(request: SetKeyPoliciesRequest): Promise<KeyPolicies> {
    return call("set_key_policies", { request });
  }

  listAliases(request: ListAliasesRequest): Promise<AliasList> {
    return call("list_aliases", { request });
  }

  keyRings(): Promise<KeyRingInfo[]> {
    return call("key_rings", {});
  }

  createKeyRing(id: string): Promise<KeyRingInfo> {
    return call("create_key_ring", { id });
  }

  deleteKeyRing(id: string, force = false): Promise<void> {
    return call("delete_key_ring", force ? { id, force } : { id });
  }

  instancePolicies(): Promise<InstancePolicy[]> {
    return call("instance_policies", {});
  }

  setInstancePolicies(policies: InstancePolicy[]): Promise<InstancePolicy[]> {
    return call("set_instance_policies", { policies });
  }

  registrations(keyId?: string): Promise<RegistrationInfo[]> {
    return call("registrations", keyId === undefined ? {} : { id: keyId });
  }

  deleteRegistration(keyId: string, resourceCrn: string): Promise<void> {
    return call("delete_registration", { id: keyId, resourceCrn });
  }

  authorizations(): Promise<AuthorizationInfo[]> {
    return call("authorizations", {});
  }

  createAuthorization(request: CreateAuthorizationRequest): Promise<AuthorizationInfo> {
    return call("create_authorization", { request });
  }

  deleteAuthorization(id: string): Promise<void> {
    return call("delete_authorization", { id });
  }

  setAuthorizationRoles(id: string, roles: string[]): Promise<AuthorizationInfo> {
    return call("set_authorization_roles", { id, roles });
  }

  checkAuthorization(request: AuthorizationCheckRequest): Promise<AuthorizationCheck> {
    return call("check_authorization", { request });
  }

  usage(): Promise<UsageReport> {
    return call("usage", {});
  }

  clock(): Promise<ClockInfo> {
    return call("clock", {});
  }

  activity(hours: number): Promise<ActivityReport> {
    return call("activity", { hours });
  }

  saveExport(fileName: string, text: string): Promise<string | null> {
    return call("save_export", { fileName, contents: text });
  }

  auditEvents(query: AuditQueryRequest): Promise<AuditEventInfo[]> {
    return call("audit_events", { query });
  }

  restoreKey(id: string): Promise<KeyInfo> {
    return call("restore_key", { id });
  }

  wrap(request: WrapRequest): Promise<WrapResponse> {
    return call("wrap", { request });
  }

  unwrap(request: UnwrapRequest): Promise<UnwrapResponse> {
    return call("unwrap", { request });
  }

  rewrap(request: UnwrapRequest): Promise<RewrapResponse> {
    return call("rewrap", { request });
  }

  createImportToken(request: CreateImportTokenRequest): Promise<ImportTokenInfo> {
    return call("create_import_token", { request });
  }

  importToken(): Promise<ImportTokenInfo> {
    return call("import_token");
  }

  importTokenStatus(): Promise<ImportTokenInfo> {
    return call("import_token_status");
  }

  connections(): Promise<ConnectionProfile[]> {
    return call("connections", {});
  }

  saveConnection(request: SaveConnectionRequest): Promise<ConnectionProfile> {
    return call("save_connection", { request });
  }

  deleteConnection(id: string): Promise<void> {
    return call("delete_connection", { id });
  }

  selectConnection(id: string): Promise<KeystoreInfo> {
    return call("select_connection", { id });
  }

  currentConnection(): Promise<ConnectionProfile> {
    return call("current_connection", {});
  }

  testConnection(request: SaveConnectionRequest): Promise<ConnectionTest> {
    return call("test_connection", { request });
  }

  localServerStatus(): Promise<LocalServerStatus> {
    return call("local_server_status", {});
  }

  startLocalServer(port?: number): Promise<LocalServerStatus> {
    return call("start_local_server", port === undefined ? {} : { port });
  }

  stopLocalServer(): Promise<LocalServerStatus> {
    return call("stop_local_server", {});
  }
}
