use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::SecretString;

/// Names the key version an operation used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyVersionRef {
    /// Version id (UUID).
    pub id: String,
}

/// Wrap a DEK with a root key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrapRequest {
    /// Root key id.
    pub key_id: String,
    /// Base64 DEK; when absent a 32-byte DEK is generated and returned.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plaintext: Option<SecretString>,
    /// Additional authenticated data; the same list must be given to unwrap.
    #[serde(default)]
    pub aad: Vec<String>,
}

/// A wrapped DEK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct WrapResponse {
    /// Base64 envelope; opaque to callers.
    pub ciphertext: String,
    /// The version that sealed it.
    pub key_version: KeyVersionRef,
    /// The generated DEK, base64, when the request had no plaintext.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plaintext: Option<SecretString>,
}

/// Unwrap a DEK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnwrapRequest {
    /// Root key id.
    pub key_id: String,
    /// Base64 envelope from wrap.
    pub ciphertext: String,
    /// The AAD given to wrap.
    #[serde(default)]
    pub aad: Vec<String>,
}

/// The DEK re-wrapped with the newest key version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct Rewrapped {
    /// Base64 envelope under the newest version.
    pub ciphertext: String,
    /// The newest version.
    pub key_version: KeyVersionRef,
}

/// An unwrapped DEK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct UnwrapResponse {
    /// Base64 DEK.
    pub plaintext: SecretString,
    /// The version that had wrapped it.
    pub key_version: KeyVersionRef,
    /// Present when the key has rotated since the wrap.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rewrapped: Option<Rewrapped>,
}

/// Re-wrap a DEK with the newest version of its key.
pub type RewrapRequest = UnwrapRequest;

/// A re-wrapped DEK.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RewrapResponse {
    /// Base64 envelope under the newest version.
    pub ciphertext: String,
    /// The version that had wrapped it.
    pub key_version: KeyVersionRef,
    /// The version that wraps it now.
    pub rewrapped_key_version: KeyVersionRef,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_debug_output() {
        let request = WrapRequest {
            key_id: "k".into(),
            plaintext: Some(SecretString::new("c2VjcmV0LWRlaw==".into())),
            aad: vec![],
        };
        let shown = format!("{request:?}");
        assert!(!shown.contains("c2VjcmV0LWRlaw=="), "{shown}");
        assert!(shown.contains("[redacted]"));
    }

    #[test]
    fn wire_names_are_camel_case() {
        let json = serde_json::to_value(RewrapResponse {
            ciphertext: "c".into(),
            key_version: KeyVersionRef { id: "a".into() },
            rewrapped_key_version: KeyVersionRef { id: "b".into() },
        })
        .unwrap();
        assert_eq!(json["rewrappedKeyVersion"]["id"], "b");
        let err = serde_json::to_value(crate::ApiError::invalid("bad")).unwrap();
        assert_eq!(
            err,
            serde_json::json!({"code": "INVALID_INPUT", "message": "bad"})
        );
    }
}
