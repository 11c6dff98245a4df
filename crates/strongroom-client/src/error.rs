use strongroom_api::{ApiError, ErrorCode};

/// Why a remote call failed. Messages name hosts, paths and statuses, never an API key,
/// token, DEK or payload: request bodies are never echoed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The configuration cannot work (bad URL, unreadable CA file).
    #[error("{0}")]
    Config(String),
    /// No connection, or it dropped before the answer arrived.
    #[error("cannot reach {host}: {detail}")]
    Unreachable {
        /// Host and port.
        host: String,
        /// What failed, for a person.
        detail: String,
    },
    /// The TLS handshake failed.
    #[error("TLS with {host} failed: {detail}")]
    Tls {
        /// Host and port.
        host: String,
        /// The verifier's reason.
        detail: String,
    },
    /// No complete answer within the configured timeout.
    #[error("{host} did not answer within the timeout; a change may or may not have been applied")]
    Timeout {
        /// Host and port.
        host: String,
    },
    /// IAM rejected the API key.
    #[error("IAM rejected the API key")]
    BadApiKey,
    /// IAM answered something other than a token or a rejection.
    #[error("the IAM token exchange failed with HTTP {status}")]
    Iam {
        /// HTTP status.
        status: u16,
    },
    /// The instance refused a token IAM had just issued.
    #[error("the instance refused a fresh token: check the instance id {instance}")]
    WrongInstance {
        /// The instance id sent.
        instance: String,
    },
    /// The credentials lack permission.
    #[error("the credentials are not allowed to do this: {0}")]
    Forbidden(String),
    /// The instance answered with a Key Protect error.
    #[error(transparent)]
    Keystore(ApiError),
    /// The instance answered something this client does not understand.
    #[error("unexpected answer from the instance: {0}")]
    Unexpected(String),
    /// Secure import could not encrypt the material to the import token.
    #[error("secure import: {0}")]
    SecureImport(String),
    /// The instance lacks a Strongroom feature the call needs (IBM Key Protect).
    #[error("{0}")]
    NotSupported(String),
}

impl From<ClientError> for ApiError {
    fn from(err: ClientError) -> Self {
        let code = match &err {
            ClientError::Config(_) | ClientError::SecureImport(_) => ErrorCode::InvalidInput,
            ClientError::Unreachable { .. } => ErrorCode::HostUnreachable,
            ClientError::Tls { .. } => ErrorCode::TlsFailure,
            ClientError::Timeout { .. } => ErrorCode::Timeout,
            ClientError::BadApiKey => ErrorCode::BadApiKey,
            ClientError::Iam { .. } => ErrorCode::KeystoreUnavailable,
            ClientError::WrongInstance { .. } => ErrorCode::WrongInstance,
            ClientError::Forbidden(_) => ErrorCode::Forbidden,
            ClientError::Keystore(api) => return api.clone(),
            ClientError::Unexpected(_) => ErrorCode::Internal,
            ClientError::NotSupported(_) => ErrorCode::NotSupported,
        };
        ApiError::new(code, err.to_string())
    }
}
