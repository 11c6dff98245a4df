//! Key Protect resources back into the facade's DTOs: the inverse of the server's `kp_key`.

use serde::Deserialize;
use strongroom_api::kp::{KpKey, KpKeyVersion};
use strongroom_api::{KeyInfo, KeyStateName, KeyType, KeyVersionInfo, SecretString};

use crate::ClientError;

pub(crate) fn key_info(key: KpKey) -> Result<KeyInfo, ClientError> {
    let state = match key.state {
        1 => KeyStateName::Active,
        2 => KeyStateName::Suspended,
        3 => KeyStateName::Deactivated,
        5 => KeyStateName::Destroyed,
        other => {
            return Err(ClientError::Unexpected(format!(
                "key {} is in unknown state {other}",
                key.id
            )))
        }
    };
    Ok(KeyInfo {
        id: key.id,
        name: key.name,
        description: key.description,
        key_type: if key.extractable {
            KeyType::Standard
        } else {
            KeyType::Root
        },
        state,
        imported: key.imported,
        created_at: key.creation_date,
        updated_at: key.last_update_date,
        last_rotated_at: key.last_rotate_date,
        deleted_at: key.deletion_date,
        expires_at: key.expiration_date,
        key_version: version_info(key.key_version),
    })
}

pub(crate) fn version_info(version: KpKeyVersion) -> KeyVersionInfo {
    KeyVersionInfo {
        id: version.id,
        created_at: version.creation_date.unwrap_or_default(),
    }
}

/// `{"id": ...}` as action results name key versions.
#[derive(Deserialize)]
pub(crate) struct VersionId {
    pub(crate) id: String,
}

/// The result of wrap.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Wrapped {
    pub(crate) ciphertext: String,
    pub(crate) key_version: VersionId,
    #[serde(default)]
    pub(crate) plaintext: Option<SecretString>,
}

/// The result of unwrap; `ciphertext` and `rewrappedKeyVersion` only after a rotation.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Unwrapped {
    pub(crate) plaintext: SecretString,
    pub(crate) key_version: VersionId,
    #[serde(default)]
    pub(crate) ciphertext: Option<String>,
    #[serde(default)]
    pub(crate) rewrapped_key_version: Option<VersionId>,
}

/// The result of rewrap.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Rewrapped {
    pub(crate) ciphertext: String,
    pub(crate) key_version: VersionId,
    pub(crate) rewrapped_key_version: VersionId,
}
