//! The IBM Key Protect v2 wire format, as the unmodified IBM SDKs send and read it.
//! Shared by the server (which speaks it) and the remote client (which reads it).

use serde::{Deserialize, Serialize};

use crate::ErrorCode;

/// Media type of key collections and key resources.
pub const KEY_TYPE: &str = "application/vnd.ibm.kms.key+json";
/// Media type of wrap, unwrap and rewrap results.
pub const KEY_ACTION_TYPE: &str = "application/vnd.ibm.kms.key_action+json";
/// Media type of error collections.
pub const ERROR_TYPE: &str = "application/vnd.ibm.kms.error+json";
/// Media type of key version collections.
pub const KEY_VERSION_TYPE: &str = "application/vnd.ibm.kms.key.version+json";
/// Where Key Protect errors point for more information.
pub const MORE_INFO: &str = "https://cloud.ibm.com/apidocs/key-protect";

/// `{metadata, resources}`: the envelope of almost every Key Protect body.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Collection<T> {
    /// Type and count.
    pub metadata: CollectionMetadata,
    /// The items.
    pub resources: Vec<T>,
}

impl<T> Collection<T> {
    /// A collection whose `collectionTotal` matches its resources, as clients check.
    pub fn new(collection_type: &str, resources: Vec<T>) -> Self {
        Self {
            metadata: CollectionMetadata {
                collection_type: collection_type.to_owned(),
                collection_total: resources.len(),
                total_count: None,
            },
            resources,
        }
    }
}

/// Collection metadata.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectionMetadata {
    /// Media type of the resources.
    pub collection_type: String,
    /// Number of resources in this body.
    pub collection_total: usize,
    /// All matches across pages, when asked for with `totalCount=true`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub total_count: Option<u64>,
}

/// A key resource.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KpKey {
    /// Always [`KEY_TYPE`].
    #[serde(rename = "type")]
    pub resource_type: String,
    /// Key id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Free text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// 1, 2, 3 or 5.
    pub state: u8,
    /// False for root keys.
    pub extractable: bool,
    /// Whether the material was supplied.
    pub imported: bool,
    /// `crn:v1:...:key:<id>`.
    pub crn: String,
    /// The key ring; `default` until key rings are served.
    #[serde(rename = "keyRingID")]
    pub key_ring_id: String,
    /// RFC 3339.
    pub creation_date: String,
    /// RFC 3339.
    pub last_update_date: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rotate_date: Option<String>,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    /// Whether the key is destroyed.
    pub deleted: bool,
    /// RFC 3339, while destroyed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_date: Option<String>,
    /// "AES".
    pub algorithm_type: String,
    /// The current version.
    pub key_version: KpKeyVersion,
    /// Who created it.
    pub created_by: String,
    /// Other names usable in place of the id.
    pub aliases: Vec<String>,
    /// `{enabled, keySetForDeletion, authExpiration}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dual_auth_delete: Option<serde_json::Value>,
    /// `{enabled, interval_month}` when a rotation policy is set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<serde_json::Value>,
    /// Who deleted the key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// RFC 3339, while destroyed: the end of the restore window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_expiration_date: Option<String>,
    /// While destroyed: whether a restore is accepted now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore_allowed: Option<bool>,
    /// RFC 3339, while destroyed: the first moment a purge is accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_allowed_from: Option<String>,
    /// While destroyed: whether a purge is accepted now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purge_allowed: Option<bool>,
    /// Strongroom's extension: whether the rotation policy says the key is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_due: Option<bool>,
    /// A standard key's payload, base64, on GET /keys/{id} only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// A key version reference.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KpKeyVersion {
    /// Version id.
    pub id: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
    /// Strongroom's extension in a versions listing: ciphertexts made (wrap, rewrap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wraps: Option<u64>,
    /// Strongroom's extension: ciphertexts opened (unwrap).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unwraps: Option<u64>,
    /// Strongroom's extension: RFC 3339 time of the last use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_date: Option<String>,
}

/// One entry of an error collection.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KpError {
    /// `"<HTTP reason phrase>: <text> (<CODE>)"`.
    pub error_msg: String,
    /// Machine-readable reasons.
    #[serde(default)]
    pub reasons: Vec<KpReason>,
}

/// Why a request failed, with Key Protect's reason code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KpReason {
    /// E.g. `KEY_ACTION_INVALID_STATE_ERR`.
    pub code: String,
    /// A sentence.
    pub message: String,
    /// The HTTP status.
    pub status: u16,
    /// Documentation link.
    pub more_info: String,
}

/// The HTTP status and Key Protect reason code the server answers for `code`. The client
/// reads it back with [`code_for_reason`], so this `match` is the one table of reason codes.
pub fn reason_for(code: ErrorCode) -> (u16, &'static str) {
    match code {
        ErrorCode::NotFound => (404, "KEY_NOT_FOUND_ERR"),
        ErrorCode::InvalidInput => (400, "INVALID_FIELD_ERR"),
        ErrorCode::InvalidState => (409, "KEY_ACTION_INVALID_STATE_ERR"),
        ErrorCode::KeyDeleted => (410, "KEY_DELETED_ERR"),
        ErrorCode::NotARootKey => (400, "KEY_ROOT_REQ_ERR"),
        ErrorCode::Undecryptable => (422, "UNPROCESSABLE_CIPHERTEXT_ERR"),
        ErrorCode::RotationTooSoon => (409, "KEY_ROTATION_NOT_PERMITTED"),
        ErrorCode::PayloadRequired => (400, "KEY_PAYLOAD_REQ_ERR"),
        ErrorCode::RestoreExpired => (409, "KEY_RESTORE_EXPIRED_ERR"),
        ErrorCode::Conflict => (409, "CONFLICT_ERR"),
        ErrorCode::ImportTokenExpired => (409, "IMPORT_TOKEN_EXPIRED_ERR"),
        ErrorCode::IncorrectNonce => (400, "INCORRECT_NONCE_ERR"),
        ErrorCode::Unauthenticated => (401, "UNAUTHORIZED_ERR"),
        ErrorCode::KeystoreUnavailable => (503, "SERVICE_UNAVAILABLE_ERR"),
        ErrorCode::Internal => (500, "INTERNAL_SERVER_ERR"),
        // A server in front of a remote keystore reports the upstream's failure as a gateway.
        ErrorCode::HostUnreachable => (502, "UPSTREAM_UNREACHABLE_ERR"),
        ErrorCode::TlsFailure => (502, "UPSTREAM_TLS_ERR"),
        ErrorCode::BadApiKey => (502, "UPSTREAM_API_KEY_ERR"),
        ErrorCode::WrongInstance => (502, "UPSTREAM_INSTANCE_ERR"),
        ErrorCode::Forbidden => (403, "FORBIDDEN_ERR"),
        ErrorCode::Timeout => (504, "UPSTREAM_TIMEOUT_ERR"),
        ErrorCode::NotDualAuth => (409, "NOT_DUAL_AUTH_ERR"),
        ErrorCode::AuthorizationsNotMet => (409, "AUTHORIZATIONS_NOT_MET"),
        ErrorCode::PurgeTooEarly => (409, "KEY_PURGE_TOO_EARLY_ERR"),
        ErrorCode::ProtectedResource => (409, "PROTECTED_RESOURCE_ERR"),
        ErrorCode::DeletionPrevented => (409, "PREV_KEY_DEL_ERR"),
        ErrorCode::ServiceOnly => (403, "SERVICE_ONLY_ERR"),
        ErrorCode::RegistrationNeedsRootKey => (422, "KEY_ROOT_REQ_REG_ERR"),
        ErrorCode::KeyRingInUse => (409, "KEY_RING_NOT_EMPTY_ERR"),
        ErrorCode::AliasTaken => (409, "KEY_ALIAS_NOT_UNIQUE_ERR"),
        ErrorCode::CreateImportAccess => (409, "KEY_CREATE_IMPORT_ACCESS_ERR"),
        // Only met by a server in front of a remote instance that lacks the feature.
        ErrorCode::NotSupported => (501, "UPSTREAM_NOT_SUPPORTED_ERR"),
    }
}

/// Reason codes that Key Protect (or this server outside the facade) sends and that no
/// [`ErrorCode`] produces, each with the code a caller should see.
const OTHER_REASONS: [(&str, ErrorCode); 13] = [
    ("BAD_BODY_ERR", ErrorCode::InvalidInput),
    ("NO_BODY_ERR", ErrorCode::InvalidInput),
    ("INVALID_QUERY_PARAM_ERR", ErrorCode::InvalidInput),
    ("COLLECTION_TOTAL_MISMATCH_ERR", ErrorCode::InvalidInput),
    ("BODY_TOO_LARGE_ERR", ErrorCode::InvalidInput),
    ("BAD_REQUEST_ERR", ErrorCode::InvalidInput),
    ("INCORRECT_NONCE_IV_ERR", ErrorCode::IncorrectNonce),
    ("KEY_EXPIRED_ERR", ErrorCode::InvalidState),
    ("RESOURCE_OWNER_ERR", ErrorCode::Forbidden),
    ("REQ_TOO_EARLY_ERR", ErrorCode::Conflict),
    ("NOT_FOUND_ERR", ErrorCode::NotFound),
    ("METHOD_NOT_ALLOWED_ERR", ErrorCode::Internal),
    ("FORBIDDEN", ErrorCode::Forbidden),
];

/// The [`ErrorCode`] behind a Key Protect reason code; `None` for a code nobody told us about.
pub fn code_for_reason(reason: &str) -> Option<ErrorCode> {
    ErrorCode::ALL
        .into_iter()
        .find(|code| reason_for(*code).1.eq_ignore_ascii_case(reason))
        .or_else(|| {
            OTHER_REASONS
                .iter()
                .find(|(known, _)| known.eq_ignore_ascii_case(reason))
                .map(|(_, code)| *code)
        })
}

/// Every reason code this side understands, with its [`ErrorCode`]: the table the web
/// console's HTTP backend reads (exported to TypeScript by the tests below).
pub fn reason_table() -> Vec<(&'static str, ErrorCode)> {
    ErrorCode::ALL
        .into_iter()
        .map(|code| (reason_for(code).1, code))
        .chain(OTHER_REASONS)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes `kpReasons.ts` beside the ts-rs bindings, so the UI never retypes the table.
    #[test]
    fn export_reason_table_to_typescript() {
        let Some(dir) = std::env::var_os("TS_RS_EXPORT_DIR") else {
            return;
        };
        let mut text = String::from(
            "// Generated from strongroom-api's kp::reason_table by `cargo test -p strongroom-api`. Do not edit.\n\
             import type { ErrorCode } from \"./ErrorCode\";\n\n\
             /** Key Protect reason codes and the ErrorCode each stands for. */\n\
             export const KP_REASONS: Readonly<Record<string, ErrorCode>> = {\n",
        );
        for (reason, code) in reason_table() {
            let code = serde_json::to_value(code).unwrap();
            text.push_str(&format!("  {reason}: {code},\n"));
        }
        text.push_str("};\n");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir);
        std::fs::write(dir.join("kpReasons.ts"), text).unwrap();
    }

    #[test]
    fn every_code_survives_the_trip_through_its_reason() {
        for code in ErrorCode::ALL {
            let (_, reason) = reason_for(code);
            assert_eq!(code_for_reason(reason), Some(code), "{reason}");
        }
    }

    #[test]
    fn other_reasons_do_not_shadow_a_code_of_our_own() {
        for (reason, _) in OTHER_REASONS {
            assert!(
                ErrorCode::ALL.iter().all(|c| reason_for(*c).1 != reason),
                "{reason} is both a primary and an extra reason"
            );
        }
    }
}
