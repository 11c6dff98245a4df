use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{ApiError, SecretString};

/// Who made a call, as established from a verified token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Principal {
    /// The IAM id (`iam_id` claim), e.g. `IBMid-strongroom-admin`.
    pub iam_id: String,
}

/// Where a call came from, for the audit trail: the request's correlation id (to join with
/// the server log) and the peer's network address. Both are empty for in-process calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CallOrigin {
    /// The `correlation-id` the caller sent, or the one the server made up.
    pub correlation_id: String,
    /// The peer's IP address, without the port (`127.0.0.1`, `::1`).
    pub source: String,
}

/// The instances a server fronts. A [`Keystore`](crate::Keystore) is one instance as one
/// principal sees it: every call it takes is authorized against that principal's roles,
/// re-read on each open so a revoked authorization stops working at once.
#[async_trait]
pub trait Instances: Send + Sync {
    /// The keystore of `instance` for `principal`. An unknown instance, or one the principal
    /// holds nothing on, is [`crate::ErrorCode::Unauthenticated`] (Key Protect answers 401).
    /// An implementation may report that at the keystore's first call instead of here (the
    /// embedded one does, so the caller's grants are read in that call's own blocking task).
    async fn open(
        &self,
        instance: &str,
        principal: &Principal,
        origin: &CallOrigin,
    ) -> Result<std::sync::Arc<dyn crate::Keystore>, ApiError>;
}

/// A bearer token as IBM IAM issues it, in the shape every IBM SDK reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct IamToken {
    /// A JWT with numeric `iat` and `exp`; the SDKs decode it without verifying.
    pub access_token: SecretString,
    /// Always "Bearer".
    pub token_type: String,
    /// Seconds until expiry.
    pub expires_in: u64,
    /// Expiry, in seconds since 1970.
    pub expiration: i64,
}

/// The identity side of a keystore: exchanging API keys for tokens and verifying tokens.
#[async_trait]
pub trait Iam: Send + Sync {
    /// Exchanges an API key for a token. A wrong key is [`crate::ErrorCode::Unauthenticated`].
    async fn token(&self, api_key: &SecretString) -> Result<IamToken, ApiError>;
    /// Verifies a bearer token's signature and expiry.
    async fn authenticate(&self, token: &str) -> Result<Principal, ApiError>;
}
