use std::path::PathBuf;
use std::time::Duration;

use strongroom_api::SecretString;

/// Where a remote instance is and how to talk to it.
#[derive(Debug, Clone)]
pub struct RemoteConfig {
    /// Base URL of the Key Protect API, e.g. `https://us-south.kms.cloud.ibm.com` or
    /// `http://127.0.0.1:8200`; `/api/v2/...` is appended.
    pub endpoint: String,
    /// The full IAM token URL, e.g. `https://iam.cloud.ibm.com/identity/token`.
    pub token_url: String,
    /// The instance GUID sent as `Bluemix-Instance`.
    pub instance_id: String,
    /// Exchanged for bearer tokens; redacted in `Debug`, zeroized on drop.
    pub api_key: SecretString,
    /// A PEM file of CA certificates trusted in addition to the system's roots, for instances
    /// with a private CA.
    pub extra_ca: Option<PathBuf>,
    /// Accepts any server certificate. Only for a throwaway test instance: anyone on the path
    /// can then read every DEK. A warning is logged each time a client is built with it.
    pub danger_accept_invalid_certs: bool,
    /// Limit for one HTTP exchange (connect, send, whole response); retries get their own.
    pub timeout: Duration,
    /// When and how often a failed call is tried again.
    pub retry: RetryPolicy,
}

impl RemoteConfig {
    /// A configuration with the usual timeout and retry policy.
    pub fn new(
        endpoint: impl Into<String>,
        token_url: impl Into<String>,
        instance_id: impl Into<String>,
        api_key: SecretString,
    ) -> Self {
        Self {
            endpoint: endpoint.into(),
            token_url: token_url.into(),
            instance_id: instance_id.into(),
            api_key,
            extra_ca: None,
            danger_accept_invalid_certs: false,
            timeout: Duration::from_secs(30),
            retry: RetryPolicy::default(),
        }
    }
}

/// Exponential backoff with full jitter: before retry `n` the client sleeps a random time in
/// `[0, min(max_delay, base_delay * 2^(n-1))]`, or what `Retry-After` asks (capped at
/// `max_delay`). Jitter keeps many clients that failed together from retrying together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 disables retries.
    pub max_attempts: u32,
    /// Ceiling of the first backoff.
    pub base_delay: Duration,
    /// Ceiling of any one wait, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Four retries and at most 30 s a wait, as IBM's Go client does.
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(30),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_key_is_not_in_debug_output() {
        let config = RemoteConfig::new(
            "https://kms.example",
            "https://iam.example/identity/token",
            "instance",
            SecretString::new("very-secret-api-key".into()),
        );
        let shown = format!("{config:?}");
        assert!(!shown.contains("very-secret-api-key"), "{shown}");
        assert!(shown.contains("[redacted]"));
    }
}
