//! axum's `Path` and `Query` with their plain-text rejections (a path segment that is not
//! UTF-8 once percent-decoded, a repeated or unparsable query parameter) turned into
//! Key Protect's error envelope, as every `/api/v2` answer must be.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Failure;

/// Path parameters; a rejection is a 400 `BAD_REQUEST_ERR`.
pub(crate) struct Path<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            // A route/extractor mismatch is ours, not the caller's: keep its 500.
            Err(rejection) if rejection.status().is_server_error() => Err(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERR",
                "an internal error occurred",
            )),
            Err(_) => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST_ERR",
                "a path segment is not valid UTF-8 or not of the expected form",
            )),
        }
    }
}

/// Query parameters; a rejection is a 400 `INVALID_QUERY_PARAM_ERR`.
pub(crate) struct Query<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| {
                // serde's reason names the parameter ("limit: invalid digit found in
                // string"); a query carries no secrets, so the caller may read it.
                let text = rejection.body_text();
                let reason = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAM_ERR",
                    format!("the query is not valid: {reason}"),
                )
            })
    }
}
