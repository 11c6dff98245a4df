//! One HTTP exchange with retries. The retry rules live here and nowhere else.

use std::time::Duration;

use rand::Rng;
use reqwest::{RequestBuilder, Response, StatusCode};
use strongroom_api::kp::{code_for_reason, Collection, KpError};
use strongroom_api::{ApiError, ErrorCode};

use crate::tls::tls_failure;
use crate::{ClientError, RetryPolicy};

/// Whether a call may be sent again after it may have reached the server.
///
/// The rule: a call is only repeated when repeating it cannot apply a change twice or spend
/// something twice. [`Replay::Safe`] calls have no lasting effect (reads, wrap, unwrap,
/// rewrap; a repeated wrap just yields another valid ciphertext), so they are retried on
/// connection errors, dropped connections, timeouts, 429 and every 5xx except 501.
/// [`Replay::Unsent`] calls change state or use something up (create key, rotate, disable,
/// enable, delete, restore, creating an import token, and *retrieving* one, which spends a
/// retrieval). They are retried only when the server provably did not process them: the
/// connection was never established (nothing was sent), or the server answered 429 or 503,
/// which say it refused the request. A 500, a dropped connection or a timeout after sending
/// leave the outcome unknown, so the caller gets the error and decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replay {
    /// No lasting effect: retry on any transient failure.
    Safe,
    /// Changes state: retry only if it provably was not processed.
    Unsent,
}

/// Sends requests with a timeout and the retry rules of [`Replay`].
pub(crate) struct Transport {
    pub(crate) http: reqwest::Client,
    /// `host:port`, for error messages.
    pub(crate) host: String,
    pub(crate) timeout: Duration,
    pub(crate) retry: RetryPolicy,
}

impl Transport {
    /// Sends what `build` makes until an answer is not worth retrying or attempts run out.
    /// Any HTTP answer comes back as `Ok`, error statuses included. Dropping the future
    /// abandons the call: nothing is spawned, so nothing keeps running.
    pub(crate) async fn send(
        &self,
        replay: Replay,
        build: impl Fn() -> RequestBuilder,
    ) -> Result<Response, ClientError> {
        let mut attempt = 1;
        loop {
            let outcome = build().timeout(self.timeout).send().await;
            let wait = match &outcome {
                Ok(response) => {
                    retryable_status(response.status(), replay).then(|| retry_after(response))
                }
                Err(err) => retryable_error(err, replay).then_some(None),
            };
            match wait {
                Some(after) if attempt < self.retry.max_attempts => {
                    let delay = self.delay(attempt, after);
                    tracing::debug!(
                        attempt,
                        status = outcome.as_ref().ok().map(|r| r.status().as_u16()),
                        delay_ms = delay.as_millis() as u64,
                        "retrying"
                    );
                    drop(outcome);
                    tokio::time::sleep(delay).await;
                    attempt += 1;
                }
                _ => return outcome.map_err(|err| self.failure(&err)),
            }
        }
    }

    /// `Retry-After` when the server gave one, else full jitter; capped either way.
    fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let cap = self.retry.max_delay;
        if let Some(after) = retry_after {
            return after.min(cap);
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let ceiling = self.retry.base_delay.saturating_mul(1 << exponent).min(cap);
        let millis = u64::try_from(ceiling.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rand::rng().random_range(0..=millis))
    }

    /// The error for a request that failed without an HTTP answer (or while reading it).
    pub(crate) fn failure(&self, err: &reqwest::Error) -> ClientError {
        let host = self.host.clone();
        if let Some(detail) = tls_failure(err) {
            return ClientError::Tls { host, detail };
        }
        if err.is_timeout() {
            return ClientError::Timeout { host };
        }
        let detail = if err.is_connect() {
            format!("no connection ({})", root_cause(err))
        } else {
            format!(
                "the connection was lost before the answer arrived; a change may or may not \
                 have been applied ({})",
                root_cause(err)
            )
        };
        ClientError::Unreachable { host, detail }
    }
}

fn retryable_status(status: StatusCode, replay: Replay) -> bool {
    match replay {
        Replay::Safe => {
            status == StatusCode::TOO_MANY_REQUESTS
                || (status.is_server_error() && status != StatusCode::NOT_IMPLEMENTED)
        }
        Replay::Unsent => {
            status == StatusCode::TOO_MANY_REQUESTS || status == StatusCode::SERVICE_UNAVAILABLE
        }
    }
}

fn retryable_error(err: &reqwest::Error, replay: Replay) -> bool {
    if tls_failure(err).is_some() {
        // A certificate does not become trusted by asking again.
        return false;
    }
    // A connect error means nothing was sent.
    err.is_connect() || (replay == Replay::Safe && (err.is_timeout() || err.is_request()))
}

/// `Retry-After` in seconds. The HTTP-date form is rare from APIs and falls back to backoff.
fn retry_after(response: &Response) -> Option<Duration> {
    response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse::<u64>()
        .ok()
        .map(Duration::from_secs)
}

fn root_cause(err: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = err;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// A Key Protect error answer as the [`ApiError`] the keystore raised on the other side.
pub(crate) async fn keystore_failure(transport: &Transport, response: Response) -> ClientError {
    let status = response.status();
    let body = match response.bytes().await {
        Ok(body) => body,
        Err(err) => return transport.failure(&err),
    };
    let envelope = serde_json::from_slice::<Collection<KpError>>(&body).ok();
    let first = envelope.as_ref().and_then(|e| e.resources.first());
    let reason = first.and_then(|e| e.reasons.first());
    let message = reason
        .map(|r| r.message.clone())
        .or_else(|| first.map(|e| e.error_msg.clone()))
        .unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("error")
                .to_ascii_lowercase()
        });
    let message: String = message.chars().take(500).collect();
    let code = reason
        .and_then(|r| code_for_reason(&r.code))
        .unwrap_or_else(|| code_for_status(status));
    // A refusal for a reason of its own (a person writing a service's registration) keeps
    // that reason; any other 403 means the credentials lack a role.
    if status == StatusCode::FORBIDDEN && code == ErrorCode::Forbidden {
        return ClientError::Forbidden(message);
    }
    ClientError::Keystore(ApiError::new(code, message))
}

/// For answers without a reason code we know (proxies, gateways, other servers).
fn code_for_status(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::InvalidInput,
        401 => ErrorCode::Unauthenticated,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 | 412 => ErrorCode::Conflict,
        410 => ErrorCode::InvalidState,
        422 => ErrorCode::Undecryptable,
        429 | 502 | 503 => ErrorCode::KeystoreUnavailable,
        504 => ErrorCode::Timeout,
        _ => ErrorCode::Internal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transport(base: u64, max: u64) -> Transport {
        let tls = crate::tls::client_config(None, false).unwrap();
        Transport {
            http: reqwest::Client::builder()
                .tls_backend_preconfigured(tls)
                .build()
                .unwrap(),
            host: "test".into(),
            timeout: Duration::from_secs(1),
            retry: RetryPolicy {
                max_attempts: 5,
                base_delay: Duration::from_millis(base),
                max_delay: Duration::from_millis(max),
            },
        }
    }

    #[test]
    fn backoff_stays_under_its_exponential_ceiling_and_the_cap() {
        let t = transport(100, 1000);
        for _ in 0..200 {
            assert!(t.delay(1, None) <= Duration::from_millis(100));
            assert!(t.delay(3, None) <= Duration::from_millis(400));
            assert!(t.delay(30, None) <= Duration::from_millis(1000));
        }
    }

    #[test]
    fn retry_after_wins_over_backoff_but_not_over_the_cap() {
        let t = transport(100, 5000);
        assert_eq!(
            t.delay(1, Some(Duration::from_secs(2))),
            Duration::from_secs(2)
        );
        assert_eq!(
            t.delay(1, Some(Duration::from_secs(3600))),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn state_changing_calls_are_replayed_only_on_proof_they_were_refused() {
        use StatusCode as S;
        for status in [S::TOO_MANY_REQUESTS, S::SERVICE_UNAVAILABLE] {
            assert!(retryable_status(status, Replay::Unsent), "{status}");
        }
        for status in [S::INTERNAL_SERVER_ERROR, S::BAD_GATEWAY, S::GATEWAY_TIMEOUT] {
            assert!(!retryable_status(status, Replay::Unsent), "{status}");
            assert!(retryable_status(status, Replay::Safe), "{status}");
        }
        assert!(!retryable_status(S::NOT_IMPLEMENTED, Replay::Safe));
        assert!(!retryable_status(S::BAD_REQUEST, Replay::Safe));
    }
}
