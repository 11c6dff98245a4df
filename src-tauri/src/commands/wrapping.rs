use strongroom_api::{
    ApiError, RewrapRequest, RewrapResponse, UnwrapRequest, UnwrapResponse, WrapRequest,
    WrapResponse,
};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %request.key_id, aad_items = request.aad.len()), err(level = "info"))]
pub(crate) async fn wrap(
    state: State<'_, AppState>,
    request: WrapRequest,
) -> Result<WrapResponse, ApiError> {
    state.keystore()?.wrap(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %request.key_id, aad_items = request.aad.len()), err(level = "info"))]
pub(crate) async fn unwrap(
    state: State<'_, AppState>,
    request: UnwrapRequest,
) -> Result<UnwrapResponse, ApiError> {
    state.keystore()?.unwrap(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(id = %request.key_id, aad_items = request.aad.len()), err(level = "info"))]
pub(crate) async fn rewrap(
    state: State<'_, AppState>,
    request: RewrapRequest,
) -> Result<RewrapResponse, ApiError> {
    state.keystore()?.rewrap(request).await
}
