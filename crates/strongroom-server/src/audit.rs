//! `GET /api/v2/audit_events`: Strongroom's extension (Key Protect sends its events to
//! Activity Tracker instead), so a console connected remotely shows the same audit view.

use crate::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use serde::Deserialize;
use strongroom_api::kp::Collection;
use strongroom_api::AuditQueryRequest;

use crate::error::Failure;
use crate::keys::typed_json;
use crate::Kms;

const AUDIT_TYPE: &str = "application/vnd.strongroom.audit_event+json";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct AuditQuery {
    initiator: Option<String>,
    action: Option<String>,
    target: Option<String>,
    failures_only: Option<bool>,
    before: Option<i64>,
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
            before: query.before,
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
