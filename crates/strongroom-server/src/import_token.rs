//! `/api/v2/import_token`: create (POST) and retrieve (GET) the instance's import token, and
//! (ours) read its status.
//! Both answer a plain object, not a collection, as Key Protect does.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use strongroom_api::CreateImportTokenRequest;

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::Kms;

/// A count whose range the facade checks. A whole number beyond `u32` either way (negative,
/// or huge) is saturated, not refused here: 0 and `u32::MAX` are outside every range it
/// accepts, so the caller gets the one message that names the range.
fn count(fields: &Fields, name: &str) -> Result<Option<u32>, Failure> {
    Ok(fields
        .integer(name)?
        .map(|n| u32::try_from(n.max(0)).unwrap_or(u32::MAX)))
}

pub(crate) async fn create(
    Extension(state): Extension<Kms>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    let request = match Fields::parse(&body)? {
        None => CreateImportTokenRequest::default(),
        Some(fields) => CreateImportTokenRequest {
            expiration: count(&fields, "expiration")?,
            max_allowed_retrievals: count(&fields, "maxAllowedRetrievals")?,
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
