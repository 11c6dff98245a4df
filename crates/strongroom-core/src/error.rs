use crate::{KeyAction, KeyId, KeyState, Operation};

/// Everything that can go wrong in the domain, and in the storage port beneath it.
///
/// Variants are the reasons a caller can act on; messages name key ids and states but never
/// carry key material, plaintext or ciphertext bytes.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// No key with this id exists (or it exists in another instance).
    #[error("key {0} was not found")]
    KeyNotFound(KeyId),
    /// The key exists but its state forbids the action (Key Protect's state table).
    #[error("key {key} is {state}; {action} is not allowed in that state")]
    InvalidState {
        /// The key.
        key: KeyId,
        /// Its state when the action was tried.
        state: KeyState,
        /// What was tried.
        action: KeyAction,
    },
    /// Only root keys wrap and unwrap; standard keys are payload holders.
    #[error("key {0} is a standard key; only root keys can {1}")]
    NotARootKey(KeyId, KeyAction),
    /// Input failed validation; the message says which field and why.
    #[error("{0}")]
    Invalid(String),
    /// The ciphertext is not a Strongroom envelope: truncated, garbage, or an unknown format.
    #[error("the ciphertext is malformed: {0}")]
    MalformedCiphertext(&'static str),
    /// The ciphertext names a key version that does not belong to this key.
    #[error("the ciphertext was not produced by key {key}")]
    WrongKey {
        /// The key asked to unwrap.
        key: KeyId,
    },
    /// Authentication failed: the ciphertext was altered, or the AAD differs from the wrap.
    #[error("the ciphertext could not be unwrapped: it was altered or the additional authenticated data does not match")]
    Undecryptable,
    /// The key was rotated less than an hour ago (Key Protect allows one rotation per hour).
    #[error("key {0} was rotated less than an hour ago")]
    RotationTooSoon(KeyId),
    /// An imported key can only rotate to material the caller supplies.
    #[error("key {0} was imported; rotating it needs new key material")]
    PayloadRequired(KeyId),
    /// A deleted key can only be restored within 30 days.
    #[error("key {0} was deleted more than 30 days ago and can no longer be restored")]
    RestoreExpired(KeyId),
    /// Another writer changed the key between read and write.
    #[error("key {0} was changed concurrently; retry")]
    Conflict(KeyId),
    /// The import token has expired or has no retrievals left.
    #[error("the import token has expired or was retrieved too often; create a new one")]
    ImportTokenExpired,
    /// There is no import token to import under.
    #[error("there is no import token; create one first")]
    NoImportToken,
    /// The encrypted nonce or its iv does not match the import token.
    #[error("{0}")]
    IncorrectNonce(&'static str),
    /// The caller holds no role that allows the operation on this target.
    #[error("{iam_id} is not allowed to perform {operation} here")]
    Forbidden {
        /// Who tried.
        iam_id: String,
        /// What was tried.
        operation: Operation,
    },
    /// Integrated services may use keys but never delete them.
    #[error("a service cannot delete keys")]
    ServiceCannotDelete,
    /// Registrations are written by the integrated service that protects the resource, never
    /// by a person.
    #[error(
        "only an integrated service may {0}: it registers the resources it protects with a key"
    )]
    ServiceOnly(Operation),
    /// A registration asks that the key outlive its resource (a retention policy), so not
    /// even a forced delete may destroy it.
    #[error("key {0} protects a resource whose registration prevents the key's deletion; the service that registered it must lift that first")]
    DeletionPrevented(KeyId),
    /// No registration of this resource on this key.
    #[error("key {key} has no registration for {crn}")]
    RegistrationNotFound {
        /// The key.
        key: KeyId,
        /// The resource CRN asked for.
        crn: String,
    },
    /// The resource is registered with this key already (replace or update it instead).
    #[error("{crn} is already registered with key {key}")]
    RegistrationExists {
        /// The key.
        key: KeyId,
        /// The resource CRN.
        crn: String,
    },
    /// set/unsetKeyForDeletion on a key without a dual-authorization policy.
    #[error("key {0} does not have dual authorization for deletion enabled")]
    NotDualAuth(KeyId),
    /// Delete of a dual-auth key without a live authorization by another person.
    #[error("key {0} needs a prior authorization for deletion by a different user, given within the last 7 days")]
    AuthorizationsNotMet(KeyId),
    /// Purge less than four hours after deletion.
    #[error("key {0} can be purged only 4 hours after it was deleted")]
    PurgeTooEarly(KeyId),
    /// Key policies apply to root keys only.
    #[error("key {0} is a standard key; policies apply to root keys only")]
    PolicyNeedsRootKey(KeyId),
    /// No such alias on the key, or in the instance.
    #[error("the alias {0:?} was not found")]
    AliasNotFound(String),
    /// Another key of the instance has the alias.
    #[error("the alias {0:?} is already used by another key")]
    AliasTaken(String),
    /// No key ring with this id.
    #[error("the key ring {0:?} was not found")]
    KeyRingNotFound(String),
    /// The ring exists already.
    #[error("the key ring {0:?} already exists")]
    KeyRingExists(String),
    /// The ring still holds keys that are not destroyed, or holds destroyed ones and
    /// `force` was not given, or is `default`, or the instance already has 51 rings.
    #[error("{0}")]
    KeyRingInUse(String),
    /// The instance's `keyCreateImportAccess` policy forbids this way of bringing in a key.
    #[error("the instance's create and import access policy does not allow {0}")]
    CreateImportAccess(&'static str),
    /// The operating system's random number generator failed.
    #[error("the system random number generator failed")]
    Randomness,
    /// The storage backend failed. The source is for logs; callers see a generic message.
    #[error("storage failure: {0}")]
    Storage(#[source] Box<dyn std::error::Error + Send + Sync>),
}
