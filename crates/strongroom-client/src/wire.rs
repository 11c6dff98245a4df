//! Key Protect resources back into the facade's DTOs: the inverse of the server's `kp_key`.

use serde::Deserialize;
use serde_json::Value;
use strongroom_api::kp::{KpKey, KpKeyVersion};
use strongroom_api::{
    DeletionWindow, DualAuthDelete, KeyInfo, KeyStateName, KeyType, KeyVersionInfo,
    RotationPolicyInfo, SecretString,
};

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
        key_ring: key.key_ring_id,
        aliases: key.aliases,
        created_by: key.created_by,
        deleted_by: key.deleted_by,
        dual_auth_delete: key
            .dual_auth_delete
            .as_ref()
            .map(dual_auth)
            .unwrap_or_default(),
        rotation: key.rotation.as_ref().and_then(rotation),
        rotation_due: key.rotation_due.unwrap_or(false),
        // Both dates or neither: a peer that sends half of the window gets none shown.
        deletion_window: key.restore_expiration_date.zip(key.purge_allowed_from).map(
            |(restorable_until, purgeable_from)| DeletionWindow {
                restorable_until,
                restore_allowed: key.restore_allowed.unwrap_or(false),
                purgeable_from,
                purge_allowed: key.purge_allowed.unwrap_or(false),
            },
        ),
    })
}

fn dual_auth(value: &Value) -> DualAuthDelete {
    DualAuthDelete {
        enabled: value["enabled"].as_bool().unwrap_or(false),
        key_set_for_deletion: value["keySetForDeletion"].as_bool().unwrap_or(false),
        authorized_by: value["authID"].as_str().map(str::to_owned),
        auth_expiration: value["authExpiration"].as_str().map(str::to_owned),
    }
}

pub(crate) fn rotation(value: &Value) -> Option<RotationPolicyInfo> {
    Some(RotationPolicyInfo {
        enabled: value["enabled"].as_bool().unwrap_or(true),
        interval_month: value["interval_month"].as_i64()?,
    })
}

pub(crate) fn version_info(version: KpKeyVersion) -> KeyVersionInfo {
    KeyVersionInfo {
        id: version.id,
        created_at: version.creation_date.unwrap_or_default(),
        wraps: version.wraps,
        unwraps: version.unwraps,
        last_used_at: version.last_used_date,
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
