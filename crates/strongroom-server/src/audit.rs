//! Strongroom's read-only extensions, so a console connected remotely shows the same views:
//! `GET /api/v2/audit_events` (Key Protect sends its events to Activity Tracker instead) and
//! `GET /api/v2/aliases` (Key Protect resolves aliases but cannot list them) and
//! `GET /api/v2/caller` (the caller's own grants, so the console can name a missing role) and
//! `POST /api/v2/authorization_checks` (a dry run of a source service's wrap or unwrap) and
//! `GET /api/v2/usage` (calls per minute and their latency; Key Protect sends these to IBM
//! Cloud Monitoring).

use crate::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;
use strongroom_api::kp::Collection;
use strongroom_api::{
    AuditQueryRequest, AuthorizationCheckRequest, ListAliasesRequest, ServiceAction,
};

use crate::body::{Fields, RawBody};

use crate::error::Failure;
use crate::keys::typed_json;
use crate::Kms;

const AUDIT_TYPE: &str = "application/vnd.strongroom.audit_event+json";
const ALIAS_TYPE: &str = "application/vnd.strongroom.alias+json";
const CALLER_TYPE: &str = "application/vnd.strongroom.caller+json";
const CHECK_TYPE: &str = "application/vnd.strongroom.authorization_check+json";
const USAGE_TYPE: &str = "application/vnd.strongroom.usage+json";
const ACTIVITY_TYPE: &str = "application/vnd.strongroom.activity+json";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditQuery {
    initiator: Option<String>,
    action: Option<String>,
    target: Option<String>,
    failures_only: Option<bool>,
    correlation_id: Option<String>,
    before: Option<i64>,
    within_latest: Option<u32>,
    since: Option<String>,
    until: Option<String>,
    limit: Option<u32>,
}

pub(crate) async fn list(
    Extension(state): Extension<Kms>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, Failure> {
    let events = state
        .keystore
        .audit_events(AuditQueryRequest {
            initiator: query.initiator,
            action: query.action,
            target: query.target,
            failures_only: query.failures_only.unwrap_or(false),
            correlation_id: query.correlation_id,
            before: query.before,
            within_latest: query.within_latest,
            since: query.since,
            until: query.until,
            limit: query.limit,
        })
        .await?;
    Ok(typed_json(
        StatusCode::OK,
        AUDIT_TYPE,
        &Collection::new(AUDIT_TYPE, events),
    ))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AliasQuery {
    prefix: Option<String>,
    offset: Option<u32>,
    limit: Option<u32>,
}

pub(crate) async fn aliases(
    Extension(state): Extension<Kms>,
    Query(query): Query<AliasQuery>,
) -> Result<Response, Failure> {
    let page = state
        .keystore
        .list_aliases(ListAliasesRequest {
            prefix: query.prefix,
            offset: query.offset.unwrap_or(0),
            limit: query.limit,
        })
        .await?;
    let mut collection = Collection::new(ALIAS_TYPE, page.aliases);
    collection.metadata.total_count = Some(u64::from(page.total));
    Ok(typed_json(StatusCode::OK, ALIAS_TYPE, &collection))
}

pub(crate) async fn usage(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let report = state.keystore.usage().await?;
    Ok(typed_json(StatusCode::OK, USAGE_TYPE, &report))
}

#[derive(Deserialize)]
pub(crate) struct ActivityQuery {
    hours: Option<u32>,
}

pub(crate) async fn activity(
    Extension(state): Extension<Kms>,
    Query(query): Query<ActivityQuery>,
) -> Result<Response, Failure> {
    let report = state.keystore.activity(query.hours.unwrap_or(24)).await?;
    Ok(typed_json(StatusCode::OK, ACTIVITY_TYPE, &report))
}

pub(crate) async fn caller(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let caller = state.keystore.caller().await?;
    Ok(typed_json(StatusCode::OK, CALLER_TYPE, &caller))
}

pub(crate) async fn check_authorization(
    Extension(state): Extension<Kms>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    let fields = Fields::parse(&body)?
        .ok_or_else(|| Failure::invalid_field("sourceService, keyId and action are required"))?;
    let required = |name: &str| {
        fields
            .string(name)?
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| Failure::invalid_field(format!("the field `{name}` is required")))
    };
    let action = match required("action")?.as_str() {
        "wrap" => ServiceAction::Wrap,
        "unwrap" => ServiceAction::Unwrap,
        "rewrap" => ServiceAction::Rewrap,
        _ => {
            return Err(Failure::invalid_field(
                "the field `action` must be wrap, unwrap or rewrap",
            ))
        }
    };
    let request = AuthorizationCheckRequest {
        source_service: required("sourceService")?,
        source_instance: fields.string("sourceInstance")?,
        key_id: required("keyId")?,
        action,
    };
    let check = state.keystore.check_authorization(request).await?;
    Ok(typed_json(StatusCode::OK, CHECK_TYPE, &check))
}
