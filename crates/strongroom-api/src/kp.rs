//! The IBM Key Protect v2 wire format, as the unmodified IBM SDKs send and read it.
//! Shared by the server (which speaks it) and, later, the remote client (which reads it).

use serde::{Deserialize, Serialize};

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
    /// A standard key's payload, base64, on GET /keys/{id} only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
}

/// A key version reference.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KpKeyVersion {
    /// Version id.
    pub id: String,
    /// RFC 3339.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub creation_date: Option<String>,
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
