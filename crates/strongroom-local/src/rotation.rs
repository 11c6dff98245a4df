//! Rotation policies carried out. Key Protect rotates a generated root key on its own once its
//! policy's interval (whole months of 30 days) has passed since the key's last rotation or
//! creation; so do `serve` and the desktop over the embedded store, at once and then every
//! [`crate::CHECK_EVERY`] (`schedule.rs`). Without this a policy was only a label and a
//! `rotationDue` filter: the key was never rotated.

use strongroom_api::ApiError;
use strongroom_core::{
    AuditEvent, Change, CoreError, KeyId, KeyMaterial, KeyRepository, KeyState, Operation, Outcome,
};
use strongroom_store::InstanceStore;
use time::OffsetDateTime;

use crate::convert::api_error;
use crate::LocalInstances;

/// The initiator of a rotation in the audit trail: no person or service asked for it.
pub const ROTATION_POLICY_IAM_ID: &str = "strongroom-rotation-policy";

/// Due keys are collected a page at a time before any is rotated (two in tests, so the test of
/// three due keys crosses a page).
const PAGE: u32 = if cfg!(test) { 2 } else { 1_000 };

/// What one check did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RotationRun {
    /// The keys rotated, with their instance.
    pub rotated: Vec<(String, KeyId)>,
    /// Due keys that could not be rotated, and instances that could not be read (each logged
    /// with its reason).
    pub failed: usize,
}

impl LocalInstances {
    /// Rotates every generated, active, unexpired root key whose rotation policy says it is
    /// due, in every instance. Blocking (SQLite); each key in its own transaction, re-checked
    /// there, so a key rotated meanwhile (by a person, or by another process on the same store)
    /// is left alone. Imported keys are never due here: their new material has to come from
    /// whoever imported them, as in Key Protect. Nor are expired keys: a new version would be
    /// expired too. An instance that cannot be read is logged and the others still checked.
    pub fn rotate_due_keys(&self) -> Result<RotationRun, ApiError> {
        let mut run = RotationRun::default();
        let instances = self
            .store()
            .instances()
            .map_err(|err| api_error(err.into()))?;
        for instance in instances {
            let found = self
                .store()
                .instance(&instance.id)
                .map_err(CoreError::from)
                .and_then(|repo| Ok((due_keys(&repo, self.now())?, repo)));
            let (due, repo) = match found {
                Ok(found) => found,
                Err(err) => {
                    tracing::warn!(instance = %instance.id, error = %err,
                        "could not look for keys due for rotation");
                    run.failed += 1;
                    continue;
                }
            };
            for id in due {
                match rotate(&repo, id, self.now()) {
                    Ok(Some(version)) => {
                        tracing::info!(instance = %instance.id, key_id = %id, version = %version,
                            "rotated a key its rotation policy made due");
                        run.rotated.push((instance.id.clone(), id));
                    }
                    Ok(None) => {}
                    Err(err) => {
                        tracing::warn!(instance = %instance.id, key_id = %id, error = %err,
                            "could not rotate a key its rotation policy made due");
                        run.failed += 1;
                    }
                }
            }
        }
        Ok(run)
    }
}

/// Every key due at `now`, collected before any is rotated (keyset pages by id, so a key
/// rotated or added meanwhile moves no other key between pages).
fn due_keys(repo: &InstanceStore, now: OffsetDateTime) -> Result<Vec<KeyId>, CoreError> {
    let mut due: Vec<KeyId> = Vec::new();
    loop {
        let page = repo.keys_due_for_rotation(now, due.last().copied(), PAGE)?;
        let full = page.len() == PAGE as usize;
        due.extend(page);
        if !full {
            return Ok(due);
        }
    }
}

/// Rotates `id` if it is still due at `now`; `None` if it no longer is (or is gone).
fn rotate(
    repo: &InstanceStore,
    id: KeyId,
    now: OffsetDateTime,
) -> Result<Option<strongroom_core::KeyVersionId>, CoreError> {
    let mut material = Some(KeyMaterial::generate()?);
    let mut still_due = true;
    let event = AuditEvent {
        at: now,
        instance: repo.id().to_owned(),
        initiator: ROTATION_POLICY_IAM_ID.to_owned(),
        action: Operation::Rotate.event().to_owned(),
        target: id.to_string(),
        outcome: Outcome::Success,
        correlation_id: uuid::Uuid::new_v4().to_string(),
        key_version: String::new(),
        source: String::new(),
    };
    let rotated = repo.update(
        id,
        &mut |key| {
            if !key.rotation_due(now) || key.imported || key.state_at(now) != KeyState::Active {
                still_due = false;
                return Err(CoreError::Conflict(id));
            }
            let version = key.rotate(now, false)?;
            let material = material.take().ok_or(CoreError::Conflict(id))?;
            Ok(Change::NewVersion(version, material))
        },
        &event,
    );
    match rotated {
        Ok(key) => Ok(Some(key.current_version.id)),
        Err(_) if !still_due => Ok(None),
        // Purged between the listing and here.
        Err(CoreError::KeyNotFound(_)) => Ok(None),
        Err(err) => Err(err),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use strongroom_api::{
        AuditQueryRequest, CreateKeyRequest, KeyType, Keystore, RotationPolicyInfo, SecretString,
        UnwrapRequest, WrapRequest,
    };
    use strongroom_core::FixedClock;
    use strongroom_store::{MasterKeySource, SqliteStore};
    use time::macros::datetime;

    use super::*;
    use crate::LocalKeystore;

    fn key(name: &str, months: Option<i64>) -> CreateKeyRequest {
        CreateKeyRequest {
            name: name.into(),
            description: None,
            key_type: KeyType::Root,
            expires_at: None,
            payload: None,
            secure_import: Default::default(),
            key_ring: None,
            aliases: Vec::new(),
            dual_auth_delete: None,
            rotation: months.map(|interval_month| RotationPolicyInfo {
                enabled: true,
                interval_month,
            }),
        }
    }

    fn rotated(run: &RotationRun) -> Vec<String> {
        run.rotated.iter().map(|(_, id)| id.to_string()).collect()
    }

    async fn versions(keystore: &LocalKeystore, id: &str) -> usize {
        keystore.key_versions(id).await.unwrap().len()
    }

    /// A key is rotated once its policy's interval has passed since its creation, and again an
    /// interval after that rotation; keys without a policy, imported, expired and disabled keys
    /// are left alone, and a disabled key is rotated once enabled.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn keys_are_rotated_when_their_policy_makes_them_due() {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let clock = Arc::new(FixedClock::new(datetime!(2026-01-01 00:00 UTC)));
        let keystore = LocalKeystore::administrator(Arc::clone(&store), clock.clone()).unwrap();
        let instances = LocalInstances::new(store, clock.clone());
        let check = || {
            let instances = instances.clone();
            async move {
                tokio::task::spawn_blocking(move || instances.rotate_due_keys())
                    .await
                    .unwrap()
                    .unwrap()
            }
        };

        let monthly = keystore.create_key(key("monthly", Some(1))).await.unwrap();
        let quarterly = keystore
            .create_key(key("quarterly", Some(3)))
            .await
            .unwrap();
        let without = keystore.create_key(key("without", None)).await.unwrap();
        let imported = keystore
            .create_key(CreateKeyRequest {
                payload: Some(SecretString::new(STANDARD.encode([5u8; 32]))),
                ..key("imported", Some(1))
            })
            .await
            .unwrap();
        let expiring = keystore
            .create_key(CreateKeyRequest {
                expires_at: Some("2026-01-20T00:00:00Z".into()),
                ..key("expiring", Some(1))
            })
            .await
            .unwrap();
        let disabled = keystore.create_key(key("disabled", Some(1))).await.unwrap();
        keystore.disable_key(&disabled.id).await.unwrap();
        let wrapped = keystore
            .wrap(WrapRequest {
                key_id: monthly.id.clone(),
                plaintext: Some(SecretString::new(STANDARD.encode([1u8; 32]))),
                aad: Vec::new(),
            })
            .await
            .unwrap();

        assert_eq!(check().await, RotationRun::default(), "nothing is due yet");
        clock.advance(time::Duration::days(29));
        assert_eq!(
            check().await,
            RotationRun::default(),
            "29 days is not a month"
        );

        clock.advance(time::Duration::days(1));
        assert_eq!(rotated(&check().await), [monthly.id.as_str()]);
        assert_eq!(versions(&keystore, &monthly.id).await, 2);
        for other in [
            &quarterly.id,
            &without.id,
            &imported.id,
            &expiring.id,
            &disabled.id,
        ] {
            assert_eq!(versions(&keystore, other).await, 1, "{other} left alone");
        }
        assert_eq!(
            check().await,
            RotationRun::default(),
            "rotated once, not again"
        );

        // Ciphertexts wrapped before still unwrap; new ones are made by the new version.
        let unwrapped = keystore
            .unwrap(UnwrapRequest {
                key_id: monthly.id.clone(),
                ciphertext: wrapped.ciphertext,
                aad: Vec::new(),
            })
            .await
            .unwrap();
        assert_eq!(unwrapped.plaintext.expose(), STANDARD.encode([1u8; 32]));
        let current = keystore.key(&monthly.id).await.unwrap().key_version.id;

        // The trail says the policy did it.
        let trail = keystore
            .audit_events(AuditQueryRequest {
                action: Some("kms.secrets.rotate".into()),
                target: Some(monthly.id.clone()),
                ..AuditQueryRequest::default()
            })
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "{trail:?}");
        assert_eq!(trail[0].initiator, ROTATION_POLICY_IAM_ID);

        // Enabled again, the disabled key is overdue and rotated at the next check.
        keystore.enable_key(&disabled.id).await.unwrap();
        assert_eq!(rotated(&check().await), [disabled.id.as_str()]);

        // An interval after its last rotation the monthly key is due again; at 90 days the
        // quarterly key is due for the first time.
        clock.advance(time::Duration::days(60));
        let mut run = rotated(&check().await);
        run.sort();
        let mut expected = vec![
            monthly.id.clone(),
            quarterly.id.clone(),
            disabled.id.clone(),
        ];
        expected.sort();
        assert_eq!(run, expected);
        assert_ne!(
            keystore.key(&monthly.id).await.unwrap().key_version.id,
            current
        );
        assert_eq!(versions(&keystore, &imported.id).await, 1);
        assert_eq!(versions(&keystore, &without.id).await, 1);
    }

    /// Two processes on one store (the desktop and `serve`) look at the same moment: the key
    /// is rotated once, and the trail has one rotation.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_processes_on_one_store_rotate_a_due_key_once() {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let open = || Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let clock = Arc::new(FixedClock::new(datetime!(2026-01-01 00:00 UTC)));
        let keystore = LocalKeystore::administrator(open(), clock.clone()).unwrap();
        let due = keystore.create_key(key("due", Some(1))).await.unwrap();
        clock.advance(time::Duration::days(31));

        let runs: Vec<_> = (0..2)
            .map(|_| {
                let instances = LocalInstances::new(open(), clock.clone());
                std::thread::spawn(move || instances.rotate_due_keys().unwrap())
            })
            .collect();
        let rotated: usize = runs
            .into_iter()
            .map(|run| run.join().unwrap().rotated.len())
            .sum();
        assert_eq!(rotated, 1);
        assert_eq!(versions(&keystore, &due.id).await, 2);
        let trail = keystore
            .audit_events(AuditQueryRequest {
                action: Some("kms.secrets.rotate".into()),
                ..AuditQueryRequest::default()
            })
            .await
            .unwrap();
        assert_eq!(trail.len(), 1, "{trail:?}");
    }
}
