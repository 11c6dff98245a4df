//! One span per request: method, path, correlation id, principal, key id, status, latency.
//! Never bodies, headers with credentials, or query strings.

use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use tracing::Instrument;

const CORRELATION_HEADERS: [&str; 3] = ["correlation-id", "x-correlation-id", "x-request-id"];

/// The request's correlation id, for the audit trail.
#[derive(Clone)]
pub(crate) struct CorrelationId(pub(crate) String);

pub(crate) async fn span(mut request: Request, next: Next) -> Response {
    let correlation = CORRELATION_HEADERS
        .iter()
        .find_map(|name| request.headers().get(*name))
        .and_then(|value| value.to_str().ok())
        .filter(|value| value.len() <= 128 && value.chars().all(|c| c.is_ascii_graphic()))
        .map(str::to_owned)
        // From the thread's generator: `new_v4` asks the kernel (`getrandom`) on every call,
        // which was 2 % of a wrap's CPU under load.
        .unwrap_or_else(|| {
            uuid::Builder::from_random_bytes(rand::random())
                .into_uuid()
                .to_string()
        });
    let span = tracing::info_span!(
        "request",
        method = %request.method(),
        path = %request.uri().path(),
        correlation_id = %correlation,
        principal = tracing::field::Empty,
        instance = tracing::field::Empty,
        key_id = tracing::field::Empty,
    );
    request
        .extensions_mut()
        .insert(CorrelationId(correlation.clone()));
    let started = Instant::now();
    async move {
        let mut response = next.run(request).await;
        let status = response.status().as_u16();
        let latency_us = started.elapsed().as_micros() as u64;
        if response.status().is_server_error() {
            tracing::error!(status, latency_us, "request failed");
        } else {
            tracing::info!(status, latency_us, "request");
        }
        if let Ok(value) = HeaderValue::from_str(&correlation) {
            response.headers_mut().insert("correlation-id", value);
        }
        // A console's connection test shows what it reached (IBM Key Protect or this); the
        // product, not its version, which would tell anyone which flaws to try.
        response.headers_mut().insert(
            axum::http::header::SERVER,
            HeaderValue::from_static("strongroom"),
        );
        response
    }
    .instrument(span)
    .await
}
