//! One KMS instance's view of the store. Every statement is filtered by the instance id, so a
//! key of another instance behaves exactly like a key that does not exist.

use std::sync::Arc;

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use strongroom_core::{
    Alias, AuditEvent, Change, CoreError, DeletionAuthorization, Description, Expiry, Key, KeyId,
    KeyKind, KeyMaterial, KeyName, KeyOrder, KeyPage, KeyQuery, KeyRepository, KeyRingId,
    KeySearch, KeySort, KeyState, KeyVersion, KeyVersionId, RotationPolicy, MAX_KEY_RINGS,
    MAX_PAGE_SIZE,
};
use time::OffsetDateTime;

use crate::{SqliteStore, StoreError};

/// A KMS instance: its id, display name and creation time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstanceRecord {
    /// The GUID clients send in `Bluemix-Instance`.
    pub id: String,
    /// A name for people.
    pub name: String,
    /// When it was created.
    pub created_at: OffsetDateTime,
}

/// A key ring of an instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRingRecord {
    /// The ring id.
    pub id: KeyRingId,
    /// When it was created.
    pub created_at: OffsetDateTime,
    /// Who created it.
    pub created_by: String,
}

/// An alias and the key it names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasRecord {
    /// The alias.
    pub alias: Alias,
    /// The key it resolves to.
    pub key_id: KeyId,
    /// That key's name.
    pub key_name: String,
    /// That key's state.
    pub key_state: KeyState,
    /// When the alias was added.
    pub created_at: OffsetDateTime,
    /// Who added it.
    pub created_by: String,
}

/// An instance policy as stored: Key Protect's `policy_type`, whether it is on, and its
/// attributes as JSON text (kept verbatim; only `dualAuthDelete` and `rotation` act here).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InstancePolicyRecord {
    /// `dualAuthDelete`, `rotation`, `allowedNetwork`, ...
    pub policy_type: String,
    /// On or off.
    pub enabled: bool,
    /// `policy_data.attributes`, JSON.
    pub attributes: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Creator.
    pub created_by: String,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Last changer.
    pub updated_by: String,
}

/// A source resource seen using a key, or registered with it by its service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistrationRecord {
    /// The key.
    pub key_id: KeyId,
    /// The key's name.
    pub key_name: String,
    /// The key's ring now (which an authorization's scope may name).
    pub key_ring: KeyRingId,
    /// The source resource.
    pub resource_crn: String,
    /// The service identity that last used the key or wrote the registration.
    pub service: String,
    /// The service identity that first used the key or registered the resource.
    pub created_by: String,
    /// The version last used (for a registration written before any use, the newest then).
    pub key_version: KeyVersionId,
    /// First use or registration.
    pub created_at: OffsetDateTime,
    /// Last use or change.
    pub updated_at: OffsetDateTime,
    /// What the service says the resource is, for people.
    pub description: String,
    /// The resource's retention forbids deleting the key, even with `force`.
    pub prevent_key_deletion: bool,
    /// The service's own notes, shown only to services.
    pub metadata: Option<String>,
}

/// How a service writes a registration (Key Protect's POST, PUT and PATCH).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegistrationWrite {
    /// A new registration; one that exists already is a conflict.
    Create,
    /// The whole registration, created if absent; fields not given are reset.
    Replace,
    /// The fields given, on a registration that exists.
    Update,
}

/// The fields a service may set on a registration; `None` leaves a field as it is (update)
/// or at its default (create, replace).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RegistrationFields {
    /// What the resource is, for people.
    pub description: Option<String>,
    /// A retention hold on the key's deletion.
    pub prevent_key_deletion: Option<bool>,
    /// The service's own notes.
    pub metadata: Option<String>,
}

impl SqliteStore {
    /// Every instance, oldest first.
    pub fn instances(&self) -> Result<Vec<InstanceRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare("SELECT id, name, created_at FROM instances ORDER BY created_at, id")?;
        let rows = stmt.query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, i64>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, created) = row?;
            out.push(InstanceRecord {
                id,
                name,
                created_at: from_micros(created)?,
            });
        }
        Ok(out)
    }

    /// Creates an instance with its `default` key ring.
    pub fn create_instance(
        &self,
        id: &str,
        name: &str,
        now: OffsetDateTime,
        event: &AuditEvent,
    ) -> Result<InstanceRecord, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let exists = tx
            .query_row("SELECT 1 FROM instances WHERE id = ?1", [id], |_| Ok(()))
            .optional()?
            .is_some();
        if exists {
            return Err(StoreError::InstanceExists(id.to_owned()));
        }
        insert_instance(&tx, id, name, now)?;
        self.chain.append(&tx, event)?;
        tx.commit()?;
        Ok(InstanceRecord {
            id: id.to_owned(),
            name: name.to_owned(),
            created_at: now,
        })
    }

    /// The instance a fresh data directory starts with: the oldest one, or — if there is none —
    /// a new one named `preferred` (else a random GUID), which also adopts the keys a
    /// version-1 store held.
    pub fn ensure_default_instance(
        &self,
        preferred: Option<&str>,
        now: OffsetDateTime,
    ) -> Result<String, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let existing: Option<String> = tx
            .query_row(
                "SELECT id FROM instances ORDER BY created_at, id LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()?;
        if let Some(id) = existing {
            return Ok(id);
        }
        let legacy = crate::sqlite::meta(&tx, "setting:instance-id")?
            .and_then(|bytes| String::from_utf8(bytes).ok());
        let id = legacy
            .or_else(|| preferred.map(str::to_owned))
            .unwrap_or_else(|| KeyId::random().to_string());
        insert_instance(&tx, &id, "default", now)?;
        tx.execute(
            "UPDATE keys SET instance_id = ?1 WHERE instance_id = ''",
            [&id],
        )?;
        tx.commit()?;
        self.recent_keys.forget_all();
        tracing::info!(instance = %id, "created the first KMS instance");
        Ok(id)
    }

    /// The store as one instance sees it.
    pub fn instance(self: &Arc<Self>, id: &str) -> Result<InstanceStore, StoreError> {
        let generation = self.known_instances.generation();
        let exists = self
            .conn()
            .prepare_cached("SELECT 1 FROM instances WHERE id = ?1")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if !exists {
            return Err(StoreError::InstanceNotFound(id.to_owned()));
        }
        self.known_instances.remember(id.to_owned(), (), generation);
        Ok(InstanceStore {
            store: Arc::clone(self),
            instance: id.to_owned(),
        })
    }

    /// The instance, if [`SqliteStore::instance`] found it recently; never touches SQLite.
    pub fn recent_instance(self: &Arc<Self>, id: &str) -> Option<InstanceStore> {
        self.known_instances.get(id)?;
        Some(InstanceStore {
            store: Arc::clone(self),
            instance: id.to_owned(),
        })
    }
}

fn insert_instance(
    conn: &Connection,
    id: &str,
    name: &str,
    now: OffsetDateTime,
) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO instances (id, name, created_at) VALUES (?1, ?2, ?3)",
        params![id, name, micros(now)],
    )?;
    conn.execute(
        "INSERT INTO key_rings (instance_id, id, created_at, created_by) VALUES (?1, 'default', ?2, '')",
        params![id, micros(now)],
    )?;
    Ok(())
}

/// The keys, rings, policies and registrations of one instance.
#[derive(Clone)]
pub struct InstanceStore {
    store: Arc<SqliteStore>,
    instance: String,
}

impl InstanceStore {
    /// The instance's id.
    pub fn id(&self) -> &str {
        &self.instance
    }

    /// The whole store (settings, identities, the audit trail).
    pub fn store(&self) -> &Arc<SqliteStore> {
        &self.store
    }

    /// The key named by `id_or_alias` as [`KeyRepository::key`] read it less than a second
    /// ago, if nothing has changed it since; never touches SQLite (`recent.rs`). An alias
    /// counts only if the remembered key still carries it.
    pub fn recent_key(&self, id_or_alias: &str) -> Option<Arc<Key>> {
        let text = id_or_alias.trim();
        let (id, alias) = match text.parse::<KeyId>() {
            Ok(id) => (id, None),
            Err(_) => {
                let alias = (self.instance.clone(), text.to_owned());
                (self.store.recent_aliases.get(&alias)?, Some(text))
            }
        };
        let (instance, key) = self.store.recent_keys.get(&id)?;
        let named = alias.is_none_or(|alias| key.aliases.iter().any(|a| a.as_str() == alias));
        (instance == self.instance && named).then_some(key)
    }

    /// The keys a rotation policy would have rotated by `now`: generated, active and unexpired
    /// root keys whose policy makes them due, by id after `after`, at most `limit`. Ids only
    /// and no total, read through the index of keys with a policy, so the hourly look at a
    /// large store holds the connection only as long as the keys with a policy take to read.
    pub fn keys_due_for_rotation(
        &self,
        now: OffsetDateTime,
        after: Option<KeyId>,
        limit: u32,
    ) -> Result<Vec<KeyId>, CoreError> {
        let conn = self.store.conn();
        let sql = format!(
            "SELECT id FROM keys
             WHERE instance_id = ? AND rotation_enabled = 1 AND id {} ? AND state = 1
               AND imported = 0 AND (expires_at IS NULL OR expires_at > ?) AND {}
             ORDER BY id LIMIT ?",
            if after.is_some() { ">" } else { ">=" },
            rotation_due_sql()
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(StoreError::from)?;
        let after = after.map_or([0u8; 16], |id| *id.as_bytes());
        let at = micros(now);
        let mut rows = stmt
            .query(params![&self.instance, after, at, at, limit])
            .map_err(StoreError::from)?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let id: Vec<u8> = row.get(0).map_err(StoreError::from)?;
            out.push(KeyId::from_bytes(id16(&id)?));
        }
        Ok(out)
    }

    /// Whether a key of the instance has expired by `now` while stored as active or suspended:
    /// one probe of `keys_expiring`, cheap enough to ask every minute.
    pub fn has_unrecorded_expiries(&self, now: OffsetDateTime) -> Result<bool, CoreError> {
        let found = self
            .store
            .conn()
            .prepare_cached(&format!(
                "SELECT 1 FROM keys WHERE instance_id = ? AND {EXPIRED_BUT_LIVE} \
                 AND expires_at <= ? LIMIT 1"
            ))
            .map_err(StoreError::from)?
            .query_row(params![&self.instance, micros(now)], |_| Ok(()))
            .optional()
            .map_err(StoreError::from)?;
        Ok(found.is_some())
    }

    /// Writes down up to `limit` expiries that have passed by `now` ([`Key::record_expiry`]),
    /// in one transaction with the audit event `event` makes for each key; returns the keys.
    /// Found through `keys_expiring`, so a store where nothing has expired reads nothing.
    pub fn record_expiries(
        &self,
        now: OffsetDateTime,
        limit: u32,
        event: &dyn Fn(&Key) -> AuditEvent,
    ) -> Result<Vec<KeyId>, CoreError> {
        self.write(|tx| {
            let mut ids = Vec::new();
            {
                let mut stmt = tx
                    .prepare_cached(&format!(
                        "SELECT id FROM keys WHERE instance_id = ? AND {EXPIRED_BUT_LIVE} \
                         AND expires_at <= ? LIMIT ?"
                    ))
                    .map_err(StoreError::from)?;
                let mut rows = stmt
                    .query(params![&self.instance, micros(now), limit])
                    .map_err(StoreError::from)?;
                while let Some(row) = rows.next().map_err(StoreError::from)? {
                    let id: Vec<u8> = row.get(0).map_err(StoreError::from)?;
                    ids.push(KeyId::from_bytes(id16(&id)?));
                }
            }
            let mut recorded = Vec::with_capacity(ids.len());
            for id in ids {
                // The key's remembered metadata goes with the change, as in `update`; its
                // material stays, since expiry does not change it.
                self.store.forget_recent_key(id);
                let mut key = read_key(tx, &self.instance, id)?;
                if !key.record_expiry(now) {
                    continue;
                }
                let event = event(&key);
                write_key(tx, &self.instance, &key, false, &event.initiator)?;
                self.store.chain.append(tx, &event)?;
                recorded.push(id);
            }
            Ok(recorded)
        })
    }

    /// How much each version of `key` has been used (versions never used have no entry).
    pub fn version_uses(&self, key: KeyId) -> Result<Vec<crate::VersionUseRecord>, CoreError> {
        let uses = crate::audit::version_uses(&self.store.conn(), &self.instance, key)?;
        uses.into_iter()
            .map(|(version, tally)| {
                Ok(crate::VersionUseRecord {
                    version,
                    wraps: u64::try_from(tally.wraps).unwrap_or(0),
                    unwraps: u64::try_from(tally.unwraps).unwrap_or(0),
                    last_used_at: from_micros(tally.last)?,
                })
            })
            .collect()
    }

    /// A version's unsealed material if it is in memory already; never touches SQLite.
    pub fn recent_material(&self, key: KeyId, version: KeyVersionId) -> Option<Arc<KeyMaterial>> {
        self.store.materials.get(&self.instance, key, version)
    }

    fn remember_key(&self, key: &Key, generation: u64) {
        let recent = &self.store;
        let alias_generation = recent.recent_aliases.generation();
        for alias in &key.aliases {
            recent.recent_aliases.remember(
                (self.instance.clone(), alias.as_str().to_owned()),
                key.id,
                alias_generation,
            );
        }
        recent.recent_keys.remember(
            key.id,
            (self.instance.clone(), Arc::new(key.clone())),
            generation,
        );
    }

    /// A page of the instance's aliases in alias order (the primary key's order, so a page
    /// is read straight off it), optionally those starting with `prefix` (case-sensitive, as
    /// aliases are), and how many match.
    pub fn aliases(
        &self,
        prefix: Option<&str>,
        offset: u32,
        limit: u32,
    ) -> Result<(Vec<AliasRecord>, u32), CoreError> {
        let conn = self.store.conn();
        let filter = "a.instance_id = ?1 AND (?2 IS NULL OR substr(a.alias, 1, length(?2)) = ?2)";
        let total: u32 = conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM key_aliases a WHERE {filter}"
            ))
            .and_then(|mut stmt| stmt.query_row(params![&self.instance, prefix], |r| r.get(0)))
            .map_err(StoreError::from)?;
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT a.alias, a.key_id, k.name, k.state, a.created_at, a.created_by
                 FROM key_aliases a JOIN keys k ON k.id = a.key_id
                 WHERE {filter} ORDER BY a.alias LIMIT ?3 OFFSET ?4"
            ))
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map(params![&self.instance, prefix, limit, offset], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, Vec<u8>>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, u8>(3)?,
                    row.get::<_, i64>(4)?,
                    row.get::<_, String>(5)?,
                ))
            })
            .map_err(StoreError::from)?;
        let mut out = Vec::new();
        for row in rows {
            let (alias, key_id, key_name, state, created, created_by) =
                row.map_err(StoreError::from)?;
            out.push(AliasRecord {
                alias: Alias::parse(&alias)?,
                key_id: KeyId::from_bytes(id16(&key_id)?),
                key_name,
                key_state: KeyState::from_code(state)
                    .ok_or_else(|| corrupt("unknown key state"))?,
                created_at: from_micros(created)?,
                created_by,
            });
        }
        Ok((out, total))
    }

    /// The instance's key rings, `default` first.
    pub fn key_rings(&self) -> Result<Vec<KeyRingRecord>, CoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT id, created_at, created_by FROM key_rings WHERE instance_id = ?1
                 ORDER BY id != 'default', created_at, id",
            )
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map([&self.instance], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, i64>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })
            .map_err(StoreError::from)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, created, by) = row.map_err(StoreError::from)?;
            out.push(KeyRingRecord {
                id: KeyRingId::parse(&id)?,
                created_at: from_micros(created)?,
                created_by: by,
            });
        }
        Ok(out)
    }

    /// Creates a key ring (at most [`MAX_KEY_RINGS`] per instance, `default` included).
    pub fn create_key_ring(&self, ring: &KeyRingId, event: &AuditEvent) -> Result<(), CoreError> {
        self.write(|tx| {
            if ring_exists(tx, &self.instance, ring)? {
                return Err(CoreError::KeyRingExists(ring.to_string()));
            }
            let count: i64 = tx
                .query_row(
                    "SELECT count(*) FROM key_rings WHERE instance_id = ?1",
                    [&self.instance],
                    |row| row.get(0),
                )
                .map_err(StoreError::from)?;
            if count >= MAX_KEY_RINGS as i64 {
                return Err(CoreError::KeyRingInUse(format!(
                    "an instance can have at most {MAX_KEY_RINGS} key rings"
                )));
            }
            tx.execute(
                "INSERT INTO key_rings (instance_id, id, created_at, created_by) VALUES (?1, ?2, ?3, ?4)",
                params![&self.instance, ring.as_str(), micros(event.at), &event.initiator],
            )
            .map_err(StoreError::from)?;
            self.store.chain.append(tx, event)?;
            Ok(())
        })
    }

    /// Deletes a ring. Refused for `default` and while it holds keys that are not destroyed;
    /// destroyed keys need `force`, and then move to `default`.
    pub fn delete_key_ring(
        &self,
        ring: &KeyRingId,
        force: bool,
        event: &AuditEvent,
    ) -> Result<(), CoreError> {
        if ring.is_default() {
            return Err(CoreError::KeyRingInUse(
                "the default key ring cannot be deleted".into(),
            ));
        }
        self.write(|tx| {
            if !ring_exists(tx, &self.instance, ring)? {
                return Err(CoreError::KeyRingNotFound(ring.to_string()));
            }
            let (live, destroyed): (i64, i64) = tx
                .query_row(
                    "SELECT coalesce(sum(state != 5), 0), coalesce(sum(state = 5), 0)
                     FROM keys WHERE instance_id = ?1 AND key_ring = ?2",
                    params![&self.instance, ring.as_str()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .map_err(StoreError::from)?;
            if live > 0 {
                return Err(CoreError::KeyRingInUse(format!(
                    "the key ring {:?} still holds {live} key(s) that are not deleted",
                    ring.as_str()
                )));
            }
            if destroyed > 0 && !force {
                return Err(CoreError::KeyRingInUse(format!(
                    "the key ring {:?} holds deleted keys; delete it with force=true to move them to the default ring",
                    ring.as_str()
                )));
            }
            tx.execute(
                "UPDATE keys SET key_ring = 'default' WHERE instance_id = ?1 AND key_ring = ?2",
                params![&self.instance, ring.as_str()],
            )
            .map_err(StoreError::from)?;
            // Their ring, and so who may use them, changed.
            self.store.recent_keys.forget_all();
            tx.execute(
                "DELETE FROM key_rings WHERE instance_id = ?1 AND id = ?2",
                params![&self.instance, ring.as_str()],
            )
            .map_err(StoreError::from)?;
            self.store.chain.append(tx, event)?;
            Ok(())
        })
    }

    /// The instance's policies.
    pub fn instance_policies(&self) -> Result<Vec<InstancePolicyRecord>, CoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT policy_type, enabled, attributes, created_at, created_by, updated_at, updated_by
                 FROM instance_policies WHERE instance_id = ?1 ORDER BY policy_type",
            )
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map([&self.instance], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, bool>(1)?,
                    row.get::<_, Option<String>>(2)?,
                    row.get::<_, i64>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, i64>(5)?,
                    row.get::<_, String>(6)?,
                ))
            })
            .map_err(StoreError::from)?;
        let mut out = Vec::new();
        for row in rows {
            let (policy_type, enabled, attributes, created, created_by, updated, updated_by) =
                row.map_err(StoreError::from)?;
            out.push(InstancePolicyRecord {
                policy_type,
                enabled,
                attributes,
                created_at: from_micros(created)?,
                created_by,
                updated_at: from_micros(updated)?,
                updated_by,
            });
        }
        Ok(out)
    }

    /// Replaces instance policies, all in one transaction.
    pub fn set_instance_policies(
        &self,
        policies: &[(String, bool, Option<String>)],
        event: &AuditEvent,
    ) -> Result<(), CoreError> {
        self.write(|tx| {
            for (policy_type, enabled, attributes) in policies {
                tx.execute(
                    "INSERT INTO instance_policies (instance_id, policy_type, enabled, attributes,
                        created_at, created_by, updated_at, updated_by)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?5, ?6)
                     ON CONFLICT (instance_id, policy_type) DO UPDATE SET enabled = excluded.enabled,
                        attributes = excluded.attributes, updated_at = excluded.updated_at,
                        updated_by = excluded.updated_by",
                    params![
                        &self.instance,
                        policy_type,
                        enabled,
                        attributes,
                        micros(event.at),
                        &event.initiator
                    ],
                )
                .map_err(StoreError::from)?;
            }
            self.store.chain.append(tx, event)?;
            Ok(())
        })
    }

    /// Registrations of one key, or of every key of the instance (the newest 5,000).
    pub fn registrations(&self, key: Option<KeyId>) -> Result<Vec<RegistrationRecord>, CoreError> {
        self.registrations_where(key, None)
    }

    /// The registrations whose resource CRN names `service` and its `instance` (segments 4
    /// and 7), of one key or of every key: what that service instance may see. They are
    /// selected before the 5,000-row bound, so other services' registrations cannot crowd its
    /// own out. The `LIKE` may also pass a CRN that names them in other segments (or in
    /// another case); the caller checks the segments themselves.
    pub fn registrations_of(
        &self,
        key: Option<KeyId>,
        service: &str,
        instance: &str,
    ) -> Result<Vec<RegistrationRecord>, CoreError> {
        self.registrations_where(key, Some((service, instance)))
    }

    fn registrations_where(
        &self,
        key: Option<KeyId>,
        owner: Option<(&str, &str)>,
    ) -> Result<Vec<RegistrationRecord>, CoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare_cached(&format!(
                "SELECT {REGISTRATION_COLUMNS}
                 FROM registrations r JOIN keys k ON k.id = r.key_id
                 WHERE r.instance_id = ?1 AND (?2 IS NULL OR r.key_id = ?2)
                   AND (?3 IS NULL OR r.resource_crn LIKE ?3 ESCAPE '\\'
                        OR r.resource_crn LIKE ?3 || ':%' ESCAPE '\\')
                 ORDER BY r.updated_at DESC LIMIT 5000"
            ))
            .map_err(StoreError::from)?;
        let key_bytes = key.map(|k| k.as_bytes().to_vec());
        let pattern = owner.map(|(service, instance)| {
            format!(
                "crn:%:%:%:{}:%:%:{}",
                escape_like(service),
                escape_like(instance)
            )
        });
        let rows = stmt
            .query_map(
                params![&self.instance, key_bytes, pattern],
                registration_row,
            )
            .map_err(StoreError::from)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(registration_record(row.map_err(StoreError::from)?)?);
        }
        Ok(out)
    }

    /// Writes a service's registration of `crn` with `key`, and its audit event, in one
    /// transaction. `check` judges the key as it is inside that transaction, so a key deleted
    /// meanwhile takes no registration. A new registration records the key's newest
    /// version; an existing one keeps the version its last use named.
    pub fn write_registration(
        &self,
        key: KeyId,
        crn: &str,
        write: RegistrationWrite,
        fields: &RegistrationFields,
        check: &mut dyn FnMut(&Key) -> Result<(), CoreError>,
        event: &AuditEvent,
    ) -> Result<RegistrationRecord, CoreError> {
        self.write(|tx| {
            let current = read_key(tx, &self.instance, key)?;
            check(&current)?;
            let version = current.current_version.id;
            let existing = registration_in(tx, &self.instance, key, crn)?;
            let (description, prevent, metadata) = match (write, &existing) {
                (RegistrationWrite::Create, Some(_)) => {
                    return Err(CoreError::RegistrationExists {
                        key,
                        crn: crn.to_owned(),
                    })
                }
                (RegistrationWrite::Update, None) => {
                    return Err(CoreError::RegistrationNotFound {
                        key,
                        crn: crn.to_owned(),
                    })
                }
                (RegistrationWrite::Update, Some(old)) => (
                    fields
                        .description
                        .clone()
                        .unwrap_or_else(|| old.description.clone()),
                    fields
                        .prevent_key_deletion
                        .unwrap_or(old.prevent_key_deletion),
                    fields.metadata.clone().or_else(|| old.metadata.clone()),
                ),
                (RegistrationWrite::Create | RegistrationWrite::Replace, _) => (
                    fields.description.clone().unwrap_or_default(),
                    fields.prevent_key_deletion.unwrap_or(false),
                    fields.metadata.clone(),
                ),
            };
            tx.execute(
                "INSERT INTO registrations (key_id, resource_crn, instance_id, service, key_version,
                    created_at, updated_at, created_by, description, prevent_key_deletion, metadata)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?4, ?7, ?8, ?9)
                 ON CONFLICT (key_id, resource_crn) DO UPDATE SET service = excluded.service,
                    updated_at = excluded.updated_at, description = excluded.description,
                    prevent_key_deletion = excluded.prevent_key_deletion,
                    metadata = excluded.metadata",
                params![
                    key.as_bytes(),
                    crn,
                    &self.instance,
                    &event.initiator,
                    version.as_bytes(),
                    micros(event.at),
                    &description,
                    prevent,
                    &metadata
                ],
            )
            .map_err(StoreError::from)?;
            self.store.chain.append(tx, event)?;
            registration_in(tx, &self.instance, key, crn)?.ok_or_else(|| {
                CoreError::RegistrationNotFound {
                    key,
                    crn: crn.to_owned(),
                }
            })
        })
    }

    /// Removes a registration and records its audit event, in one transaction; `check`
    /// judges the key as it is inside it.
    pub fn delete_registration(
        &self,
        key: KeyId,
        crn: &str,
        check: &mut dyn FnMut(&Key) -> Result<(), CoreError>,
        event: &AuditEvent,
    ) -> Result<(), CoreError> {
        self.write(|tx| {
            check(&read_key(tx, &self.instance, key)?)?;
            let removed = tx
                .execute(
                    "DELETE FROM registrations WHERE instance_id = ?1 AND key_id = ?2 AND resource_crn = ?3",
                    params![&self.instance, key.as_bytes(), crn],
                )
                .map_err(StoreError::from)?;
            if removed == 0 {
                return Err(CoreError::RegistrationNotFound {
                    key,
                    crn: crn.to_owned(),
                });
            }
            self.store.chain.append(tx, event)?;
            Ok(())
        })
    }

    /// Whether a registration of `key` holds it for a resource's retention (all of them are
    /// asked, however many there are).
    pub fn has_deletion_hold(&self, key: KeyId) -> Result<bool, CoreError> {
        deletion_held(&self.store.conn(), &self.instance, key)
    }

    /// Erases a key for good after `check` approves it: versions (material), aliases,
    /// registrations and metadata, in one transaction. `secure_delete` overwrites the pages.
    pub fn purge(
        &self,
        id: KeyId,
        check: &mut dyn FnMut(&Key) -> Result<(), CoreError>,
        event: &AuditEvent,
    ) -> Result<Key, CoreError> {
        self.write(|tx| {
            let key = read_key(tx, &self.instance, id)?;
            check(&key)?;
            // Under the connection's lock, so no reader can cache this key's material between
            // here and the commit (see `material`).
            self.store.materials.forget(id);
            self.store.forget_recent_key(id);
            for table in [
                "key_aliases",
                "registrations",
                "key_version_use",
                // Counts kept until schema 8 (copied to `key_version_use` then); the table
                // stays for a process of the previous release, until a later migration drops it.
                "version_use",
                "key_versions",
            ] {
                tx.execute(
                    &format!("DELETE FROM {table} WHERE key_id = ?1"),
                    [id.as_bytes()],
                )
                .map_err(StoreError::from)?;
            }
            tx.execute("DELETE FROM keys WHERE id = ?1", [id.as_bytes()])
                .map_err(StoreError::from)?;
            self.store.chain.append(tx, event)?;
            Ok(key)
        })
    }

    /// Stores a key with given versions (oldest first; the key's current version last), as a
    /// seed file describes it. An existing key with the same id is left alone: seeding twice
    /// is harmless. Returns whether the key was written.
    pub fn seed_key(
        &self,
        key: &Key,
        versions: &[(KeyVersion, KeyMaterial)],
        event: &AuditEvent,
    ) -> Result<bool, CoreError> {
        self.write(|tx| {
            let exists = tx
                .query_row(
                    "SELECT 1 FROM keys WHERE id = ?1",
                    [key.id.as_bytes()],
                    |_| Ok(()),
                )
                .optional()
                .map_err(StoreError::from)?
                .is_some();
            if exists {
                return Ok(false);
            }
            write_key(tx, &self.instance, key, true, &key.created_by)?;
            for (version, material) in versions {
                self.store.insert_version(tx, key.id, version, material)?;
            }
            self.store.chain.append(tx, event)?;
            Ok(true)
        })
    }

    /// Creates many keys in one transaction, each with its first version and its own audit
    /// event. [`KeyRepository::insert`] commits (and fsyncs) once per key, which caps creation
    /// at a few hundred keys a second; seeding a large keystore (a million keys for the scale
    /// benchmark) needs one commit per batch. All or nothing: one failure (a taken alias, a
    /// missing key ring) rolls the whole batch back.
    pub fn insert_many(&self, keys: &[(Key, KeyMaterial, AuditEvent)]) -> Result<(), CoreError> {
        self.write(|tx| {
            for (key, material, event) in keys {
                write_key(tx, &self.instance, key, true, &key.created_by)?;
                self.store
                    .insert_version(tx, key.id, &key.current_version, material)?;
                self.store.chain.append(tx, event)?;
            }
            Ok(())
        })
    }

    /// Creates a key ring unless it exists (seeding).
    pub fn ensure_key_ring(&self, ring: &KeyRingId, event: &AuditEvent) -> Result<(), CoreError> {
        match self.create_key_ring(ring, event) {
            Ok(()) | Err(CoreError::KeyRingExists(_)) => Ok(()),
            Err(err) => Err(err),
        }
    }

    /// Appends one event on its own (refusals, reads); see [`crate::AuditWriter`] for the
    /// batched data-plane path.
    pub fn record(&self, event: &AuditEvent) -> Result<(), CoreError> {
        self.write(|tx| self.store.chain.append(tx, event).map_err(CoreError::from))
    }

    fn write<T>(
        &self,
        work: impl FnOnce(&Connection) -> Result<T, CoreError>,
    ) -> Result<T, CoreError> {
        let mut conn = self.store.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let out = work(&tx)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(out)
    }
}

fn ring_exists(conn: &Connection, instance: &str, ring: &KeyRingId) -> Result<bool, StoreError> {
    Ok(conn
        .query_row(
            "SELECT 1 FROM key_rings WHERE instance_id = ?1 AND id = ?2",
            params![instance, ring.as_str()],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

impl KeyRepository for InstanceStore {
    fn insert(
        &self,
        key: &Key,
        material: &KeyMaterial,
        event: &AuditEvent,
    ) -> Result<(), CoreError> {
        self.write(|tx| {
            write_key(tx, &self.instance, key, true, &key.created_by)?;
            self.store
                .insert_version(tx, key.id, &key.current_version, material)?;
            self.store.chain.append(tx, event)?;
            Ok(())
        })
    }

    fn key(&self, id: KeyId) -> Result<Key, CoreError> {
        let generation = self.store.recent_keys.generation();
        let key = read_key(&self.store.conn(), &self.instance, id)?;
        self.remember_key(&key, generation);
        Ok(key)
    }

    fn resolve(&self, id_or_alias: &str) -> Result<KeyId, CoreError> {
        let text = id_or_alias.trim();
        if let Ok(id) = text.parse::<KeyId>() {
            return Ok(id);
        }
        let alias = Alias::parse(text).map_err(|_| {
            CoreError::Invalid(format!("{text:?} is neither a key id nor an alias"))
        })?;
        let found: Option<Vec<u8>> = self
            .store
            .conn()
            .prepare_cached("SELECT key_id FROM key_aliases WHERE instance_id = ?1 AND alias = ?2")
            .map_err(StoreError::from)?
            .query_row(params![&self.instance, alias.as_str()], |row| row.get(0))
            .optional()
            .map_err(StoreError::from)?;
        match found {
            Some(bytes) => Ok(KeyId::from_bytes(id16(&bytes)?)),
            None => Err(CoreError::AliasNotFound(alias.as_str().to_owned())),
        }
    }

    fn list(&self, query: &KeyQuery) -> Result<KeyPage, CoreError> {
        let mut guard = self.store.conn();
        // One snapshot for the expired keys, the total and the page: another process on the
        // store may record expiries or change keys between them.
        let conn = guard.transaction().map_err(StoreError::from)?;
        // The columns `key_counts` has besides the state: the instance, the rings, the kind.
        let mut scope = String::from("instance_id = ?");
        let mut args: Vec<rusqlite::types::Value> =
            vec![rusqlite::types::Value::Text(self.instance.clone())];
        if let Some(rings) = &query.key_rings {
            if rings.is_empty() {
                return Ok(KeyPage {
                    keys: Vec::new(),
                    total: 0,
                });
            }
            let placeholders = vec!["?"; rings.len()].join(", ");
            scope.push_str(&format!(" AND key_ring IN ({placeholders})"));
            args.extend(
                rings
                    .iter()
                    .map(|r| rusqlite::types::Value::Text(r.as_str().to_owned())),
            );
        }
        if let Some(kind) = query.kind {
            scope.push_str(" AND kind = ?");
            args.push(rusqlite::types::Value::Text(kind_name(kind).to_owned()));
        }
        let scope_args = args.clone();

        let states = StateFilter::new(&query.states, query.states_at);
        // Expiry is judged only where a key in scope has expired while stored as live: the
        // judged filter is an OR that SQLite walks in creation order through the whole
        // instance, which costs a million-key store most of a second when nothing matches.
        let (expired_keys, correction) = match states.expired_in_scope() {
            Some((sql, at)) => conn
                .query_row(
                    &format!("{sql} AND {scope}"),
                    rusqlite::params_from_iter(std::iter::once(&at).chain(scope_args.iter())),
                    |row| Ok((row.get::<_, i64>(0)?, row.get::<_, i64>(1)?)),
                )
                .map_err(StoreError::from)?,
            None => (0, 0),
        };
        let mut filter = format!("{scope} AND {}", states.stored);
        if let Some((judged, at)) = states.judged().filter(|_| expired_keys > 0) {
            filter = format!("{scope} AND {judged}");
            args.extend(std::iter::repeat_n(at, judged.matches('?').count()));
        }

        if let Some(imported) = query.imported {
            filter.push_str(" AND imported = ?");
            args.push(rusqlite::types::Value::Integer(i64::from(imported)));
        }
        if let Some(dual_auth) = query.dual_auth_delete {
            filter.push_str(" AND dual_auth_delete = ?");
            args.push(rusqlite::types::Value::Integer(i64::from(dual_auth)));
        }
        if let Some(rotation) = query.rotation_due {
            // `Key::rotation_due` in SQL: an enabled policy on a root key whose last rotation
            // (or creation) is at least 30 days per month of its interval before `at`. Never
            // NULL, so `NOT` selects exactly the other keys.
            let negate = if rotation.due { "" } else { "NOT " };
            filter.push_str(&format!(" AND {negate}({})", rotation_due_sql()));
            args.push(rusqlite::types::Value::Integer(micros(rotation.at)));
        }
        let search = query.search.as_deref().and_then(KeySearch::parse);
        // `key_counts` (below) has columns for state, ring and kind only: any other filter
        // counts the matching rows themselves.
        let count_rows = search.is_some()
            || query.imported.is_some()
            || query.dual_auth_delete.is_some()
            || query.rotation_due.is_some();
        if let Some(search) = search {
            let (compare, pattern) = if search.exact {
                ("= ?", search.text.clone())
            } else {
                (
                    "LIKE ? ESCAPE '\\'",
                    format!("%{}%", escape_like(&search.text)),
                )
            };
            let mut matches = Vec::new();
            // An unscoped key id means that key: looked up by primary key, not by scanning
            // every name for the id's text.
            let id = search
                .ids
                .then(|| search.text.parse::<KeyId>().ok())
                .flatten();
            if let Some(id) = id {
                matches.push("id = ?".to_owned());
                args.push(rusqlite::types::Value::Blob(id.as_bytes().to_vec()));
            } else if search.names {
                matches.push(format!("name {compare}"));
                args.push(rusqlite::types::Value::Text(pattern.clone()));
            }
            if search.aliases && id.is_none() {
                matches.push(format!(
                    "id IN (SELECT key_id FROM key_aliases \
                     WHERE instance_id = keys.instance_id AND alias {compare})"
                ));
                args.push(rusqlite::types::Value::Text(pattern));
            }
            let negate = if search.negate { "NOT " } else { "" };
            filter.push_str(&format!(" AND {negate}({})", matches.join(" OR ")));
        }

        // Without a search or the filters above, every filter is a column of `key_counts`
        // (migration 3), so the total is a sum over a few counter rows instead of a count over
        // every matching key; corrected by the keys that have expired since they were written
        // (`StateFilter::expired_in_scope`, migration 9), which are few.
        let total: i64 = if count_rows {
            conn.query_row(
                &format!("SELECT count(*) FROM keys WHERE {filter}"),
                rusqlite::params_from_iter(args.iter()),
                |row| row.get(0),
            )
            .map_err(StoreError::from)?
        } else {
            let counted: i64 = conn
                .query_row(
                    &format!(
                        "SELECT coalesce(sum(n), 0) FROM key_counts WHERE {scope} AND {}",
                        states.stored
                    ),
                    rusqlite::params_from_iter(scope_args.iter()),
                    |row| row.get(0),
                )
                .map_err(StoreError::from)?;
            counted + correction
        };

        let limit = query.limit.min(MAX_PAGE_SIZE);
        let order = order_by(&query.sort);
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM keys WHERE {filter} \
             ORDER BY {order} LIMIT {limit} OFFSET {}",
            query.offset
        );
        let mut stmt = conn.prepare(&sql).map_err(StoreError::from)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args.iter()), key_from_row)
            .map_err(StoreError::from)?;
        let mut keys = Vec::new();
        for row in rows {
            keys.push(row.map_err(StoreError::from)??);
        }
        Ok(KeyPage {
            keys,
            total: u64::try_from(total).unwrap_or(0),
        })
    }

    fn update(
        &self,
        id: KeyId,
        change: &mut dyn FnMut(&mut Key) -> Result<Change, CoreError>,
        event: &AuditEvent,
    ) -> Result<Key, CoreError> {
        self.write(|tx| {
            // Every change (rotate, disable, enable, delete, restore, move) drops the key's
            // unsealed material; the next use reads it again. Done under the connection's lock,
            // like the cache's inserts, so a read racing this change cannot put it back. The
            // same for the key's metadata (`recent.rs`).
            self.store.materials.forget(id);
            self.store.forget_recent_key(id);
            let mut key = read_key(tx, &self.instance, id)?;
            let was_destroyed = key.state == KeyState::Destroyed;
            match change(&mut key)? {
                Change::Metadata => {}
                Change::NewVersion(version, material) => {
                    self.store.insert_version(tx, id, &version, &material)?;
                }
            }
            // Checked here, in the transaction that destroys the key, so a retention hold
            // written while a delete was on its way still stops it.
            if key.state == KeyState::Destroyed
                && !was_destroyed
                && deletion_held(tx, &self.instance, id)?
            {
                return Err(CoreError::DeletionPrevented(id));
            }
            // An alias added now is the caller's, not the key's creator's.
            write_key(tx, &self.instance, &key, false, &event.initiator)?;
            self.store.chain.append(tx, event)?;
            Ok(key)
        })
    }

    fn material(&self, key: KeyId, version: KeyVersionId) -> Result<Arc<KeyMaterial>, CoreError> {
        if let Some(material) = self.store.materials.get(&self.instance, key, version) {
            return Ok(material);
        }
        // The connection stays locked until the material is cached: writes (which forget a
        // key's material) hold the same lock, so a purge cannot slip between this read and the
        // insert and leave the purged key's material behind in memory.
        let conn = self.store.conn();
        let row: Option<(Vec<u8>, Vec<u8>)> = conn
            .prepare_cached(
                "SELECT v.key_id, v.sealed FROM key_versions v JOIN keys k ON k.id = v.key_id
                 WHERE v.id = ?1 AND k.instance_id = ?2",
            )
            .map_err(StoreError::from)?
            .query_row(params![version.as_bytes(), &self.instance], |row| {
                Ok((row.get(0)?, row.get(1)?))
            })
            .optional()
            .map_err(StoreError::from)?;
        match row {
            Some((owner, sealed)) if owner.as_slice() == key.as_bytes() => {
                let material = Arc::new(self.store.sealer.open(key, version, &sealed)?);
                self.store
                    .materials
                    .insert(&self.instance, key, version, Arc::clone(&material));
                Ok(material)
            }
            _ => Err(CoreError::WrongKey { key }),
        }
    }

    fn versions(&self, key: KeyId) -> Result<Vec<KeyVersion>, CoreError> {
        let conn = self.store.conn();
        let mut stmt = conn
            .prepare(
                "SELECT v.id, v.created_at FROM key_versions v JOIN keys k ON k.id = v.key_id
                 WHERE v.key_id = ?1 AND k.instance_id = ?2 ORDER BY v.created_at, v.rowid",
            )
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map(params![key.as_bytes(), &self.instance], |row| {
                Ok((row.get::<_, Vec<u8>>(0)?, row.get::<_, i64>(1)?))
            })
            .map_err(StoreError::from)?;
        let mut versions = Vec::new();
        for row in rows {
            let (id, created) = row.map_err(StoreError::from)?;
            versions.push(KeyVersion {
                id: KeyVersionId::from_bytes(id16(&id)?),
                created_at: from_micros(created)?,
            });
        }
        Ok(versions)
    }
}

/// The ORDER BY clause of a listing. Column names come from this match, never from the
/// caller, so the clause cannot carry SQL.
fn order_by(sort: &[KeySort]) -> String {
    if sort.is_empty() {
        return "created_at DESC, id DESC".to_owned();
    }
    let mut terms: Vec<String> = sort
        .iter()
        .map(|key| {
            let column = match key.by {
                KeyOrder::Id => "id",
                KeyOrder::Name => "name COLLATE NOCASE",
                KeyOrder::Kind => "kind",
                KeyOrder::State => "state",
                KeyOrder::Imported => "imported",
                KeyOrder::CreationDate => "created_at",
                KeyOrder::LastUpdateDate => "updated_at",
                KeyOrder::LastRotateDate => "rotated_at",
                KeyOrder::DeletionDate => "deleted_at",
                KeyOrder::ExpirationDate => "expires_at",
            };
            format!("{column} {}", if key.descending { "DESC" } else { "ASC" })
        })
        .collect();
    if !sort.iter().any(|key| key.by == KeyOrder::Id) {
        let last = sort.last().is_some_and(|key| key.descending);
        terms.push(format!("id {}", if last { "DESC" } else { "ASC" }));
    }
    terms.join(", ")
}

const KEY_COLUMNS: &str = "id, name, description, kind, state, imported, created_at, \
    updated_at, rotated_at, deleted_at, expires_at, version_id, version_created_at, key_ring, \
    created_by, deleted_by, dual_auth_delete, deletion_authorized_by, \
    deletion_authorization_expires_at, rotation_enabled, rotation_interval_months, \
    (SELECT group_concat(alias, ' ') FROM (SELECT alias FROM key_aliases a \
      WHERE a.key_id = keys.id ORDER BY a.created_at, a.alias))";

fn read_key(conn: &Connection, instance: &str, id: KeyId) -> Result<Key, CoreError> {
    conn.prepare_cached(&format!(
        "SELECT {KEY_COLUMNS} FROM keys WHERE id = ?1 AND instance_id = ?2"
    ))
    .map_err(StoreError::from)?
    .query_row(params![id.as_bytes(), instance], key_from_row)
    .optional()
    .map_err(StoreError::from)?
    .ok_or(CoreError::KeyNotFound(id))?
}

/// Writes `key` and its alias rows; an alias it did not have before is recorded as added by
/// `alias_by`.
fn write_key(
    conn: &Connection,
    instance: &str,
    key: &Key,
    new: bool,
    alias_by: &str,
) -> Result<(), CoreError> {
    if !ring_exists(conn, instance, &key.key_ring)? {
        return Err(CoreError::KeyRingNotFound(key.key_ring.to_string()));
    }
    let sql = if new {
        "INSERT INTO keys (id, name, description, kind, state, imported, created_at, updated_at,
            rotated_at, deleted_at, expires_at, version_id, version_created_at, key_ring,
            created_by, deleted_by, dual_auth_delete, deletion_authorized_by,
            deletion_authorization_expires_at, rotation_enabled, rotation_interval_months,
            instance_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
            ?18, ?19, ?20, ?21, ?22)"
    } else {
        "UPDATE keys SET name = ?2, description = ?3, kind = ?4, state = ?5, imported = ?6,
            created_at = ?7, updated_at = ?8, rotated_at = ?9, deleted_at = ?10, expires_at = ?11,
            version_id = ?12, version_created_at = ?13, key_ring = ?14, created_by = ?15,
            deleted_by = ?16, dual_auth_delete = ?17, deletion_authorized_by = ?18,
            deletion_authorization_expires_at = ?19, rotation_enabled = ?20,
            rotation_interval_months = ?21
         WHERE id = ?1 AND instance_id = ?22"
    };
    let auth = key.deletion_authorization.as_ref();
    conn.execute(
        sql,
        params![
            key.id.as_bytes(),
            key.name.as_str(),
            key.description.as_ref().map(Description::as_str),
            kind_name(key.kind),
            key.state.code(),
            key.imported,
            micros(key.created_at),
            micros(key.updated_at),
            key.rotated_at.map(micros),
            key.deleted_at.map(micros),
            key.expiry.map(|e| micros(e.at())),
            key.current_version.id.as_bytes(),
            micros(key.current_version.created_at),
            key.key_ring.as_str(),
            &key.created_by,
            key.deleted_by.as_deref(),
            key.dual_auth_delete,
            auth.map(|a| a.by.as_str()),
            auth.map(|a| micros(a.expires_at)),
            key.rotation.map(|r| r.enabled),
            key.rotation.map(|r| r.interval_months),
            instance,
        ],
    )
    .map_err(StoreError::from)?;
    write_aliases(conn, instance, key, alias_by)
}

/// Brings the alias rows in line with `key.aliases`. An alias held by another key of the
/// instance is [`CoreError::AliasTaken`]; the whole transaction then rolls back.
fn write_aliases(conn: &Connection, instance: &str, key: &Key, by: &str) -> Result<(), CoreError> {
    let mut stmt = conn
        .prepare("SELECT alias FROM key_aliases WHERE key_id = ?1")
        .map_err(StoreError::from)?;
    let stored: Vec<String> = stmt
        .query_map([key.id.as_bytes()], |row| row.get(0))
        .map_err(StoreError::from)?
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    for old in &stored {
        if !key.aliases.iter().any(|a| a.as_str() == old) {
            conn.execute(
                "DELETE FROM key_aliases WHERE instance_id = ?1 AND alias = ?2",
                params![instance, old],
            )
            .map_err(StoreError::from)?;
        }
    }
    for alias in &key.aliases {
        if stored.iter().any(|s| s == alias.as_str()) {
            continue;
        }
        let owner: Option<Vec<u8>> = conn
            .query_row(
                "SELECT key_id FROM key_aliases WHERE instance_id = ?1 AND alias = ?2",
                params![instance, alias.as_str()],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::from)?;
        if owner.is_some() {
            return Err(CoreError::AliasTaken(alias.as_str().to_owned()));
        }
        conn.execute(
            "INSERT INTO key_aliases (instance_id, alias, key_id, created_at, created_by)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                instance,
                alias.as_str(),
                key.id.as_bytes(),
                micros(key.updated_at),
                by
            ],
        )
        .map_err(StoreError::from)?;
    }
    Ok(())
}

/// Rows are decoded into domain types with validation, so a damaged row becomes an error
/// instead of an invalid `Key`. The outer `Result` is SQLite's, the inner one ours.
fn key_from_row(row: &Row<'_>) -> rusqlite::Result<Result<Key, CoreError>> {
    let id: Vec<u8> = row.get(0)?;
    let name: String = row.get(1)?;
    let description: Option<String> = row.get(2)?;
    let kind: String = row.get(3)?;
    let state: u8 = row.get(4)?;
    let imported: bool = row.get(5)?;
    let created_at: i64 = row.get(6)?;
    let updated_at: i64 = row.get(7)?;
    let rotated_at: Option<i64> = row.get(8)?;
    let deleted_at: Option<i64> = row.get(9)?;
    let expires_at: Option<i64> = row.get(10)?;
    let version_id: Vec<u8> = row.get(11)?;
    let version_created_at: i64 = row.get(12)?;
    let key_ring: String = row.get(13)?;
    let created_by: String = row.get(14)?;
    let deleted_by: Option<String> = row.get(15)?;
    let dual_auth_delete: bool = row.get(16)?;
    let authorized_by: Option<String> = row.get(17)?;
    let authorization_expires: Option<i64> = row.get(18)?;
    let rotation_enabled: Option<bool> = row.get(19)?;
    let rotation_months: Option<i64> = row.get(20)?;
    let aliases: Option<String> = row.get(21)?;
    Ok((|| {
        Ok(Key {
            id: KeyId::from_bytes(id16(&id)?),
            name: KeyName::parse(&name)?,
            description: description.as_deref().map(Description::parse).transpose()?,
            kind: match kind.as_str() {
                "root" => KeyKind::Root,
                "standard" => KeyKind::Standard,
                _ => return Err(corrupt("unknown key kind")),
            },
            state: KeyState::from_code(state).ok_or_else(|| corrupt("unknown key state"))?,
            imported,
            created_at: from_micros(created_at)?,
            updated_at: from_micros(updated_at)?,
            rotated_at: rotated_at.map(from_micros).transpose()?,
            deleted_at: deleted_at.map(from_micros).transpose()?,
            expiry: expires_at
                .map(from_micros)
                .transpose()?
                .map(Expiry::from_stored),
            current_version: KeyVersion {
                id: KeyVersionId::from_bytes(id16(&version_id)?),
                created_at: from_micros(version_created_at)?,
            },
            key_ring: KeyRingId::parse(&key_ring)?,
            aliases: aliases
                .as_deref()
                .unwrap_or("")
                .split(' ')
                .filter(|a| !a.is_empty())
                .map(Alias::parse)
                .collect::<Result<_, _>>()?,
            created_by,
            deleted_by,
            dual_auth_delete,
            deletion_authorization: match (authorized_by, authorization_expires) {
                (Some(by), Some(at)) => Some(DeletionAuthorization {
                    by,
                    expires_at: from_micros(at)?,
                }),
                _ => None,
            },
            rotation: match (rotation_enabled, rotation_months) {
                (Some(enabled), Some(months)) => Some(RotationPolicy::new(enabled, months)?),
                _ => None,
            },
        })
    })())
}

fn kind_name(kind: KeyKind) -> &'static str {
    match kind {
        KeyKind::Root => "root",
        KeyKind::Standard => "standard",
    }
}

fn corrupt(what: &str) -> CoreError {
    StoreError::Corrupt(what.to_owned()).into()
}

pub(crate) fn id16(bytes: &[u8]) -> Result<[u8; 16], CoreError> {
    bytes
        .try_into()
        .map_err(|_| corrupt("an id is not 16 bytes"))
}

/// Microseconds in the 30 days that a rotation interval counts per month.
const MICROS_PER_30_DAYS: i64 = 30 * 24 * 3600 * 1_000_000;

/// A listing's state filter. Rows keep the state last written; a key past its expiration
/// date is deactivated all the same (`Key::state_at`), so when the filter separates
/// deactivated keys from active or suspended ones, the expiration date decides too.
struct StateFilter {
    /// `state IN (...)` over the stored states, which is also what `key_counts` counts.
    stored: String,
    /// The wanted codes, as SQL literals (they are ours, not the caller's text).
    codes: String,
    /// The filter's active and suspended states.
    live: Vec<i64>,
    /// Whether deactivated keys are wanted.
    deactivated: bool,
    /// Stored states other than those three.
    other: Vec<i64>,
    /// When expiry is judged, in the store's microseconds.
    at: Option<i64>,
}

impl StateFilter {
    fn new(states: &[KeyState], at: Option<OffsetDateTime>) -> Self {
        let mut codes: Vec<i64> = if states.is_empty() {
            vec![1, 2, 3]
        } else {
            states.iter().map(|s| i64::from(s.code())).collect()
        };
        codes.sort_unstable();
        codes.dedup();
        let codes_sql = sql_list(&codes);
        Self {
            stored: format!("state IN ({codes_sql})"),
            codes: codes_sql,
            live: codes
                .iter()
                .copied()
                .filter(|c| *c == 1 || *c == 2)
                .collect(),
            deactivated: codes.contains(&3),
            other: codes.iter().copied().filter(|c| *c > 3).collect(),
            at: at.map(micros),
        }
    }

    /// The filter with expiry judged, and the time each of its `?` stands for; `None` when
    /// the stored states already say it: expiry only moves keys from active or suspended to
    /// deactivated, so a filter that takes all three, or none of them, is not affected.
    fn judged(&self) -> Option<(String, rusqlite::types::Value)> {
        let at = self.at?;
        let untouched = (self.live.is_empty() && !self.deactivated)
            || (self.live.len() == 2 && self.deactivated);
        if untouched {
            return None;
        }
        let mut plain = self.other.clone();
        if self.deactivated {
            plain.push(3);
        }
        let mut either = Vec::new();
        if !plain.is_empty() {
            either.push(format!("state IN ({})", sql_list(&plain)));
        }
        if !self.live.is_empty() {
            either.push(format!(
                "(state IN ({}) AND (expires_at IS NULL OR expires_at > ?))",
                sql_list(&self.live)
            ));
        }
        if self.deactivated {
            either.push(format!("({EXPIRED_BUT_LIVE} AND expires_at <= ?)"));
        }
        Some((
            format!("({})", either.join(" OR ")),
            rusqlite::types::Value::Integer(at),
        ))
    }

    /// A query for the keys that have expired while stored as active or suspended, with its
    /// one parameter before the scope's. Its second column is what the `key_counts` total
    /// over `stored` is off by: each such key counts once as deactivated if those are
    /// wanted, and no longer in its stored state. Reads only the `keys_expiring` index.
    fn expired_in_scope(&self) -> Option<(String, rusqlite::types::Value)> {
        let (_, at) = self.judged()?;
        Some((
            format!(
                "SELECT count(*), coalesce(sum({} - (state IN ({}))), 0) FROM keys \
                 WHERE {EXPIRED_BUT_LIVE} AND expires_at <= ?",
                i64::from(self.deactivated),
                self.codes
            ),
            at,
        ))
    }
}

/// State codes as an SQL list (`1, 2`): literals, since they are ours, not the caller's text.
fn sql_list(codes: &[i64]) -> String {
    codes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Keys that may have expired while their row says active or suspended; written as
/// `keys_expiring`'s condition (migration 9) so that SQLite uses that index.
const EXPIRED_BUT_LIVE: &str = "state IN (1, 2) AND expires_at IS NOT NULL";

/// `Key::rotation_due` in SQL, with one parameter, the time it is judged at: an enabled policy
/// on a root key whose last rotation (or creation) is at least 30 days per month of its
/// interval before then. Never NULL, so `NOT` selects exactly the other keys.
fn rotation_due_sql() -> String {
    format!(
        "kind = 'root' AND coalesce(rotation_enabled, 0) = 1 \
         AND rotation_interval_months IS NOT NULL \
         AND coalesce(rotated_at, created_at) <= ? - rotation_interval_months * {MICROS_PER_30_DAYS}"
    )
}

pub(crate) fn micros(at: OffsetDateTime) -> i64 {
    // Microseconds since 1970 fit in i64 for the next 290,000 years.
    (at.unix_timestamp_nanos() / 1_000) as i64
}

pub(crate) fn from_micros(micros: i64) -> Result<OffsetDateTime, CoreError> {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1_000)
        .map_err(|_| corrupt("a timestamp is out of range"))
}

fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

const REGISTRATION_COLUMNS: &str = "r.key_id, k.name, r.resource_crn, r.service, r.key_version,
    r.created_at, r.updated_at, k.key_ring, r.created_by, r.description, r.prevent_key_deletion,
    r.metadata";

type RegistrationRow = (
    Vec<u8>,
    String,
    String,
    String,
    Vec<u8>,
    i64,
    i64,
    String,
    String,
    String,
    bool,
    Option<String>,
);

fn registration_row(row: &Row<'_>) -> rusqlite::Result<RegistrationRow> {
    Ok((
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        row.get(4)?,
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
        row.get(11)?,
    ))
}

fn registration_record(row: RegistrationRow) -> Result<RegistrationRecord, CoreError> {
    let (
        key_id,
        key_name,
        resource_crn,
        service,
        version,
        created,
        updated,
        ring,
        created_by,
        description,
        prevent_key_deletion,
        metadata,
    ) = row;
    Ok(RegistrationRecord {
        key_id: KeyId::from_bytes(id16(&key_id)?),
        key_name,
        key_ring: KeyRingId::parse(&ring)?,
        resource_crn,
        created_by: if created_by.is_empty() {
            service.clone()
        } else {
            created_by
        },
        service,
        key_version: KeyVersionId::from_bytes(id16(&version)?),
        created_at: from_micros(created)?,
        updated_at: from_micros(updated)?,
        description,
        prevent_key_deletion,
        metadata,
    })
}

fn deletion_held(conn: &Connection, instance: &str, key: KeyId) -> Result<bool, CoreError> {
    Ok(conn
        .prepare_cached(
            "SELECT EXISTS (SELECT 1 FROM registrations
             WHERE key_id = ?1 AND instance_id = ?2 AND prevent_key_deletion = 1)",
        )
        .map_err(StoreError::from)?
        .query_row(params![key.as_bytes(), instance], |row| row.get(0))
        .map_err(StoreError::from)?)
}

fn registration_in(
    tx: &Connection,
    instance: &str,
    key: KeyId,
    crn: &str,
) -> Result<Option<RegistrationRecord>, CoreError> {
    let row = tx
        .query_row(
            &format!(
                "SELECT {REGISTRATION_COLUMNS}
                 FROM registrations r JOIN keys k ON k.id = r.key_id
                 WHERE r.instance_id = ?1 AND r.key_id = ?2 AND r.resource_crn = ?3"
            ),
            params![instance, key.as_bytes(), crn],
            registration_row,
        )
        .optional()
        .map_err(StoreError::from)?;
    row.map(registration_record).transpose()
}
