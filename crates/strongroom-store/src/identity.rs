//! Identities and access: principals (users and service identities), their API keys (stored
//! as SHA-256 digests only) and access policies — user grants and service-to-service
//! authorizations alike, in IAM's one-table model.

use rusqlite::{params, OptionalExtension, Row, TransactionBehavior};
use strongroom_core::AuditEvent;
use time::OffsetDateTime;

use crate::instance::{from_micros, micros};
use crate::{SqliteStore, StoreError};

/// A user or a service identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalRecord {
    /// The IAM id tokens carry (`IBMid-…` for users, `iam-ServiceId-…` for services).
    pub iam_id: String,
    /// A name for people.
    pub name: String,
    /// For a service identity: the source service's name and instance GUID.
    pub service: Option<(String, String)>,
    /// Creation time.
    pub created_at: OffsetDateTime,
}

/// An API key's metadata. The secret itself is never stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// The key's id.
    pub id: String,
    /// Whose key it is.
    pub iam_id: String,
    /// A label.
    pub name: String,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// When it was revoked.
    pub revoked_at: Option<OffsetDateTime>,
}

/// An access policy: `access` (a user's roles) or `authorization` (a source service's roles).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessPolicyRecord {
    /// The policy id.
    pub id: String,
    /// `access` or `authorization`.
    pub policy_type: String,
    /// For `access`: the user.
    pub subject_iam_id: Option<String>,
    /// For `authorization`: the source service name.
    pub source_service: Option<String>,
    /// For `authorization`: one source instance, or all when absent.
    pub source_instance: Option<String>,
    /// The target instance; all when absent.
    pub instance_id: Option<String>,
    /// Narrowed to one key ring.
    pub key_ring: Option<String>,
    /// Narrowed to one key.
    pub key_id: Option<String>,
    /// Role names.
    pub roles: Vec<String>,
    /// Free text.
    pub description: Option<String>,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Creator.
    pub created_by: String,
    /// Last change.
    pub updated_at: OffsetDateTime,
    /// Last changer.
    pub updated_by: String,
    /// Bumped on every update; the HTTP `ETag`.
    pub revision: i64,
}

const POLICY_COLUMNS: &str = "id, type, subject_iam_id, source_service, source_instance, \
    instance_id, key_ring, key_id, roles, description, created_at, created_by, updated_at, \
    updated_by, revision";

fn policy_from_row(row: &Row<'_>) -> Result<AccessPolicyRecord, StoreError> {
    let roles: String = row.get(8)?;
    Ok(AccessPolicyRecord {
        id: row.get(0)?,
        policy_type: row.get(1)?,
        subject_iam_id: row.get(2)?,
        source_service: row.get(3)?,
        source_instance: row.get(4)?,
        instance_id: row.get(5)?,
        key_ring: row.get(6)?,
        key_id: row.get(7)?,
        roles: roles
            .split(',')
            .filter(|r| !r.is_empty())
            .map(str::to_owned)
            .collect(),
        description: row.get(9)?,
        created_at: from_micros(row.get(10)?)?,
        created_by: row.get(11)?,
        updated_at: from_micros(row.get(12)?)?,
        updated_by: row.get(13)?,
        revision: row.get(14)?,
    })
}

fn principal_from_row(row: &Row<'_>) -> Result<PrincipalRecord, StoreError> {
    let service_name: Option<String> = row.get(2)?;
    let service_instance: Option<String> = row.get(3)?;
    Ok(PrincipalRecord {
        iam_id: row.get(0)?,
        name: row.get(1)?,
        service: service_name.map(|name| (name, service_instance.unwrap_or_default())),
        created_at: from_micros(row.get(4)?)?,
    })
}

impl SqliteStore {
    fn write_tx<T>(
        &self,
        work: impl FnOnce(&rusqlite::Connection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = work(&tx)?;
        tx.commit()?;
        drop(conn);
        // Every identity write (principal, API key, policy) may change someone's grants; they
        // are rare, so all remembered grants go.
        self.recent_grants.forget_all();
        Ok(out)
    }

    /// A principal and the policies that apply to it on `instance`, read from SQLite now (and
    /// remembered for [`SqliteStore::recent_grants`]). `None`: no such principal.
    pub fn grants(
        &self,
        iam_id: &str,
        instance: &str,
    ) -> Result<Option<crate::RecentGrants>, StoreError> {
        let generation = self.recent_grants.generation();
        let Some(record) = self.principal(iam_id)? else {
            return Ok(None);
        };
        let policies = std::sync::Arc::new(self.policies_for(&record, instance)?);
        let grants = (record, policies);
        self.recent_grants.remember(
            (iam_id.to_owned(), instance.to_owned()),
            grants.clone(),
            generation,
        );
        Ok(Some(grants))
    }

    /// What [`SqliteStore::grants`] read for this principal and instance less than a second
    /// ago, if nothing has changed an identity since; never touches SQLite (`recent.rs`).
    pub fn recent_grants(&self, iam_id: &str, instance: &str) -> Option<crate::RecentGrants> {
        self.recent_grants
            .get(&(iam_id.to_owned(), instance.to_owned()))
    }

    /// Creates a principal, unless one with this IAM id exists (then returns it).
    pub fn create_principal(
        &self,
        record: &PrincipalRecord,
        event: &AuditEvent,
    ) -> Result<PrincipalRecord, StoreError> {
        self.write_tx(|tx| {
            let inserted = tx.execute(
                "INSERT INTO principals (iam_id, kind, name, service_name, service_instance, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (iam_id) DO NOTHING",
                params![
                    &record.iam_id,
                    if record.service.is_some() { "service" } else { "user" },
                    &record.name,
                    record.service.as_ref().map(|s| s.0.as_str()),
                    record.service.as_ref().map(|s| s.1.as_str()),
                    micros(record.created_at)
                ],
            )?;
            if inserted == 1 {
                self.chain.append(tx, event)?;
            }
            Ok(())
        })?;
        self.principal(&record.iam_id)?
            .ok_or_else(|| StoreError::Corrupt("a principal vanished".into()))
    }

    /// One principal.
    pub fn principal(&self, iam_id: &str) -> Result<Option<PrincipalRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(
            "SELECT iam_id, name, service_name, service_instance, created_at FROM principals WHERE iam_id = ?1",
        )?;
        let mut rows = stmt.query([iam_id])?;
        match rows.next()? {
            Some(row) => Ok(Some(principal_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Every principal.
    pub fn principals(&self) -> Result<Vec<PrincipalRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT iam_id, name, service_name, service_instance, created_at FROM principals ORDER BY created_at, iam_id",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(principal_from_row(row)?);
        }
        Ok(out)
    }

    /// Stores a new API key's digest for `iam_id`.
    pub fn create_api_key(
        &self,
        record: &ApiKeyRecord,
        digest: &[u8; 32],
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.write_tx(|tx| {
            tx.execute(
                "INSERT INTO api_keys (id, iam_id, name, digest, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![&record.id, &record.iam_id, &record.name, &digest[..], micros(record.created_at)],
            )?;
            self.chain.append(tx, event)
        })
    }

    /// The principal owning a live API key with this digest. The digest is SHA-256 of a
    /// 256-bit random secret, so an index lookup on it reveals nothing an attacker can use.
    pub fn principal_for_api_key(
        &self,
        digest: &[u8; 32],
    ) -> Result<Option<PrincipalRecord>, StoreError> {
        let iam_id: Option<String> = self
            .conn()
            .query_row(
                "SELECT iam_id FROM api_keys WHERE digest = ?1 AND revoked_at IS NULL",
                [&digest[..]],
                |row| row.get(0),
            )
            .optional()?;
        match iam_id {
            Some(id) => self.principal(&id),
            None => Ok(None),
        }
    }

    /// API keys, of one principal or all.
    pub fn api_keys(&self, iam_id: Option<&str>) -> Result<Vec<ApiKeyRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(
            "SELECT id, iam_id, name, created_at, revoked_at FROM api_keys
             WHERE ?1 IS NULL OR iam_id = ?1 ORDER BY created_at, id",
        )?;
        let mut rows = stmt.query([iam_id])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let revoked: Option<i64> = row.get(4)?;
            out.push(ApiKeyRecord {
                id: row.get(0)?,
                iam_id: row.get(1)?,
                name: row.get(2)?,
                created_at: from_micros(row.get(3)?)?,
                revoked_at: revoked.map(from_micros).transpose()?,
            });
        }
        Ok(out)
    }

    /// Revokes an API key; tokens issued for it stop working at their next verification
    /// because verification re-reads the key's state (its remembered "live" answers are
    /// forgotten once the revocation has committed).
    pub fn revoke_api_key(&self, id: &str, event: &AuditEvent) -> Result<bool, StoreError> {
        let revoked = self.write_tx(|tx| {
            let changed = tx.execute(
                "UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                params![id, micros(event.at)],
            )?;
            if changed == 1 {
                self.chain.append(tx, event)?;
            }
            Ok(changed == 1)
        });
        self.live_keys.forget_all();
        revoked
    }

    /// Whether the API key is live (not revoked and still present). A "live" answer read
    /// less than a second ago is reused without a query (see `live_keys.rs`: a revocation in
    /// this process is seen at once, one by another process within that second).
    pub fn api_key_live(&self, id: &str) -> Result<bool, StoreError> {
        let generation = match self.live_keys.check(id) {
            Ok(()) => return Ok(true),
            Err(generation) => generation,
        };
        let live = self
            .conn()
            .prepare_cached("SELECT 1 FROM api_keys WHERE id = ?1 AND revoked_at IS NULL")?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some();
        if live {
            self.live_keys.remember(id, generation);
        }
        Ok(live)
    }

    /// The id of the live API key with this digest.
    pub fn api_key_id(&self, digest: &[u8; 32]) -> Result<Option<String>, StoreError> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id FROM api_keys WHERE digest = ?1 AND revoked_at IS NULL",
                [&digest[..]],
                |row| row.get(0),
            )
            .optional()?)
    }

    /// Stores a new access policy.
    pub fn create_policy(
        &self,
        policy: &AccessPolicyRecord,
        event: &AuditEvent,
    ) -> Result<(), StoreError> {
        self.write_tx(|tx| {
            tx.execute(
                &format!(
                    "INSERT INTO access_policies ({POLICY_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                ),
                rusqlite::params_from_iter(policy_params(policy)),
            )?;
            self.chain.append(tx, event)
        })
    }

    /// Policies, optionally of one type.
    pub fn policies(
        &self,
        policy_type: Option<&str>,
    ) -> Result<Vec<AccessPolicyRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {POLICY_COLUMNS} FROM access_policies WHERE ?1 IS NULL OR type = ?1
             ORDER BY created_at, id"
        ))?;
        let mut rows = stmt.query([policy_type])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(policy_from_row(row)?);
        }
        Ok(out)
    }

    /// One policy.
    pub fn policy(&self, id: &str) -> Result<Option<AccessPolicyRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(&format!(
            "SELECT {POLICY_COLUMNS} FROM access_policies WHERE id = ?1"
        ))?;
        let mut rows = stmt.query([id])?;
        match rows.next()? {
            Some(row) => Ok(Some(policy_from_row(row)?)),
            None => Ok(None),
        }
    }

    /// Replaces a policy if its revision is still `expected` (the `If-Match` ETag).
    pub fn update_policy(
        &self,
        policy: &AccessPolicyRecord,
        expected: i64,
        event: &AuditEvent,
    ) -> Result<bool, StoreError> {
        self.write_tx(|tx| {
            let current: Option<i64> = tx
                .query_row(
                    "SELECT revision FROM access_policies WHERE id = ?1",
                    [&policy.id],
                    |row| row.get(0),
                )
                .optional()?;
            if current != Some(expected) {
                return Ok(false);
            }
            tx.execute("DELETE FROM access_policies WHERE id = ?1", [&policy.id])?;
            tx.execute(
                &format!(
                    "INSERT INTO access_policies ({POLICY_COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                ),
                rusqlite::params_from_iter(policy_params(policy)),
            )?;
            self.chain.append(tx, event)?;
            Ok(true)
        })
    }

    /// Deletes a policy; the next call it would have allowed is refused (remembered grants are
    /// forgotten when it commits).
    pub fn delete_policy(&self, id: &str, event: &AuditEvent) -> Result<bool, StoreError> {
        self.write_tx(|tx| {
            let removed = tx.execute("DELETE FROM access_policies WHERE id = ?1", [id])?;
            if removed == 1 {
                self.chain.append(tx, event)?;
            }
            Ok(removed == 1)
        })
    }

    /// Policies that apply to a principal on an instance: its own `access` policies, and for a
    /// service identity the `authorization` policies naming its service (and instance).
    pub fn policies_for(
        &self,
        principal: &PrincipalRecord,
        instance: &str,
    ) -> Result<Vec<AccessPolicyRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT {POLICY_COLUMNS} FROM access_policies
             WHERE (instance_id IS NULL OR instance_id = ?1)
               AND ((type = 'access' AND subject_iam_id = ?2)
                 OR (type = 'authorization' AND source_service = ?3
                     AND (source_instance IS NULL OR source_instance = ?4)))"
        ))?;
        let (service, service_instance) = match &principal.service {
            Some((name, instance)) => (Some(name.as_str()), Some(instance.as_str())),
            None => (None, None),
        };
        let mut rows = stmt.query(params![
            instance,
            &principal.iam_id,
            service,
            service_instance
        ])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            out.push(policy_from_row(row)?);
        }
        Ok(out)
    }

    /// The audit trail, newest first.
    pub fn audit_events(
        &self,
        query: &crate::AuditQuery,
    ) -> Result<Vec<crate::AuditRecord>, StoreError> {
        crate::audit::list(&self.conn(), query)
    }

    /// An instance's audited calls per hour and action, for the hours `from..=to` (whole hours
    /// since the epoch), oldest first. Reads only those hours' counters, however long the trail.
    pub fn activity(
        &self,
        instance: &str,
        from: i64,
        to: i64,
    ) -> Result<Vec<crate::ActivityRecord>, StoreError> {
        crate::audit::activity(&self.conn(), instance, from, to)
    }

    /// Walks the whole chain.
    pub fn verify_audit(&self) -> Result<crate::ChainVerdict, StoreError> {
        self.chain.verify(&self.conn())
    }

    /// Appends one event outside any other change (e.g. a refused call).
    pub fn record_event(&self, event: &AuditEvent) -> Result<(), StoreError> {
        self.write_tx(|tx| self.chain.append(tx, event))
    }

    /// The batched data-plane writer.
    pub fn audit_writer(&self) -> &crate::AuditWriter {
        &self.audit
    }
}

fn policy_params(policy: &AccessPolicyRecord) -> Vec<Box<dyn rusqlite::ToSql + '_>> {
    vec![
        Box::new(&policy.id),
        Box::new(&policy.policy_type),
        Box::new(&policy.subject_iam_id),
        Box::new(&policy.source_service),
        Box::new(&policy.source_instance),
        Box::new(&policy.instance_id),
        Box::new(&policy.key_ring),
        Box::new(&policy.key_id),
        Box::new(policy.roles.join(",")),
        Box::new(&policy.description),
        Box::new(micros(policy.created_at)),
        Box::new(&policy.created_by),
        Box::new(micros(policy.updated_at)),
        Box::new(&policy.updated_by),
        Box::new(policy.revision),
    ]
}
