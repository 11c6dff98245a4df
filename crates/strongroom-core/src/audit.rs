//! The audit trail's record: who did what to which object, with what outcome. Storage
//! appends it in the same transaction as the change it describes and chains the rows by
//! hash; nothing here ever carries key material, DEKs or credentials.

use time::OffsetDateTime;

use crate::KeyVersionId;

/// How a call ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// It did what was asked.
    Success,
    /// It was refused or failed; the stable error code says why.
    Failure(String),
}

impl Outcome {
    /// `success`, or the failure's code.
    pub fn as_str(&self) -> &str {
        match self {
            Outcome::Success => "success",
            Outcome::Failure(code) => code,
        }
    }
}

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEvent {
    /// When it happened.
    pub at: OffsetDateTime,
    /// The instance addressed.
    pub instance: String,
    /// The caller's IAM id.
    pub initiator: String,
    /// Key Protect's Activity Tracker action (`kms.secrets.wrap`), or an IAM one
    /// (`iam.authorization.create`).
    pub action: String,
    /// The object: a key id, a ring id, a policy id; empty for instance-wide calls.
    pub target: String,
    /// Success or the error code.
    pub outcome: Outcome,
    /// The request's correlation id, to join with the server log.
    pub correlation_id: String,
    /// The key version a wrap, unwrap or rewrap used; empty for other calls.
    pub key_version: String,
    /// The network address the call came from (`203.0.113.7`); empty for in-process calls.
    pub source: String,
}

/// A source resource seen using a key: the data behind the registrations endpoints and a
/// later "blast radius" view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The key used.
    pub key: crate::KeyId,
    /// The version that wrapped (or that an unwrap found).
    pub key_version: KeyVersionId,
    /// The source resource's CRN.
    pub resource_crn: String,
    /// The service identity's IAM id.
    pub service: String,
    /// When it was last seen.
    pub at: OffsetDateTime,
}
