//! IAM tokens: exchanged for the API key, cached, refreshed before they expire.

use std::time::{Duration, Instant};

use reqwest::{StatusCode, Url};
use serde::Deserialize;
use strongroom_api::SecretString;
use tokio::sync::Mutex;

use crate::transport::{Replay, Transport};
use crate::ClientError;

const API_KEY_GRANT: &str = "urn:ibm:params:oauth:grant-type:apikey";
/// IAM's "Provided API key could not be found."
const UNKNOWN_API_KEY: &str = "BXNIM0415E";

/// The API key and the token it was last exchanged for.
pub(crate) struct TokenSource {
    url: Url,
    api_key: SecretString,
    /// Held across the exchange: concurrent callers that find the token stale wait for the
    /// one exchange in flight and then share its result (single flight). If that caller's
    /// future is dropped mid-exchange the lock is released and the next caller exchanges.
    cached: Mutex<Option<Cached>>,
}

struct Cached {
    token: SecretString,
    refresh_at: Instant,
}

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: SecretString,
    #[serde(default)]
    expires_in: Option<u64>,
}

#[derive(Deserialize)]
struct IamFailure {
    #[serde(default, rename = "errorCode")]
    error_code: Option<String>,
}

impl TokenSource {
    pub(crate) fn new(url: Url, api_key: SecretString) -> Self {
        Self {
            url,
            api_key,
            cached: Mutex::new(None),
        }
    }

    /// A token that will stay valid for a while, exchanging the API key when needed.
    pub(crate) async fn token(&self, transport: &Transport) -> Result<SecretString, ClientError> {
        let mut cached = self.cached.lock().await;
        if let Some(current) = cached.as_ref().filter(|c| Instant::now() < c.refresh_at) {
            return Ok(current.token.clone());
        }
        let fresh = self.exchange(transport).await?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Drops `stale` after the keystore refused it, unless a newer token replaced it already.
    pub(crate) async fn forget(&self, stale: &SecretString) {
        let mut cached = self.cached.lock().await;
        if cached.as_ref().is_some_and(|c| &c.token == stale) {
            *cached = None;
        }
    }

    #[tracing::instrument(name = "iam_token", skip_all)]
    async fn exchange(&self, transport: &Transport) -> Result<Cached, ClientError> {
        let started = Instant::now();
        let response = transport
            .send(Replay::Safe, || {
                transport
                    .http
                    .post(self.url.clone())
                    .header(reqwest::header::ACCEPT, "application/json")
                    .form(&[
                        ("grant_type", API_KEY_GRANT),
                        ("apikey", self.api_key.expose()),
                    ])
            })
            .await?;
        let status = response.status();
        if !status.is_success() {
            return Err(rejection(status, response).await);
        }
        let answer: TokenAnswer = response
            .json()
            .await
            .map_err(|_| ClientError::Unexpected("the IAM answer has no access_token".into()))?;
        let lifetime = Duration::from_secs(answer.expires_in.unwrap_or(0));
        tracing::debug!(lifetime_s = lifetime.as_secs(), "token issued");
        Ok(Cached {
            token: answer.access_token,
            refresh_at: started + refresh_after(lifetime),
        })
    }
}

/// When to stop using a token of `lifetime`: at 80 % of it, and at least a minute before the
/// end, measured from when the exchange started so a slow answer errs on the early side.
/// Relative time is used rather than `expiration` so a skewed local clock does not matter.
fn refresh_after(lifetime: Duration) -> Duration {
    lifetime
        .mul_f64(0.8)
        .min(lifetime.saturating_sub(Duration::from_secs(60)))
}

async fn rejection(status: StatusCode, response: reqwest::Response) -> ClientError {
    let code = response
        .json::<IamFailure>()
        .await
        .ok()
        .and_then(|f| f.error_code);
    let rejected = matches!(status, StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN)
        || code.as_deref() == Some(UNKNOWN_API_KEY);
    if rejected {
        ClientError::BadApiKey
    } else {
        ClientError::Iam {
            status: status.as_u16(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_refreshed_early() {
        assert_eq!(
            refresh_after(Duration::from_secs(3600)),
            Duration::from_secs(2880)
        );
        assert_eq!(
            refresh_after(Duration::from_secs(120)),
            Duration::from_secs(60)
        );
        assert_eq!(refresh_after(Duration::from_secs(30)), Duration::ZERO);
    }
}
