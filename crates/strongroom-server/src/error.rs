//! Key Protect's error envelope, chosen from the typed error code only.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use strongroom_api::kp::{reason_for, Collection, KpError, KpReason, ERROR_TYPE, MORE_INFO};
use strongroom_api::ApiError;

/// A failed request, rendered as Key Protect renders it.
#[derive(Debug)]
pub(crate) struct Failure {
    status: StatusCode,
    reason: &'static str,
    message: String,
}

impl Failure {
    pub(crate) fn new(
        status: StatusCode,
        reason: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Self {
            status,
            reason,
            message: message.into(),
        }
    }

    pub(crate) fn bad_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_BODY_ERR", message)
    }

    pub(crate) fn invalid_field(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "INVALID_FIELD_ERR", message)
    }
}

impl From<ApiError> for Failure {
    fn from(err: ApiError) -> Self {
        // The table lives in `strongroom_api::kp` so the remote client reads it back exactly.
        let (status, reason) = reason_for(err.code);
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        Self::new(status, reason, err.message)
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let phrase = self.status.canonical_reason().unwrap_or("Error");
        let body = Collection::new(
            ERROR_TYPE,
            vec![KpError {
                error_msg: format!("{phrase}: {} ({})", self.message, self.reason),
                reasons: vec![KpReason {
                    code: self.reason.to_owned(),
                    message: self.message,
                    status: self.status.as_u16(),
                    more_info: MORE_INFO.to_owned(),
                }],
            }],
        );
        let mut response = (self.status, axum::Json(body)).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        response
    }
}

pub(crate) async fn not_found() -> Failure {
    Failure::new(
        StatusCode::NOT_FOUND,
        "NOT_FOUND_ERR",
        "there is no such endpoint",
    )
}

pub(crate) async fn method_not_allowed() -> Failure {
    Failure::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED_ERR",
        "this endpoint does not answer that method",
    )
}
