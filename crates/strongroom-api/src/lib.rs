//! The contract every transport shares: the [`Keystore`] facade, its request and response
//! types, and the `{code, message}` error that crosses IPC and HTTP.
//!
//! These types are exported to TypeScript (`ui/src/lib/bindings/`) by `cargo test -p
//! strongroom-api`; CI fails if the committed files drift from what the Rust says.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod error;
mod iam;
mod keys;
pub mod kp;
mod secret;
mod wrapping;

pub use error::{ApiError, ErrorCode};
pub use iam::{Iam, IamToken, Principal};
pub use keys::{
    CreateImportTokenRequest, CreateKeyRequest, ImportTokenInfo, KeyInfo, KeyList, KeyStateName,
    KeyType, KeyVersionInfo, KeystoreInfo, KeystoreMode, ListKeysRequest, RotateKeyRequest,
    SecureImport,
};
pub use secret::SecretString;
pub use wrapping::{
    KeyVersionRef, RewrapRequest, RewrapResponse, Rewrapped, UnwrapRequest, UnwrapResponse,
    WrapRequest, WrapResponse,
};

/// Everything an administrator or application can ask of a keystore, whether it is the
/// embedded one or a remote instance. Desktop commands, HTTP handlers and the contract tests
/// call this and nothing lower.
#[async_trait::async_trait]
pub trait Keystore: Send + Sync {
    /// Which keystore this is.
    async fn info(&self) -> Result<KeystoreInfo, ApiError>;
    /// A filtered page of keys, newest first.
    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError>;
    /// Creates a root or standard key, generating material or importing the payload given.
    async fn create_key(&self, request: CreateKeyRequest) -> Result<KeyInfo, ApiError>;
    /// One key's metadata.
    async fn key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// A standard key's payload, base64. Root-key material never leaves the keystore.
    async fn key_payload(&self, id: &str) -> Result<SecretString, ApiError>;
    /// A key's versions, oldest first.
    async fn key_versions(&self, id: &str) -> Result<Vec<KeyVersionInfo>, ApiError>;
    /// Starts a new key version.
    async fn rotate_key(&self, request: RotateKeyRequest) -> Result<KeyInfo, ApiError>;
    /// Suspends a key.
    async fn disable_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Reactivates a suspended key.
    async fn enable_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Destroys a key; restorable for 30 days.
    async fn delete_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Restores a destroyed key.
    async fn restore_key(&self, id: &str) -> Result<KeyInfo, ApiError>;
    /// Creates an import token for secure import, replacing any earlier one.
    async fn create_import_token(
        &self,
        request: CreateImportTokenRequest,
    ) -> Result<ImportTokenInfo, ApiError>;
    /// Retrieves the import token's public key and nonce (counts as one retrieval).
    async fn import_token(&self) -> Result<ImportTokenInfo, ApiError>;
    /// Wraps a DEK with a root key (generating one when none is given).
    async fn wrap(&self, request: WrapRequest) -> Result<WrapResponse, ApiError>;
    /// Unwraps a DEK; re-wraps it with the newest version when the key has rotated since.
    async fn unwrap(&self, request: UnwrapRequest) -> Result<UnwrapResponse, ApiError>;
    /// Re-wraps a DEK with the newest version of its key.
    async fn rewrap(&self, request: RewrapRequest) -> Result<RewrapResponse, ApiError>;
}
