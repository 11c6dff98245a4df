//! Every Key Protect call carries a bearer token and the instance it addresses.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use strongroom_api::CallOrigin;

use crate::error::Failure;
use crate::trace::{CorrelationId, Fact};
use crate::{Kms, ServerState};

pub(crate) async fn require_token(
    State(state): State<Arc<ServerState>>,
    mut request: Request,
    next: Next,
) -> Response {
    let origin = call_origin(&request);
    match authenticate(&state, request.headers(), &origin).await {
        Ok(kms) => {
            request.extensions_mut().insert(kms);
            next.run(request).await
        }
        Err(failure) => failure.into_response(),
    }
}

/// Where a request came from, for the audit trail: its correlation id and the TCP peer's
/// address — never a forwarded-for header, which a caller could write. The address is absent
/// when the router is called without a listener (tests).
pub(crate) fn call_origin(request: &Request) -> CallOrigin {
    CallOrigin {
        correlation_id: request
            .extensions()
            .get::<CorrelationId>()
            .map(|c| c.0.clone())
            .unwrap_or_default(),
        source: request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(peer)| peer.ip().to_canonical().to_string())
            .unwrap_or_default(),
    }
}

async fn authenticate(
    state: &Arc<ServerState>,
    headers: &HeaderMap,
    origin: &CallOrigin,
) -> Result<Kms, Failure> {
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
    crate::trace::note(Fact::Principal, &principal.iam_id);
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
    crate::trace::note(Fact::Instance, instance);
    let keystore = state.instances.open(instance, &principal, origin).await?;
    Ok(Kms {
        keystore,
        instance_id: instance.into(),
        server: Arc::clone(state),
    })
}
