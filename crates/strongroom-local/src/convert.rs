//! Wire ⇄ domain conversions and the one mapping from domain errors to error codes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use strongroom_api::{
    ApiError, DualAuthDelete, ErrorCode, KeyInfo, KeyStateName, KeyType, KeyVersionInfo,
    KeyVersionRef, RotationPolicyInfo,
};
use strongroom_core::{CoreError, Key, KeyKind, KeyState, KeyVersion, KeyVersionId};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// Every domain error gets exactly one code. Storage failures are logged here and reach the
/// caller only as a generic sentence.
pub(crate) fn api_error(err: CoreError) -> ApiError {
    let code = match &err {
        CoreError::KeyNotFound(_) => ErrorCode::NotFound,
        CoreError::InvalidState { .. } => ErrorCode::InvalidState,
        CoreError::NotARootKey(..) => ErrorCode::NotARootKey,
        CoreError::Invalid(_) => ErrorCode::InvalidInput,
        CoreError::MalformedCiphertext(_)
        | CoreError::WrongKey { .. }
        | CoreError::Undecryptable => ErrorCode::Undecryptable,
        CoreError::RotationTooSoon(_) => ErrorCode::RotationTooSoon,
        CoreError::PayloadRequired(_) => ErrorCode::PayloadRequired,
        CoreError::RestoreExpired(_) => ErrorCode::RestoreExpired,
        CoreError::Conflict(_) => ErrorCode::Conflict,
        CoreError::ImportTokenExpired | CoreError::NoImportToken => ErrorCode::ImportTokenExpired,
        CoreError::IncorrectNonce(_) => ErrorCode::IncorrectNonce,
        CoreError::Forbidden { .. } | CoreError::ServiceCannotDelete => ErrorCode::Forbidden,
        CoreError::NotDualAuth(_) => ErrorCode::NotDualAuth,
        CoreError::AuthorizationsNotMet(_) => ErrorCode::AuthorizationsNotMet,
        CoreError::PurgeTooEarly(_) => ErrorCode::PurgeTooEarly,
        CoreError::PolicyNeedsRootKey(_) => ErrorCode::NotARootKey,
        CoreError::AliasNotFound(_) | CoreError::KeyRingNotFound(_) => ErrorCode::NotFound,
        CoreError::AliasTaken(_) => ErrorCode::AliasTaken,
        CoreError::KeyRingExists(_) => ErrorCode::Conflict,
        CoreError::KeyRingInUse(_) => ErrorCode::KeyRingInUse,
        CoreError::Randomness | CoreError::Storage(_) => {
            tracing::error!(error = %err, "keystore failure");
            return ApiError::internal();
        }
        _ => {
            tracing::error!(error = %err, "unclassified keystore failure");
            return ApiError::internal();
        }
    };
    ApiError::new(code, err.to_string())
}

pub(crate) fn key_info(key: &Key, now: OffsetDateTime) -> KeyInfo {
    KeyInfo {
        id: key.id.to_string(),
        name: key.name.as_str().to_owned(),
        description: key.description.as_ref().map(|d| d.as_str().to_owned()),
        key_type: match key.kind {
            KeyKind::Root => KeyType::Root,
            KeyKind::Standard => KeyType::Standard,
        },
        state: state_name(key.state_at(now)),
        imported: key.imported,
        created_at: rfc3339(key.created_at),
        updated_at: rfc3339(key.updated_at),
        last_rotated_at: key.rotated_at.map(rfc3339),
        deleted_at: key.deleted_at.map(rfc3339),
        expires_at: key.expiry.map(|e| rfc3339(e.at())),
        key_version: version_info(&key.current_version),
        key_ring: key.key_ring.to_string(),
        aliases: key.aliases.iter().map(|a| a.as_str().to_owned()).collect(),
        created_by: key.created_by.clone(),
        deleted_by: key.deleted_by.clone(),
        dual_auth_delete: DualAuthDelete {
            enabled: key.dual_auth_delete,
            key_set_for_deletion: key
                .deletion_authorization
                .as_ref()
                .is_some_and(|a| a.expires_at > now),
            authorized_by: key.deletion_authorization.as_ref().map(|a| a.by.clone()),
            auth_expiration: key
                .deletion_authorization
                .as_ref()
                .map(|a| rfc3339(a.expires_at)),
        },
        rotation: key.rotation.map(|r| RotationPolicyInfo {
            enabled: r.enabled,
            interval_month: i64::from(r.interval_months),
        }),
        rotation_due: key.rotation_due(now),
    }
}

pub(crate) fn version_info(version: &KeyVersion) -> KeyVersionInfo {
    KeyVersionInfo {
        id: version.id.to_string(),
        created_at: rfc3339(version.created_at),
    }
}

pub(crate) fn version_ref(id: KeyVersionId) -> KeyVersionRef {
    KeyVersionRef { id: id.to_string() }
}

pub(crate) fn state_name(state: KeyState) -> KeyStateName {
    match state {
        KeyState::Active => KeyStateName::Active,
        KeyState::Suspended => KeyStateName::Suspended,
        KeyState::Deactivated => KeyStateName::Deactivated,
        KeyState::Destroyed => KeyStateName::Destroyed,
    }
}

pub(crate) fn key_state(name: KeyStateName) -> KeyState {
    match name {
        KeyStateName::Active => KeyState::Active,
        KeyStateName::Suspended => KeyState::Suspended,
        KeyStateName::Deactivated => KeyState::Deactivated,
        KeyStateName::Destroyed => KeyState::Destroyed,
    }
}

pub(crate) fn rfc3339(at: OffsetDateTime) -> String {
    // Formatting a UTC timestamp in RFC 3339 fails only for years outside 0..=9999.
    at.format(&Rfc3339).unwrap_or_else(|_| at.to_string())
}

pub(crate) fn parse_time(field: &str, text: &str) -> Result<OffsetDateTime, ApiError> {
    OffsetDateTime::parse(text, &Rfc3339).map_err(|_| {
        ApiError::invalid(format!(
            "{field} must be an RFC 3339 date and time, such as 2030-01-31T12:00:00Z"
        ))
    })
}

/// Decodes base64 secret input into zeroizing memory; the error never echoes the input.
pub(crate) fn decode_secret(field: &str, text: &str) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    STANDARD
        .decode(text.trim())
        .map(Zeroizing::new)
        .map_err(|_| ApiError::invalid(format!("{field} must be base64")))
}

pub(crate) fn decode(field: &str, text: &str) -> Result<Vec<u8>, ApiError> {
    STANDARD
        .decode(text.trim())
        .map_err(|_| ApiError::invalid(format!("{field} must be base64")))
}

pub(crate) fn encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}
