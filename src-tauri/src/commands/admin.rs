//! Key rings, aliases, policies, dual authorization, purge, import tokens, authorizations
//! and the audit trail: each command parses its arguments and calls the facade.

use strongroom_api::{
    ActivityReport, AliasList, ApiError, AuditEventInfo, AuditQueryRequest, AuthorizationCheck,
    AuthorizationCheckRequest, AuthorizationInfo, ClockInfo, CreateAuthorizationRequest,
    CreateImportTokenRequest, ImportTokenInfo, InstancePolicy, KeyInfo, KeyPolicies, KeyRingInfo,
    ListAliasesRequest, RegistrationInfo, SetKeyPoliciesRequest, UsageReport,
};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn set_key_for_deletion(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.set_key_for_deletion(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn unset_key_for_deletion(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.unset_key_for_deletion(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn purge_key(state: State<'_, AppState>, id: String) -> Result<KeyInfo, ApiError> {
    state.keystore()?.purge_key(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn move_key(
    state: State<'_, AppState>,
    id: String,
    key_ring: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.move_key(&id, &key_ring).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn create_alias(
    state: State<'_, AppState>,
    id: String,
    alias: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.create_alias(&id, &alias).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_alias(
    state: State<'_, AppState>,
    id: String,
    alias: String,
) -> Result<KeyInfo, ApiError> {
    state.keystore()?.delete_alias(&id, &alias).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn key_policies(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyPolicies, ApiError> {
    state.keystore()?.key_policies(&id).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(key_id = %request.key_id), err(level = "info"))]
pub(crate) async fn set_key_policies(
    state: State<'_, AppState>,
    request: SetKeyPoliciesRequest,
) -> Result<KeyPolicies, ApiError> {
    state.keystore()?.set_key_policies(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(offset = request.offset), err(level = "info"))]
pub(crate) async fn list_aliases(
    state: State<'_, AppState>,
    request: ListAliasesRequest,
) -> Result<AliasList, ApiError> {
    state.keystore()?.list_aliases(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn key_rings(state: State<'_, AppState>) -> Result<Vec<KeyRingInfo>, ApiError> {
    state.keystore()?.key_rings().await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn create_key_ring(
    state: State<'_, AppState>,
    id: String,
) -> Result<KeyRingInfo, ApiError> {
    state.keystore()?.create_key_ring(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_key_ring(
    state: State<'_, AppState>,
    id: String,
    force: Option<bool>,
) -> Result<(), ApiError> {
    state
        .keystore()?
        .delete_key_ring(&id, force.unwrap_or(false))
        .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn instance_policies(
    state: State<'_, AppState>,
) -> Result<Vec<InstancePolicy>, ApiError> {
    state.keystore()?.instance_policies().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn set_instance_policies(
    state: State<'_, AppState>,
    policies: Vec<InstancePolicy>,
) -> Result<Vec<InstancePolicy>, ApiError> {
    state.keystore()?.set_instance_policies(policies).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn registrations(
    state: State<'_, AppState>,
    id: Option<String>,
) -> Result<Vec<RegistrationInfo>, ApiError> {
    state.keystore()?.registrations(id.as_deref()).await
}

/// A Manager removes a registration: the way to lift a retention hold whose service is gone.
#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_registration(
    state: State<'_, AppState>,
    id: String,
    resource_crn: String,
) -> Result<(), ApiError> {
    state
        .keystore()?
        .delete_registration(&id, &resource_crn)
        .await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn authorizations(
    state: State<'_, AppState>,
) -> Result<Vec<AuthorizationInfo>, ApiError> {
    state.keystore()?.authorizations().await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(source = %request.source_service), err(level = "info"))]
pub(crate) async fn create_authorization(
    state: State<'_, AppState>,
    request: CreateAuthorizationRequest,
) -> Result<AuthorizationInfo, ApiError> {
    state.keystore()?.create_authorization(request).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn delete_authorization(
    state: State<'_, AppState>,
    id: String,
) -> Result<(), ApiError> {
    state.keystore()?.delete_authorization(&id).await
}

#[tauri::command]
#[tracing::instrument(skip(state), err(level = "info"))]
pub(crate) async fn set_authorization_roles(
    state: State<'_, AppState>,
    id: String,
    roles: Vec<String>,
) -> Result<AuthorizationInfo, ApiError> {
    state.keystore()?.set_authorization_roles(&id, roles).await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(key_id = %request.key_id), err(level = "info"))]
pub(crate) async fn check_authorization(
    state: State<'_, AppState>,
    request: AuthorizationCheckRequest,
) -> Result<AuthorizationCheck, ApiError> {
    state.keystore()?.check_authorization(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn clock(state: State<'_, AppState>) -> Result<ClockInfo, ApiError> {
    state.keystore()?.clock().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn usage(state: State<'_, AppState>) -> Result<UsageReport, ApiError> {
    state.keystore()?.usage().await
}

#[tauri::command]
#[tracing::instrument(skip_all, fields(hours = hours), err(level = "info"))]
pub(crate) async fn activity(
    state: State<'_, AppState>,
    hours: u32,
) -> Result<ActivityReport, ApiError> {
    state.keystore()?.activity(hours).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn audit_events(
    state: State<'_, AppState>,
    query: AuditQueryRequest,
) -> Result<Vec<AuditEventInfo>, ApiError> {
    state.keystore()?.audit_events(query).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn create_import_token(
    state: State<'_, AppState>,
    request: CreateImportTokenRequest,
) -> Result<ImportTokenInfo, ApiError> {
    state.keystore()?.create_import_token(request).await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn import_token(state: State<'_, AppState>) -> Result<ImportTokenInfo, ApiError> {
    state.keystore()?.import_token().await
}

#[tauri::command]
#[tracing::instrument(skip_all, err(level = "info"))]
pub(crate) async fn import_token_status(
    state: State<'_, AppState>,
) -> Result<ImportTokenInfo, ApiError> {
    state.keystore()?.import_token_status().await
}
