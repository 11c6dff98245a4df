use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, as a closed set the UI and scripts switch on. Messages are for people;
/// codes are for programs. Add a code only when some caller reacts to it differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
#[ts(export)]
#[non_exhaustive]
pub enum ErrorCode {
    /// The key (or other resource) does not exist.
    NotFound,
    /// A field is missing, malformed or out of range.
    InvalidInput,
    /// The key's state forbids the action (e.g. wrapping with a disabled key).
    InvalidState,
    /// The key is deleted already (a second delete).
    KeyDeleted,
    /// The action needs a root key and a standard key was given.
    NotARootKey,
    /// The ciphertext is malformed, altered, for another key, or the AAD does not match.
    Undecryptable,
    /// Rotated less than an hour ago.
    RotationTooSoon,
    /// An imported key needs new material to rotate.
    PayloadRequired,
    /// The restore window of a deleted key has passed.
    RestoreExpired,
    /// A concurrent change won; retry.
    Conflict,
    /// The import token has expired, was retrieved too often, or does not exist.
    ImportTokenExpired,
    /// The encrypted nonce of a secure import does not match the import token.
    IncorrectNonce,
    /// The credentials are good but the caller holds no role that allows this.
    Forbidden,
    /// Dual authorization: the key has no dual-authorization policy.
    NotDualAuth,
    /// Dual authorization: delete needs a prior authorization by another user.
    AuthorizationsNotMet,
    /// Purge is allowed only 4 hours after deletion.
    PurgeTooEarly,
    /// The key is registered to a resource; delete needs force.
    ProtectedResource,
    /// A registration holds the key for a resource's retention: not even a forced delete
    /// may destroy it (the console offers no force here).
    DeletionPrevented,
    /// Only an integrated service may do this (write a registration); people cannot.
    ServiceOnly,
    /// Registrations are for root keys; a standard key was named (Key Protect answers 422,
    /// not the 400 of other root-key-only calls).
    RegistrationNeedsRootKey,
    /// The key ring cannot be deleted or created as asked.
    KeyRingInUse,
    /// The alias belongs to another key.
    AliasTaken,
    /// The instance's create and import access policy forbids this way of bringing in a key
    /// (the console explains the policy and points to secure import).
    CreateImportAccess,
    /// No valid credentials: a missing, wrong, expired or forged API key or token.
    Unauthenticated,
    /// The keystore cannot be opened or reached (keyring locked, remote down, ...).
    KeystoreUnavailable,
    /// A bug or an unexpected failure; details are in the log, not in the message.
    Internal,
    /// A remote instance could not be reached: no route, refused, or the connection dropped.
    /// The user checks the URL or the network, not their credentials.
    HostUnreachable,
    /// The TLS handshake with a remote instance failed (unknown CA, wrong host name,
    /// expired certificate). The fix is a CA file or the right URL, never retrying.
    TlsFailure,
    /// IAM rejected the API key itself, as opposed to a token the keystore refused.
    BadApiKey,
    /// The credentials are good but the instance id is not one they reach.
    WrongInstance,
    /// A remote instance did not answer in time; a change may or may not have been applied.
    Timeout,
    /// The remote instance does not offer a Strongroom feature the request needs (IBM Key
    /// Protect has no such filter or endpoint). Nothing was changed.
    NotSupported,
}

impl ErrorCode {
    /// The code as it crosses IPC and HTTP (`UNDECRYPTABLE`), without a serializer: usage
    /// counts are keyed by it on every failed call.
    pub const fn name(self) -> &'static str {
        match self {
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::InvalidInput => "INVALID_INPUT",
            ErrorCode::InvalidState => "INVALID_STATE",
            ErrorCode::KeyDeleted => "KEY_DELETED",
            ErrorCode::NotARootKey => "NOT_A_ROOT_KEY",
            ErrorCode::Undecryptable => "UNDECRYPTABLE",
            ErrorCode::RotationTooSoon => "ROTATION_TOO_SOON",
            ErrorCode::PayloadRequired => "PAYLOAD_REQUIRED",
            ErrorCode::RestoreExpired => "RESTORE_EXPIRED",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::ImportTokenExpired => "IMPORT_TOKEN_EXPIRED",
            ErrorCode::IncorrectNonce => "INCORRECT_NONCE",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotDualAuth => "NOT_DUAL_AUTH",
            ErrorCode::AuthorizationsNotMet => "AUTHORIZATIONS_NOT_MET",
            ErrorCode::PurgeTooEarly => "PURGE_TOO_EARLY",
            ErrorCode::ProtectedResource => "PROTECTED_RESOURCE",
            ErrorCode::DeletionPrevented => "DELETION_PREVENTED",
            ErrorCode::ServiceOnly => "SERVICE_ONLY",
            ErrorCode::RegistrationNeedsRootKey => "REGISTRATION_NEEDS_ROOT_KEY",
            ErrorCode::KeyRingInUse => "KEY_RING_IN_USE",
            ErrorCode::AliasTaken => "ALIAS_TAKEN",
            ErrorCode::CreateImportAccess => "CREATE_IMPORT_ACCESS",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::KeystoreUnavailable => "KEYSTORE_UNAVAILABLE",
            ErrorCode::Internal => "INTERNAL",
            ErrorCode::HostUnreachable => "HOST_UNREACHABLE",
            ErrorCode::TlsFailure => "TLS_FAILURE",
            ErrorCode::BadApiKey => "BAD_API_KEY",
            ErrorCode::WrongInstance => "WRONG_INSTANCE",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::NotSupported => "NOT_SUPPORTED",
        }
    }

    /// Every code, for tables that map codes both ways.
    pub const ALL: [ErrorCode; 32] = [
        ErrorCode::NotFound,
        ErrorCode::InvalidInput,
        ErrorCode::InvalidState,
        ErrorCode::KeyDeleted,
        ErrorCode::NotARootKey,
        ErrorCode::Undecryptable,
        ErrorCode::RotationTooSoon,
        ErrorCode::PayloadRequired,
        ErrorCode::RestoreExpired,
        ErrorCode::Conflict,
        ErrorCode::ImportTokenExpired,
        ErrorCode::IncorrectNonce,
        ErrorCode::Unauthenticated,
        ErrorCode::KeystoreUnavailable,
        ErrorCode::Internal,
        ErrorCode::HostUnreachable,
        ErrorCode::TlsFailure,
        ErrorCode::BadApiKey,
        ErrorCode::WrongInstance,
        ErrorCode::Forbidden,
        ErrorCode::Timeout,
        ErrorCode::NotDualAuth,
        ErrorCode::AuthorizationsNotMet,
        ErrorCode::PurgeTooEarly,
        ErrorCode::ProtectedResource,
        ErrorCode::DeletionPrevented,
        ErrorCode::ServiceOnly,
        ErrorCode::RegistrationNeedsRootKey,
        ErrorCode::KeyRingInUse,
        ErrorCode::AliasTaken,
        ErrorCode::CreateImportAccess,
        ErrorCode::NotSupported,
    ];
}

/// The error every transport carries: `{"code": "...", "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS, thiserror::Error)]
#[error("{message}")]
#[ts(export)]
pub struct ApiError {
    /// What kind of failure.
    pub code: ErrorCode,
    /// A sentence for a person. Never contains key material, DEKs or credentials.
    pub message: String,
}

impl ApiError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }

    /// Invalid input, with a sentence saying what is wrong.
    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    /// An internal failure. The detail belongs in the log; callers get a generic sentence.
    pub fn internal() -> Self {
        Self::new(
            ErrorCode::Internal,
            "an internal error occurred; the log has the details",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorCode;

    #[test]
    fn each_code_is_named_as_serde_writes_it() {
        for code in ErrorCode::ALL {
            assert_eq!(
                serde_json::to_value(code).unwrap(),
                serde_json::Value::from(code.name()),
                "{code:?}"
            );
        }
    }
}
