//! Connections (this computer or a remote instance) and the local server.

use strongroom_api::{
    ApiError, ConnectionProfile, ConnectionTest, Keystore, KeystoreInfo, ListKeysRequest,
    LocalServerStatus, SaveConnectionRequest,
};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn connections(
    state: State<'_, AppState>,
) -> Result<Vec<ConnectionProfile>, ApiError> {
    state.connections()
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn current_connection(
    state: State<'_, AppState>,
) -> Result<ConnectionProfile, ApiError> {
    Ok(state.current_connection())
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(connection = %request.profile.id), err(level = "info"))]
pub(crate) async fn save_connection(
    state: State<'_, AppState>,
    request: SaveConnectionRequest,
) -> Result<ConnectionProfile, ApiError> {
    state.save_connection(request)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_connection(
    state: State<'_, AppState>,
    id: String,
) -> Result<(), ApiError> {
    state.delete_connection(&id)
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn select_connection(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeystoreInfo, ApiError> {
    state.select_connection(&id)?.info().await
}

/// A verdict a person can act on: the failure's code picks the sentence in the UI.
#[tauri::command]
#[tracing::instrument(skip_all, fields(connection = %request.profile.id))]
pub(crate) async fn test_connection(
    state: State<'_, AppState>,
    request: SaveConnectionRequest,
) -> Result<ConnectionTest, ApiError> {
    let keystore = match state.remote_for_test(&request) {
        Ok(keystore) => keystore,
        Err(err) => return Ok(ConnectionTest::failed(err)),
    };
    let listed = keystore
        .list_keys(ListKeysRequest {
            limit: Some(1),
            ..Default::default()
        })
        .await;
    // Whatever answered (even with a refusal) has shown its name and certificate.
    let peer = keystore.peer().unwrap_or_default();
    let mut test = match listed {
        Ok(page) => ConnectionTest {
            ok: true,
            code: None,
            message: format!(
                "Connected: {} keys are visible with this API key.",
                page.total
            ),
            key_count: Some(page.total),
            server: None,
            tls: None,
        },
        Err(err) => ConnectionTest::failed(err),
    };
    test.server = peer.server;
    test.tls = peer.tls;
    Ok(test)
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn local_server_status(
    state: State<'_, AppState>,
) -> Result<LocalServerStatus, ApiError> {
    Ok(state.local_server_status())
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn start_local_server(
    state: State<'_, AppState>,
    port: Option<u16>,
) -> Result<LocalServerStatus, ApiError> {
    state.start_local_server(port).await
}

#[tauri::command]
#[tracing::instrument(skip_all)]
pub(crate) async fn stop_local_server(
    state: State<'_, AppState>,
) -> Result<LocalServerStatus, ApiError> {
    Ok(state.stop_local_server())
}
