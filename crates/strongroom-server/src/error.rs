//! Key Protect's error envelope, chosen from the typed error code only.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use strongroom_api::kp::{Collection, KpError, KpReason, ERROR_TYPE, MORE_INFO};
use strongroom_api::{ApiError, ErrorCode};

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
        // One arm per code and no wildcard for known codes: a new code forces a decision here.
        let (status, reason) = match err.code {
            ErrorCode::NotFound => (StatusCode::NOT_FOUND, "KEY_NOT_FOUND_ERR"),
            ErrorCode::InvalidInput => (StatusCode::BAD_REQUEST, "INVALID_FIELD_ERR"),
            ErrorCode::InvalidState => (StatusCode::CONFLICT, "KEY_ACTION_INVALID_STATE_ERR"),
            ErrorCode::NotARootKey => (StatusCode::BAD_REQUEST, "KEY_ROOT_REQ_ERR"),
            ErrorCode::Undecryptable => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "UNPROCESSABLE_CIPHERTEXT_ERR",
            ),
            ErrorCode::RotationTooSoon => (StatusCode::CONFLICT, "KEY_ROTATION_NOT_PERMITTED"),
            ErrorCode::PayloadRequired => (StatusCode::BAD_REQUEST, "KEY_PAYLOAD_REQ_ERR"),
            ErrorCode::RestoreExpired => (StatusCode::CONFLICT, "KEY_RESTORE_EXPIRED_ERR"),
            ErrorCode::Conflict => (StatusCode::CONFLICT, "CONFLICT_ERR"),
            ErrorCode::ImportTokenExpired => (StatusCode::CONFLICT, "IMPORT_TOKEN_EXPIRED_ERR"),
            ErrorCode::IncorrectNonce => (StatusCode::BAD_REQUEST, "INCORRECT_NONCE_ERR"),
            ErrorCode::Unauthenticated => (StatusCode::UNAUTHORIZED, "UNAUTHORIZED_ERR"),
            ErrorCode::Forbidden => (StatusCode::FORBIDDEN, "FORBIDDEN_ERR"),
            ErrorCode::NotDualAuth => (StatusCode::CONFLICT, "NOT_DUAL_AUTH_ERR"),
            ErrorCode::AuthorizationsNotMet => (StatusCode::CONFLICT, "AUTHORIZATIONS_NOT_MET"),
            ErrorCode::PurgeTooEarly => (StatusCode::CONFLICT, "KEY_PURGE_TOO_EARLY_ERR"),
            ErrorCode::ProtectedResource => (StatusCode::CONFLICT, "PROTECTED_RESOURCE_ERR"),
            ErrorCode::KeyRingInUse => (StatusCode::CONFLICT, "KEY_RING_NOT_EMPTY_ERR"),
            ErrorCode::AliasTaken => (StatusCode::CONFLICT, "KEY_ALIAS_NOT_UNIQUE_ERR"),
            ErrorCode::KeystoreUnavailable => {
                (StatusCode::SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE_ERR")
            }
            ErrorCode::Internal => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERR"),
            _ => (StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL_SERVER_ERR"),
        };
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
