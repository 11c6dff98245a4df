//! The IAM token exchange, served at both `/identity/token` (IBM's SDK cores) and
//! `/oidc/token` (the Go client and the Python 2 client).

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;
use strongroom_api::{ErrorCode, SecretString};

use crate::body::RawBody;
use crate::ServerState;

const API_KEY_GRANT: &str = "urn:ibm:params:oauth:grant-type:apikey";

pub(crate) async fn token(
    State(state): State<Arc<ServerState>>,
    RawBody(body): RawBody,
) -> Response {
    let mut grant = None;
    let mut api_key = None;
    for (name, value) in form_urlencoded::parse(&body) {
        match name.as_ref() {
            "grant_type" => grant = Some(value.into_owned()),
            "apikey" => api_key = Some(SecretString::new(value.into_owned())),
            _ => {}
        }
    }
    if grant.as_deref() != Some(API_KEY_GRANT) {
        return iam_error(
            StatusCode::BAD_REQUEST,
            "BXNIM0003E",
            "Operation not supported.",
        );
    }
    let Some(api_key) = api_key else {
        return iam_error(
            StatusCode::BAD_REQUEST,
            "BXNIM0415E",
            "Provided API key could not be found.",
        );
    };
    match state.iam.token(&api_key).await {
        Ok(token) => Json(json!({
            "access_token": token.access_token.expose(),
            "refresh_token": "not_supported",
            "token_type": token.token_type,
            "expires_in": token.expires_in,
            "expiration": token.expiration,
            "scope": "ibm openid",
        }))
        .into_response(),
        Err(err) if err.code == ErrorCode::Unauthenticated => iam_error(
            StatusCode::BAD_REQUEST,
            "BXNIM0415E",
            "Provided API key could not be found.",
        ),
        Err(_) => iam_error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "BXNIM0001E",
            "Internal error.",
        ),
    }
}

fn iam_error(status: StatusCode, code: &str, message: &str) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    (
        status,
        Json(json!({
            "errorCode": code,
            "errorMessage": message,
            "context": { "requestId": request_id },
        })),
    )
        .into_response()
}
