import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  CreateImportTokenRequest,
  CreateKeyRequest,
  ImportTokenInfo,
  KeyInfo,
  KeyList,
  KeystoreInfo,
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
  info(): Promise<KeystoreInfo> {
    return call("keystore_info", {});
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

  deleteKey(id: string): Promise<KeyInfo> {
    return call("delete_key", { id });
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
}
