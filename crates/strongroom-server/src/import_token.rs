//! `/api/v2/import_token`: create (POST) and retrieve (GET) the instance's import token, and
//! (ours) read its status.
//! Both answer a plain object, not a collection, as Key Protect does.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::Value;
use strongroom_api::CreateImportTokenRequest;

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::Kms;

fn whole_number(fields: &Fields, name: &str) -> Result<Option<u32>, Failure> {
    match fields.get(name) {
        None => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                Failure::invalid_field(format!("the field `{name}` must be a whole number"))
            }),
        Some(_) => Err(Failure::invalid_field(format!(
            "the field `{name}` must be a whole number"
        ))),
    }
}

pub(crate) async fn create(
    Extension(state): Extension<Kms>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    let request = match Fields::parse(&body)? {
        None => CreateImportTokenRequest::default(),
        Some(fields) => CreateImportTokenRequest {
            expiration: whole_number(&fields, "expiration")?,
            max_allowed_retrievals: whole_number(&fields, "maxAllowedRetrievals")?,
        },
    };
    let token = state.keystore.create_import_token(request).await?;
    Ok((StatusCode::OK, axum::Json(token)).into_response())
}

/// `GET /api/v2/import_token/status` (not Key Protect's): the token's dates and retrievals,
/// without spending one.
pub(crate) async fn status(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let token = state.keystore.import_token_status().await?;
    Ok((StatusCode::OK, axum::Json(token)).into_response())
}

pub(crate) async fn get(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let token = state.keystore.import_token().await?;
    Ok((StatusCode::OK, axum::Json(token)).into_response())
}
