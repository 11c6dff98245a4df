use strongroom_api::{
    ApiError, CallerInfo, CreateKeyRequest, KeyInfo, KeyList, KeyVersionInfo, KeystoreInfo,
    ListKeysRequest, RotateKeyRequest,
};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn keystore_info(state: State<'_, AppState>) -> Result<KeystoreInfo, ApiError> {
    state.keystore()?.info().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn caller(state: State<'_, AppState>) -> Result<CallerInfo, ApiError> {
    state.keystore()?.caller().await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(offset = request.offset), err(level = "info"))]
pub(crate) async fn list_keys(
    state: State<'_, AppState>,
    request: ListKeysRequest,
) -> Result<KeyList, ApiError> {
    state.keystore()?.list_keys(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(key_type = ?request.key_type), err(level = "info"))]
pub(crate) async fn create_key(
    state: State<'_, AppState>,
    request: CreateKeyRequest,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.create_key(request).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn key(state: State<'_, AppState>, id: String) -> Result<KeyInfo, ApiError> {
    state.keystore()?.key(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn key_versions(
    state: State<'_, AppState>,
    id: String,
) -> Result<Vec<KeyVersionInfo>, ApiError> {
    state.keystore()?.key_versions(&id).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %request.key_id), err(level = "info"))]
pub(crate) async fn rotate_key(
    state: State<'_, AppState>,
    request: RotateKeyRequest,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.rotate_key(request).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn disable_key(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.disable_key(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn enable_key(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.enable_key(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_key(
    state: State<'_, AppState>,
    id: String,
    force: Option<bool>,
) -> Result<KeyInfo, ApiError> {
    state
        .keystore()?
        .delete_key(&id, force.unwrap_or(false))
        .await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn restore_key(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.restore_key(&id).await
}
