use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{ApiError, ErrorCode, SecretString};

/// Root keys wrap DEKs and never leave the keystore; standard keys hold a retrievable payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeyType {
    /// Wraps and unwraps.
    Root,
    /// Holds a payload.
    Standard,
}

/// Key Protect's states by name (the Key Protect API uses 1, 2, 3 and 5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeyStateName {
    /// 1: usable.
    Active,
    /// 2: disabled.
    Suspended,
    /// 3: expired; unwrap only.
    Deactivated,
    /// 5: deleted; restorable for 30 days.
    Destroyed,
}

/// One key version, as shown in a key's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyVersionInfo {
    /// Version id (UUID).
    pub id: String,
    /// RFC 3339.
    pub created_at: String,
    /// Ciphertexts this version has made (wrap, rewrap), where the keystore counts them (an
    /// embedded or `strongroom serve` keystore; not IBM Key Protect).
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub wraps: Option<u64>,
    /// Ciphertexts this version has opened (unwrap), where counted.
    #[ts(optional, type = "number")]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unwraps: Option<u64>,
    /// RFC 3339: the last wrap, rewrap or unwrap with this version, where counted.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_used_at: Option<String>,
}

/// A key's metadata. Never its material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyInfo {
    /// Key id (UUID).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Free text.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Root or standard.
    pub key_type: KeyType,
    /// Effective state (an expired key shows as deactivated).
    pub state: KeyStateName,
    /// Whether the material was supplied by the caller.
    pub imported: bool,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339.
    pub updated_at: String,
    /// RFC 3339, if ever rotated.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_rotated_at: Option<String>,
    /// RFC 3339, while destroyed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_at: Option<String>,
    /// RFC 3339, if the key expires.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// The version new wraps use.
    pub key_version: KeyVersionInfo,
    /// The key ring holding the key (`default` unless moved).
    pub key_ring: String,
    /// Other names usable in place of the id.
    pub aliases: Vec<String>,
    /// The creator's IAM id.
    pub created_by: String,
    /// Who deleted the key, while destroyed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deleted_by: Option<String>,
    /// Whether deleting needs two people, and the first authorization if given.
    pub dual_auth_delete: DualAuthDelete,
    /// The rotation policy, if set.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<RotationPolicyInfo>,
    /// Whether the rotation policy says the key is due.
    pub rotation_due: bool,
    /// While destroyed: how long it can be restored, and from when it can be purged.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deletion_window: Option<DeletionWindow>,
}

/// A destroyed key's restore and purge windows, judged when the key was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DeletionWindow {
    /// RFC 3339: the last moment a restore is accepted (30 days after the deletion).
    pub restorable_until: String,
    /// Whether that moment has not passed yet.
    pub restore_allowed: bool,
    /// RFC 3339: the first moment a purge is accepted (4 hours after the deletion).
    pub purgeable_from: String,
    /// Whether that moment has come.
    pub purge_allowed: bool,
}

/// A key's dual-authorization delete state.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct DualAuthDelete {
    /// Whether the policy is on (it cannot be turned off).
    pub enabled: bool,
    /// Whether a first authorization is pending.
    pub key_set_for_deletion: bool,
    /// Who gave it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorized_by: Option<String>,
    /// RFC 3339; when it lapses.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_expiration: Option<String>,
}

/// A rotation policy: every 1 to 12 months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RotationPolicyInfo {
    /// On or off.
    pub enabled: bool,
    /// 1 to 12.
    #[ts(type = "number")]
    pub interval_month: i64,
}

/// Create a key. With `payload` the material is imported; without, 256 random bits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateKeyRequest {
    /// 2 to 90 characters.
    pub name: String,
    /// At most 240 characters.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Root or standard.
    pub key_type: KeyType,
    /// RFC 3339, in the future.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
    /// Base64 material to import: 16, 24 or 32 bytes for a root key. With `encryptedNonce`
    /// and `iv` it is RSA-OAEP ciphertext made with the import token's public key.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<SecretString>,
    /// Secure import fields, side by side with `payload` on the wire.
    #[serde(flatten)]
    #[ts(flatten)]
    pub secure_import: SecureImport,
    /// The key ring to create the key in; `default` when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ring: Option<String>,
    /// Aliases, at most 5.
    #[ts(as = "Option<Vec<String>>", optional)]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// Dual-authorization delete; the instance policy decides when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dual_auth_delete: Option<bool>,
    /// A rotation policy (root keys); the instance policy decides when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation: Option<RotationPolicyInfo>,
}

/// Secure import: the fields that come with an RSA-OAEP `payload` made with the import
/// token's public key. All absent for a generated key or a plain-base64 import.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SecureImport {
    /// Base64 AES-GCM seal of the import token's nonce under the key material.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encrypted_nonce: Option<String>,
    /// Base64 of the 12-byte IV used to seal the nonce.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iv: Option<String>,
    /// `RSAES_OAEP_SHA_256` (default) or `RSAES_OAEP_SHA_1`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption_algorithm: Option<String>,
}

/// Ask for a new import token (replacing any earlier one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CreateImportTokenRequest {
    /// Lifetime in seconds, 300 to 86,400; 600 when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration: Option<u32>,
    /// How often the token may be retrieved, 1 to 500; 1 when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_allowed_retrievals: Option<u32>,
}

/// An import token; `payload` and `nonce` only when it is retrieved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ImportTokenInfo {
    /// RFC 3339.
    pub creation_date: String,
    /// RFC 3339.
    pub expiration_date: String,
    /// Retrievals allowed in all.
    pub max_allowed_retrievals: u32,
    /// Retrievals left.
    pub remaining_retrievals: u32,
    /// Base64 of the PEM public key to encrypt the material to.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<String>,
    /// Base64 of the nonce to seal with the material.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
}

/// Rotate a key; imported keys need a new `payload`, plain or under the import token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct RotateKeyRequest {
    /// Key id.
    pub key_id: String,
    /// Base64 material for an imported key (RSA-OAEP ciphertext with `encryptedNonce`/`iv`).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payload: Option<SecretString>,
    /// Secure import fields, side by side with `payload` on the wire.
    #[serde(flatten)]
    #[ts(flatten)]
    pub secure_import: SecureImport,
}

/// Filters and paging for the key table; applied by the keystore, not the UI.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListKeysRequest {
    /// Keys to skip.
    #[serde(default)]
    pub offset: u32,
    /// Page size; 200 when absent, at most 5,000.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// Only these states; all but destroyed when empty.
    #[serde(default)]
    pub states: Vec<KeyStateName>,
    /// Key Protect's search: a substring of the name or an alias, or an exact key id;
    /// prefixes `not:`, `exact:`, `name:`, `alias:` and `escape:` narrow it.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub search: Option<String>,
    /// Only root or only standard keys.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_type: Option<KeyType>,
    /// Only keys of this key ring.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_ring: Option<String>,
    /// Only imported (`true`) or only generated (`false`) keys. A Strongroom filter: IBM Key
    /// Protect has none, and a remote client refuses it there rather than show every key.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imported: Option<bool>,
    /// Only keys whose deletion needs (`true`) or does not need (`false`) a second approver.
    /// A Strongroom filter, like `imported`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dual_auth_delete: Option<bool>,
    /// Only keys their rotation policy says are due (`true`) or not due (`false`) now.
    /// A Strongroom filter, like `imported`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rotation_due: Option<bool>,
    /// Order, most significant first; newest first when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[ts(as = "Option<Vec<KeySort>>", optional)]
    pub sort: Vec<KeySort>,
}

impl ListKeysRequest {
    /// The Strongroom filters this request asks for, by their query-parameter names: the
    /// server echoes the ones it applied in [`EXTENSION_FILTERS_HEADER`], and a client
    /// refuses an answer that leaves one out.
    pub fn extension_filters(&self) -> Vec<&'static str> {
        self.extension_params()
            .into_iter()
            .map(|(name, _)| name)
            .collect()
    }

    /// The Strongroom filters asked for, as query parameters (`imported=true`).
    pub fn extension_params(&self) -> Vec<(&'static str, bool)> {
        [
            ("imported", self.imported),
            ("dualAuthDelete", self.dual_auth_delete),
            ("rotationDue", self.rotation_due),
        ]
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect()
    }
}

/// The response header in which `GET /api/v2/keys` names the Strongroom filters it applied.
/// Key Protect ignores query parameters it does not know, so without this echo a filtered
/// listing from it would look like a page of matches.
pub const EXTENSION_FILTERS_HEADER: &str = "x-strongroom-filters";

/// A field keys can be sorted by. The serde names are Key Protect's `sort` fields (plus `name`
/// and `keyType`, which the console's table sorts by).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeySortField {
    /// Key id.
    Id,
    /// Display name, case-insensitive.
    Name,
    /// Root or standard.
    KeyType,
    /// State number.
    State,
    /// Imported or generated.
    Imported,
    /// Creation time.
    CreationDate,
    /// Last change.
    LastUpdateDate,
    /// Last rotation.
    LastRotateDate,
    /// Deletion time.
    DeletionDate,
    /// Expiration time.
    ExpirationDate,
}

/// One sort key of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeySort {
    /// The field.
    pub field: KeySortField,
    /// Largest (or latest) first.
    #[serde(default)]
    pub descending: bool,
}

impl KeySortField {
    /// The field's name in Key Protect's `sort` parameter: its serde name, which the
    /// generated TypeScript type carries too, so the wire names are written down once.
    fn wire_name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }
}

impl KeySort {
    /// Key Protect's `sort` parameter: comma-separated fields, `-` before a field for
    /// descending (`-creationDate,name`). The error is the first field it does not know.
    pub fn parse_list(text: &str) -> Result<Vec<KeySort>, String> {
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                let (descending, name) = match part.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, part.strip_prefix('+').unwrap_or(part)),
                };
                serde_json::from_value(serde_json::Value::from(name))
                    .map(|field| KeySort { field, descending })
                    .map_err(|_| name.to_owned())
            })
            .collect()
    }

    /// The inverse of [`KeySort::parse_list`].
    pub fn format_list(sort: &[KeySort]) -> String {
        sort.iter()
            .map(|key| {
                let sign = if key.descending { "-" } else { "" };
                format!("{sign}{}", key.field.wire_name())
            })
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// A page of keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeyList {
    /// Newest first.
    pub keys: Vec<KeyInfo>,
    /// Matches across all pages.
    pub total: u32,
}

/// A page of the instance's aliases, in alias order: where each name points.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ListAliasesRequest {
    /// Only aliases starting with this (case-sensitive, as aliases are).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<String>,
    /// Skip this many.
    #[serde(default)]
    pub offset: u32,
    /// Page size, at most 1000; 100 when absent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
}

/// One alias and the key it names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AliasInfo {
    /// The alias.
    pub alias: String,
    /// The key it resolves to.
    pub key_id: String,
    /// That key's name.
    pub key_name: String,
    /// That key's state.
    pub key_state: KeyStateName,
    /// RFC 3339.
    pub created_at: String,
    /// Who added the alias.
    pub created_by: String,
}

/// A page of aliases.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct AliasList {
    /// In alias order.
    pub aliases: Vec<AliasInfo>,
    /// Matches across all pages.
    pub total: u32,
}

/// Whether the keystore is this computer's or a remote instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub enum KeystoreMode {
    /// SQLite on this computer, sealed by the OS keyring.
    Embedded,
    /// A Strongroom or Key Protect instance over HTTPS.
    Remote,
}

/// Which keystore the console is talking to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct KeystoreInfo {
    /// Embedded or remote.
    pub mode: KeystoreMode,
    /// The database path or the instance URL.
    pub location: String,
    /// The embedded store's schema version (migrations applied), for the About dialog and
    /// bug reports; a remote instance does not publish one.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema_version: Option<u32>,
}

/// The time a keystore's rules run on: expirations, the restore window, the purge wait,
/// rotation policies. A test server may run it ahead of the system clock
/// (`strongroom serve --virtual-clock`), so a test can cross a 30-day window in a second.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ClockInfo {
    /// Now, as the keystore's rules see it. RFC 3339.
    pub now: String,
    /// How far ahead of the system clock it runs, in seconds; 0 unless it was moved. The
    /// console counts down in the keystore's time, since its rules do.
    #[ts(type = "number")]
    pub offset_seconds: i64,
    /// Whether it may be moved: only on a server started with `--virtual-clock`.
    pub advanceable: bool,
}

/// Moves a virtual clock ahead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvanceClockRequest {
    /// How far: a whole number and a unit, `s`, `m`, `h` or `d` (`"31d"`, `"4h"`).
    pub by: String,
}

impl AdvanceClockRequest {
    /// The duration asked for, in seconds.
    pub fn seconds(&self) -> Result<i64, ApiError> {
        let invalid = || {
            ApiError::new(
                ErrorCode::InvalidInput,
                format!(
                    "by: {:?} is not a duration; give a whole number and a unit, s, m, h or d \
                     (\"31d\", \"4h\")",
                    self.by
                ),
            )
        };
        let text = self.by.trim();
        if text.is_empty() {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "by: how far to move the clock is required, as in {\"by\": \"31d\"}",
            ));
        }
        let unit = text.chars().last().ok_or_else(invalid)?;
        let per_unit: i64 = match unit {
            's' => 1,
            'm' => 60,
            'h' => 3_600,
            'd' => 86_400,
            _ => return Err(invalid()),
        };
        let count: i64 = text[..text.len() - 1].parse().map_err(|_| invalid())?;
        if count <= 0 {
            return Err(ApiError::new(
                ErrorCode::InvalidInput,
                "by: the clock moves forward only; give a positive duration",
            ));
        }
        count.checked_mul(per_unit).ok_or_else(invalid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_advances_are_read_in_whole_units() {
        let seconds = |by: &str| AdvanceClockRequest { by: by.into() }.seconds();
        assert_eq!(seconds("31d").unwrap(), 31 * 86_400);
        assert_eq!(seconds(" 4h ").unwrap(), 4 * 3_600);
        assert_eq!(seconds("90m").unwrap(), 5_400);
        assert_eq!(seconds("1s").unwrap(), 1);
        for bad in [
            "",
            "d",
            "31",
            "3.5d",
            "-1d",
            "0h",
            "1w",
            "99999999999999999d",
        ] {
            let err = seconds(bad).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput, "{bad:?}");
        }
    }

    #[test]
    fn sort_lists_round_trip_in_key_protect_syntax() {
        let sort = KeySort::parse_list("-creationDate, name,+state").unwrap();
        assert_eq!(
            sort,
            vec![
                KeySort {
                    field: KeySortField::CreationDate,
                    descending: true
                },
                KeySort {
                    field: KeySortField::Name,
                    descending: false
                },
                KeySort {
                    field: KeySortField::State,
                    descending: false
                },
            ]
        );
        assert_eq!(KeySort::format_list(&sort), "-creationDate,name,state");
        assert_eq!(KeySort::parse_list("").unwrap(), vec![]);
        assert_eq!(KeySort::parse_list("name,-colour").unwrap_err(), "colour");
    }
}
