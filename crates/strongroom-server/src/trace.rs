//! One access line per request: method, path, correlation id, principal, instance, key id,
//! status, latency. Never bodies, headers with credentials, or query strings.
//!
//! Every request also runs in a `request` span with the same fields, at DEBUG. The log
//! formats an enabled span's fields when it opens and again on every line inside it; at INFO
//! that was about a tenth of a wrap's CPU under load (docs/benchmarks.md §2), so the span is
//! formatted only when asked for (`STRONGROOM_LOG` at debug for `strongroom_server::trace`, or
//! `STRONGROOM_LOG_SPANS=1`). The access line carries what the handlers learned about the call
//! through [`note`], whether or not the span is on.

use std::cell::RefCell;
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
    let span = tracing::debug_span!(
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
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    async move {
        let (mut response, noted) = NOTED
            .scope(RefCell::default(), async {
                let response = next.run(request).await;
                (response, NOTED.with(RefCell::take))
            })
            .await;
        let status = response.status().as_u16();
        let latency_us = started.elapsed().as_micros() as u64;
        let Noted {
            principal,
            instance,
            key_id,
        } = &noted;
        if response.status().is_server_error() {
            tracing::error!(
                %method, path = %path, correlation_id = %correlation,
                principal, instance, key_id, status, latency_us,
                "request failed"
            );
        } else {
            tracing::info!(
                %method, path = %path, correlation_id = %correlation,
                principal, instance, key_id, status, latency_us,
                "request"
            );
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

/// What a request's handlers learned about it, for its access line.
#[derive(Default)]
struct Noted {
    principal: Option<String>,
    instance: Option<String>,
    key_id: Option<String>,
}

tokio::task_local! {
    static NOTED: RefCell<Noted>;
}

/// A fact about the call, for the access line and the request span.
#[derive(Clone, Copy)]
pub(crate) enum Fact {
    Principal,
    Instance,
    KeyId,
}

impl Fact {
    /// The field it is in the span and the access line.
    fn field(self) -> &'static str {
        match self {
            Fact::Principal => "principal",
            Fact::Instance => "instance",
            Fact::KeyId => "key_id",
        }
    }
}

impl Noted {
    fn slot(&mut self, fact: Fact) -> &mut Option<String> {
        match fact {
            Fact::Principal => &mut self.principal,
            Fact::Instance => &mut self.instance,
            Fact::KeyId => &mut self.key_id,
        }
    }
}

/// Records `value` as `fact` of the current request (outside one, only on the current span).
pub(crate) fn note(fact: Fact, value: &str) {
    tracing::Span::current().record(fact.field(), value);
    let _outside_a_request = NOTED.try_with(|noted| {
        *noted.borrow_mut().slot(fact) = Some(value.to_owned());
    });
}
