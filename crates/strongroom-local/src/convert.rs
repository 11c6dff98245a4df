//! Wire ⇄ domain conversions and the one mapping from domain errors to error codes.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use strongroom_api::{
    ActionRoles, ApiError, CallerGrant, CallerInfo, DeletionWindow, DualAuthDelete, ErrorCode,
    KeyInfo, KeyStateName, KeyType, KeyVersionInfo, KeyVersionRef, RotationPolicyInfo,
};
use strongroom_core::{
    Caller, CallerKind, CoreError, Key, KeyAction, KeyKind, KeyState, KeyVersion, KeyVersionId,
    Operation, Role, Scope,
};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use zeroize::Zeroizing;

/// Every domain error gets exactly one code. Storage failures are logged here and reach the
/// caller only as a generic sentence.
pub(crate) fn api_error(err: CoreError) -> ApiError {
    let code = match &err {
        CoreError::KeyNotFound(_) => ErrorCode::NotFound,
        // Key Protect answers a second delete with 410 Gone, any other refused state with 409.
        CoreError::InvalidState {
            state: KeyState::Destroyed,
            action: KeyAction::Delete,
            ..
        } => ErrorCode::KeyDeleted,
        CoreError::InvalidState { .. } => ErrorCode::InvalidState,
        CoreError::NotARootKey(_, KeyAction::Register | KeyAction::Unregister) => {
            ErrorCode::RegistrationNeedsRootKey
        }
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
        CoreError::CreateImportAccess(_) => ErrorCode::CreateImportAccess,
        CoreError::PolicyNeedsRootKey(_) => ErrorCode::NotARootKey,
        CoreError::AliasNotFound(_) | CoreError::KeyRingNotFound(_) => ErrorCode::NotFound,
        CoreError::AliasTaken(_) => ErrorCode::AliasTaken,
        CoreError::KeyRingExists(_) => ErrorCode::Conflict,
        CoreError::KeyRingInUse(_) => ErrorCode::KeyRingInUse,
        CoreError::ServiceOnly(_) => ErrorCode::ServiceOnly,
        CoreError::DeletionPrevented(_) => ErrorCode::DeletionPrevented,
        CoreError::RegistrationNotFound { .. } => ErrorCode::NotFound,
        CoreError::RegistrationExists { .. } => ErrorCode::Conflict,
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
        deletion_window: key
            .restorable_until()
            .zip(key.purgeable_from())
            .map(|(until, from)| DeletionWindow {
                restorable_until: rfc3339(until),
                restore_allowed: now <= until,
                purgeable_from: rfc3339(from),
                purge_allowed: now >= from,
            }),
    }
}

pub(crate) fn version_info(version: &KeyVersion) -> KeyVersionInfo {
    KeyVersionInfo {
        id: version.id.to_string(),
        created_at: rfc3339(version.created_at),
        wraps: None,
        unwraps: None,
        last_used_at: None,
    }
}

/// A version in a key's history, with its use counts; a version never used counts zero (the
/// embedded store counts every use since schema 5).
pub(crate) fn counted_version_info(
    version: &KeyVersion,
    uses: Option<&strongroom_store::VersionUseRecord>,
) -> KeyVersionInfo {
    KeyVersionInfo {
        wraps: Some(uses.map_or(0, |u| u.wraps)),
        unwraps: Some(uses.map_or(0, |u| u.unwraps)),
        last_used_at: uses.map(|u| rfc3339(u.last_used_at)),
        ..version_info(version)
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

/// The caller and the role table as the console reads them.
pub(crate) fn caller_info(caller: &Caller) -> CallerInfo {
    let actions = |roles: &[Role]| {
        Operation::ALL
            .into_iter()
            .filter(|operation| roles.iter().any(|role| role.grants(*operation)))
            .map(|operation| operation.event().to_owned())
            .collect()
    };
    let grants = caller
        .grants
        .iter()
        .map(|grant| {
            let (key_ring, key_id) = match &grant.scope {
                Scope::Instance => (None, None),
                Scope::KeyRing(ring) => (Some(ring.to_string()), None),
                Scope::Key(key) => (None, Some(key.to_string())),
            };
            CallerGrant {
                roles: grant.roles.iter().map(|r| r.name().to_owned()).collect(),
                key_ring,
                key_id,
                actions: actions(&grant.roles),
            }
        })
        .collect();
    let action_roles = Operation::ALL
        .into_iter()
        .map(|operation| ActionRoles {
            action: operation.event().to_owned(),
            roles: Role::ALL
                .into_iter()
                .filter(|role| role.grants(operation))
                .map(|role| role.name().to_owned())
                .collect(),
        })
        .collect();
    CallerInfo {
        iam_id: caller.iam_id.clone(),
        service: match &caller.kind {
            CallerKind::Service { service, .. } => Some(service.clone()),
            CallerKind::User => None,
        },
        grants,
        action_roles,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use strongroom_core::Grant;

    /// Writes `callers.ts` beside the ts-rs bindings: the desktop's caller exactly as the
    /// embedded keystore reports it, so the UI's tests use the real role table, not a copy.
    #[test]
    fn export_desktop_caller_to_typescript() {
        let Some(dir) = std::env::var_os("TS_RS_EXPORT_DIR") else {
            return;
        };
        let caller =
            serde_json::to_string_pretty(&caller_info(&crate::keystore::desktop_caller())).unwrap();
        let text = format!(
            "// Generated from strongroom-local's caller_info by `cargo test -p strongroom-local --lib`. Do not edit.\n\
             import type {{ CallerInfo }} from \"./CallerInfo\";\n\n\
             /** The person at the desktop: Manager and KeyPurge on the whole instance. */\n\
             export const DESKTOP_CALLER: CallerInfo = {caller};\n"
        );
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(dir);
        std::fs::write(dir.join("callers.ts"), text).unwrap();
    }

    #[test]
    fn a_ring_reader_may_wrap_there_and_the_table_names_who_may_purge() {
        let caller = Caller {
            iam_id: "ServiceId-cos".into(),
            kind: CallerKind::Service {
                service: "cloud-object-storage".into(),
                instance: "cos-1".into(),
            },
            grants: vec![Grant {
                roles: vec![Role::Reader],
                scope: Scope::KeyRing(strongroom_core::KeyRingId::parse("payments").unwrap()),
            }],
        };
        let info = caller_info(&caller);
        assert_eq!(info.service.as_deref(), Some("cloud-object-storage"));
        assert_eq!(info.grants[0].key_ring.as_deref(), Some("payments"));
        assert!(info.grants[0]
            .actions
            .contains(&"kms.secrets.wrap".to_owned()));
        assert!(!info.grants[0]
            .actions
            .contains(&"kms.secrets.rotate".to_owned()));
        let purge = info
            .action_roles
            .iter()
            .find(|row| row.action == "kms.secrets.purge")
            .unwrap();
        assert_eq!(purge.roles, ["KeyPurge"]);
    }
}
