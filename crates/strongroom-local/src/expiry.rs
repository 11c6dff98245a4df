//! Expiry written down. A key past its expiration date is deactivated from that moment
//! (`Key::state_at`), but its row keeps the state last written, so listings by state judge
//! the date for such keys, which is slow in a large instance. `serve` and the desktop
//! therefore store the deactivated state of each expired key within a minute
//! ([`crate::EXPIRY_CHECK_EVERY`]), with an audit event, as Key Protect moves an expired key
//! to state 3 (within an hour, in its case).

use strongroom_api::ApiError;
use strongroom_core::{AuditEvent, CoreError, Key, KeyId, Outcome};

use crate::convert::api_error;
use crate::LocalInstances;

/// The initiator of a recorded expiry in the audit trail: no person or service asked for it.
pub const EXPIRY_IAM_ID: &str = "strongroom-expiry";

/// The audit action of a recorded expiry.
pub const EXPIRE_EVENT: &str = "kms.secrets.expire";

/// Expiries written per transaction (two in tests, so the test of three keys crosses a page):
/// about 0.1 s of holding the store's connection each.
const PAGE: u32 = if cfg!(test) { 2 } else { 250 };

/// What one pass recorded.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ExpiryRun {
    /// The keys now stored as deactivated, with their instance.
    pub recorded: Vec<(String, KeyId)>,
    /// Instances that could not be read or written (each logged with its reason).
    pub failed: usize,
}

impl LocalInstances {
    /// Stores the deactivated state of every active or suspended key whose expiration date has
    /// passed, in every instance, a page of keys per transaction. Blocking (SQLite). A key
    /// changed meanwhile (deleted, or recorded by another process on the same store) is read
    /// again inside the transaction and left alone if there is nothing to record.
    pub fn record_expiries(&self) -> Result<ExpiryRun, ApiError> {
        let mut run = ExpiryRun::default();
        let instances = self
            .store()
            .instances()
            .map_err(|err| api_error(err.into()))?;
        for instance in instances {
            let recorded = self
                .store()
                .instance(&instance.id)
                .map_err(CoreError::from)
                .and_then(|repo| {
                    let mut recorded = Vec::new();
                    // Asked every minute: one probe of the index, and no write transaction,
                    // unless a key has expired.
                    if !repo.has_unrecorded_expiries(self.now())? {
                        return Ok(recorded);
                    }
                    loop {
                        let now = self.now();
                        let page =
                            repo.record_expiries(now, PAGE, &|key| event(key, &instance.id, now))?;
                        let full = page.len() == PAGE as usize;
                        recorded.extend(page);
                        if !full {
                            return Ok(recorded);
                        }
                    }
                });
            match recorded {
                // One line per instance, not per key: a store can have thousands of keys
                // expire at once, and the trail names each of them.
                Ok(keys) if keys.is_empty() => {}
                Ok(keys) => {
                    tracing::info!(instance = %instance.id, keys = keys.len(),
                        "recorded that keys have expired");
                    run.recorded
                        .extend(keys.into_iter().map(|id| (instance.id.clone(), id)));
                }
                Err(err) => {
                    tracing::warn!(instance = %instance.id, error = %err,
                        "could not record the keys that have expired");
                    run.failed += 1;
                }
            }
        }
        Ok(run)
    }
}

fn event(key: &Key, instance: &str, now: time::OffsetDateTime) -> AuditEvent {
    AuditEvent {
        at: now,
        instance: instance.to_owned(),
        initiator: EXPIRY_IAM_ID.to_owned(),
        action: EXPIRE_EVENT.to_owned(),
        target: key.id.to_string(),
        outcome: Outcome::Success,
        correlation_id: uuid::Uuid::new_v4().to_string(),
        key_version: String::new(),
        source: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use strongroom_api::{
        AuditQueryRequest, CreateKeyRequest, KeyStateName, KeyType, Keystore, SecretString,
        UnwrapRequest, WrapRequest,
    };
    use strongroom_core::{FixedClock, KeyQuery, KeyRepository, KeyState};
    use strongroom_store::{MasterKeySource, SqliteStore};
    use time::macros::datetime;

    use super::*;
    use crate::LocalKeystore;

    fn key(name: &str, expires_at: Option<&str>) -> CreateKeyRequest {
        CreateKeyRequest {
            name: name.into(),
            description: None,
            key_type: KeyType::Root,
            expires_at: expires_at.map(Into::into),
            payload: None,
            secure_import: Default::default(),
            key_ring: None,
            aliases: Vec::new(),
            dual_auth_delete: None,
            rotation: None,
        }
    }

    /// Expired active and suspended keys are stored as deactivated, once, as of their
    /// expiration date, each with an audit event; keys not yet expired, without a date or
    /// deleted are left as they are, and ciphertexts from before still unwrap.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn expired_keys_are_recorded_as_deactivated_once() {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let clock = Arc::new(FixedClock::new(datetime!(2026-01-01 00:00 UTC)));
        let keystore = LocalKeystore::administrator(Arc::clone(&store), clock.clone()).unwrap();
        let instances = LocalInstances::new(Arc::clone(&store), clock.clone());
        let record = || {
            let instances = instances.clone();
            async move {
                tokio::task::spawn_blocking(move || instances.record_expiries())
                    .await
                    .unwrap()
                    .unwrap()
            }
        };
        let soon = Some("2026-01-10T00:00:00Z");
        let mut expiring = Vec::new();
        for name in ["soon-1", "soon-2", "soon-suspended"] {
            expiring.push(keystore.create_key(key(name, soon)).await.unwrap().id);
        }
        keystore.disable_key(&expiring[2]).await.unwrap();
        let deleted = keystore
            .create_key(key("soon-deleted", soon))
            .await
            .unwrap();
        keystore.delete_key(&deleted.id, false).await.unwrap();
        let later = keystore
            .create_key(key("later", Some("2026-06-01T00:00:00Z")))
            .await
            .unwrap();
        let never = keystore.create_key(key("never", None)).await.unwrap();
        let wrapped_by = expiring[0].clone();
        let wrapped = keystore
            .wrap(WrapRequest {
                key_id: wrapped_by.clone(),
                plaintext: Some(SecretString::new(STANDARD.encode([7u8; 32]))),
                aad: Vec::new(),
            })
            .await
            .unwrap();

        assert_eq!(record().await, ExpiryRun::default(), "nothing has expired");
        clock.advance(time::Duration::days(15));
        let mut recorded: Vec<String> = record()
            .await
            .recorded
            .iter()
            .map(|(_, id)| id.to_string())
            .collect();
        recorded.sort();
        expiring.sort();
        assert_eq!(recorded, expiring, "three keys, across two pages");
        assert_eq!(record().await, ExpiryRun::default(), "recorded once");

        // The stored state says it, without judging the date.
        let repo = store.instance(keystore.instance_id()).unwrap();
        let stored = repo
            .list(&KeyQuery {
                states: vec![KeyState::Deactivated],
                ..KeyQuery::default()
            })
            .unwrap();
        assert_eq!(stored.total, 3);
        assert_eq!(stored.keys.len(), 3);
        for id in &expiring {
            let info = keystore.key(id).await.unwrap();
            assert_eq!(info.state, KeyStateName::Deactivated);
            assert_eq!(info.updated_at, "2026-01-10T00:00:00Z", "as of its expiry");
        }
        for (id, state) in [
            (&deleted.id, KeyStateName::Destroyed),
            (&later.id, KeyStateName::Active),
            (&never.id, KeyStateName::Active),
        ] {
            assert_eq!(keystore.key(id).await.unwrap().state, state, "{id}");
        }

        let trail = keystore
            .audit_events(AuditQueryRequest {
                action: Some(EXPIRE_EVENT.into()),
                ..AuditQueryRequest::default()
            })
            .await
            .unwrap();
        assert_eq!(trail.len(), 3, "{trail:?}");
        assert!(trail.iter().all(|event| event.initiator == EXPIRY_IAM_ID));

        let unwrapped = keystore
            .unwrap(UnwrapRequest {
                key_id: wrapped_by,
                ciphertext: wrapped.ciphertext,
                aad: Vec::new(),
            })
            .await
            .unwrap();
        assert_eq!(unwrapped.plaintext.expose(), STANDARD.encode([7u8; 32]));
    }
}
