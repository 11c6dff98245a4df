//! The served subset of IBM's IAM Policy Management API: `/v1/policies` (access and
//! authorization policies) and `/v2/roles`, in the shapes `ibm-platform-services` and
//! Terraform read. Errors use the IBM API handbook envelope, not Key Protect's.

use std::sync::Arc;

use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::Deserialize;
use serde_json::{json, Value};
use strongroom_api::{
    role_crn, ApiError, CallOrigin, ErrorCode, IamPolicy, Principal, SERVICE_ROLES,
};

use crate::body::RawBody;
use crate::ServerState;

/// An IAM error: `{"trace", "errors":[{code, message}], "status_code"}`.
pub(crate) struct IamFailure(StatusCode, String, String);

impl IntoResponse for IamFailure {
    fn into_response(self) -> Response {
        let body = json!({
            "trace": uuid::Uuid::new_v4().to_string(),
            "errors": [{ "code": self.1, "message": self.2 }],
            "status_code": self.0.as_u16(),
        });
        (self.0, Json(body)).into_response()
    }
}

impl From<ApiError> for IamFailure {
    fn from(err: ApiError) -> Self {
        let (status, code) = match err.code {
            ErrorCode::NotFound => (StatusCode::NOT_FOUND, "policy_not_found"),
            ErrorCode::InvalidInput => (StatusCode::BAD_REQUEST, "invalid_body"),
            ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ErrorCode::Unauthenticated => (StatusCode::UNAUTHORIZED, "unauthorized"),
            ErrorCode::Conflict => (StatusCode::PRECONDITION_FAILED, "policy_conflict"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "internal_error"),
        };
        IamFailure(status, code.to_owned(), err.message)
    }
}

fn invalid(message: &str) -> IamFailure {
    IamFailure(
        StatusCode::BAD_REQUEST,
        "invalid_body".into(),
        message.into(),
    )
}

/// Bearer token only: IAM calls name no instance.
pub(crate) async fn require_principal(
    State(state): State<Arc<ServerState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(token) = token else {
        return IamFailure(
            StatusCode::UNAUTHORIZED,
            "unauthorized".into(),
            "an Authorization: Bearer token is required".into(),
        )
        .into_response();
    };
    match state.iam.authenticate(&token).await {
        Ok(principal) => {
            crate::trace::note(crate::trace::Fact::Principal, &principal.iam_id);
            let origin = crate::auth::call_origin(&request);
            request.extensions_mut().insert(principal);
            request.extensions_mut().insert(origin);
            next.run(request).await
        }
        Err(err) => IamFailure::from(err).into_response(),
    }
}

fn attributes(value: Option<&Value>) -> Result<Vec<(String, String)>, IamFailure> {
    let list = value
        .and_then(Value::as_array)
        .and_then(|items| items.first())
        .and_then(|first| first.get("attributes"))
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("subjects and resources need one entry with attributes"))?;
    list.iter()
        .map(|attribute| {
            let name = attribute.get("name").and_then(Value::as_str);
            let value = attribute.get("value").and_then(Value::as_str);
            match (name, value) {
                (Some(n), Some(v)) => Ok((n.to_owned(), v.to_owned())),
                _ => Err(invalid("every attribute needs a string name and value")),
            }
        })
        .collect()
}

fn parse(body: &[u8]) -> Result<IamPolicy, IamFailure> {
    let value: Value =
        serde_json::from_slice(body).map_err(|_| invalid("the body must be a JSON policy"))?;
    let policy_type = value
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid("the field `type` is required"))?;
    let roles = value
        .get("roles")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("the field `roles` is required"))?
        .iter()
        .map(|role| {
            role.get("role_id")
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| invalid("every role needs a role_id"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(IamPolicy {
        id: String::new(),
        policy_type: policy_type.to_owned(),
        description: value
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned),
        subject: attributes(value.get("subjects"))?,
        roles,
        resource: attributes(value.get("resources"))?,
        created_at: String::new(),
        created_by: String::new(),
        updated_at: String::new(),
        updated_by: String::new(),
        revision: 0,
        last_used_at: None,
    })
}

fn role_json(name: &str) -> Value {
    json!({ "role_id": role_crn(name), "display_name": name, "description": format!("Key Protect {name}") })
}

fn policy_json(policy: &IamPolicy) -> Value {
    let subject: Vec<Value> = policy
        .subject
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    let resource: Vec<Value> = policy
        .resource
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value, "operator": "stringEquals" }))
        .collect();
    json!({
        "id": policy.id,
        "type": policy.policy_type,
        "description": policy.description,
        "subjects": [{ "attributes": subject }],
        "roles": policy.roles.iter().map(|r| role_json(r)).collect::<Vec<_>>(),
        "resources": [{ "attributes": resource }],
        "href": format!("/v1/policies/{}", policy.id),
        "created_at": policy.created_at,
        "created_by_id": policy.created_by,
        "last_modified_at": policy.updated_at,
        "last_modified_by_id": policy.updated_by,
        "state": "active",
        // Not IAM's: when the source service last used a key through this authorization.
        "last_used_at": policy.last_used_at,
    })
}

fn with_etag(status: StatusCode, policy: &IamPolicy) -> Response {
    let mut response = (status, Json(policy_json(policy))).into_response();
    if let Ok(value) = HeaderValue::from_str(&format!("\"{}\"", policy.revision)) {
        response.headers_mut().insert(header::ETAG, value);
    }
    response
}

pub(crate) async fn create(
    State(state): State<Arc<ServerState>>,
    Extension(caller): Extension<Principal>,
    Extension(origin): Extension<CallOrigin>,
    RawBody(body): RawBody,
) -> Result<Response, IamFailure> {
    let policy = state
        .policies
        .create_policy(&caller, &origin, parse(&body)?)
        .await?;
    Ok(with_etag(StatusCode::CREATED, &policy))
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    #[serde(rename = "type")]
    policy_type: Option<String>,
}

pub(crate) async fn list(
    State(state): State<Arc<ServerState>>,
    Extension(caller): Extension<Principal>,
    Query(query): Query<ListQuery>,
) -> Result<Response, IamFailure> {
    let policies = state
        .policies
        .policies(&caller, query.policy_type.as_deref())
        .await?;
    let body: Vec<Value> = policies.iter().map(policy_json).collect();
    Ok(Json(json!({ "policies": body })).into_response())
}

pub(crate) async fn get(
    State(state): State<Arc<ServerState>>,
    Extension(caller): Extension<Principal>,
    Path(id): Path<String>,
) -> Result<Response, IamFailure> {
    let policy = state.policies.policy(&caller, &id).await?;
    Ok(with_etag(StatusCode::OK, &policy))
}

pub(crate) async fn replace(
    State(state): State<Arc<ServerState>>,
    Extension(caller): Extension<Principal>,
    Extension(origin): Extension<CallOrigin>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Result<Response, IamFailure> {
    let etag = headers
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.trim()
                .trim_start_matches("W/")
                .trim_matches('"')
                .to_owned()
        })
        .ok_or_else(|| invalid("If-Match must carry the policy's ETag"))?;
    // ETags are opaque to clients: one that is not ours matches no revision (they start at 1),
    // so it fails the precondition (412) like a stale one.
    let revision = etag.parse::<i64>().unwrap_or(0);
    let policy = state
        .policies
        .replace_policy(&caller, &origin, &id, revision, parse(&body)?)
        .await?;
    Ok(with_etag(StatusCode::OK, &policy))
}

pub(crate) async fn delete(
    State(state): State<Arc<ServerState>>,
    Extension(caller): Extension<Principal>,
    Extension(origin): Extension<CallOrigin>,
    Path(id): Path<String>,
) -> Result<Response, IamFailure> {
    state.policies.delete_policy(&caller, &origin, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// `GET /v2/roles`: the service roles of `kms`, with CRNs (Terraform maps names through it).
pub(crate) async fn roles() -> Response {
    let roles: Vec<Value> = SERVICE_ROLES
        .iter()
        .map(|role| {
            json!({
                "display_name": role,
                "description": format!("Key Protect {role} role"),
                "crn": role_crn(role),
                "actions": [],
            })
        })
        .collect();
    Json(json!({ "custom_roles": [], "service_roles": roles, "system_roles": [] })).into_response()
}
