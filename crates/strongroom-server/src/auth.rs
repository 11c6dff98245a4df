//! Every Key Protect call carries a bearer token and the instance it addresses.

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::Failure;
use crate::ServerState;

pub(crate) async fn require_token(
    State(state): State<ServerState>,
    mut request: Request,
    next: Next,
) -> Response {
    match authenticate(&state, request.headers()).await {
        Ok(principal) => {
            tracing::Span::current().record("principal", principal.iam_id.as_str());
            request.extensions_mut().insert(principal);
            next.run(request).await
        }
        Err(failure) => failure.into_response(),
    }
}

async fn authenticate(
    state: &ServerState,
    headers: &HeaderMap,
) -> Result<strongroom_api::Principal, Failure> {
    let unauthorized =
        |message: &str| Failure::new(StatusCode::UNAUTHORIZED, "UNAUTHORIZED_ERR", message);
    let authorization = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(|| unauthorized("an Authorization: Bearer token is required"))?;
    let token = match authorization.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") => token.trim(),
        _ => {
            return Err(unauthorized(
                "the Authorization header must be a Bearer token",
            ))
        }
    };
    let principal = state.iam.authenticate(token).await?;
    let instance = headers
        .get("bluemix-instance")
        .and_then(|value| value.to_str().ok())
        .map(str::trim)
        .ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST_ERR",
                "the Bluemix-Instance header must name the Key Protect instance",
            )
        })?;
    if !instance.eq_ignore_ascii_case(&state.instance_id) {
        return Err(unauthorized(
            "the token does not grant access to this instance",
        ));
    }
    Ok(principal)
}
