use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};
use strongroom_core::{AuditEvent, CoreError, Key, KeyId, KeyMaterial, KeyVersion, VirtualClock};
use zeroize::Zeroizing;

use crate::audit::{AuditWriter, Chain};
use crate::checkpoint::{defer_checkpoints, Checkpointer};
use crate::error::io;
use crate::live_keys::LiveKeys;
use crate::material_cache::MaterialCache;
use crate::recent::Recent;
use crate::seal::Sealer;
use crate::{schema, MasterKeySource, StoreError};
use crate::{AccessPolicyRecord, PrincipalRecord};
use rand::RngCore;

/// Overrides the platform's data directory.
pub const DATA_DIR_ENV: &str = "STRONGROOM_DATA_DIR";
/// The database's file name inside the data directory.
pub const DATABASE_FILE: &str = "keystore.db";

/// `STRONGROOM_DATA_DIR`, or the platform's data directory (`~/.local/share/strongroom` on
/// Linux).
pub fn default_data_dir() -> Result<PathBuf, StoreError> {
    match std::env::var_os(DATA_DIR_ENV) {
        Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
        _ => dirs::data_dir()
            .map(|dir| dir.join("strongroom"))
            .ok_or(StoreError::NoDataDir),
    }
}

/// A principal and the policies that apply to it on one instance, as read together.
pub type RecentGrants = (PrincipalRecord, Arc<Vec<AccessPolicyRecord>>);

/// The SQLite keystore. One connection behind a mutex: SQLite serialises writers anyway, and
/// every method is short. Blocking; async callers run it on a blocking thread.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    pub(crate) sealer: Sealer,
    pub(crate) chain: Chain,
    pub(crate) audit: AuditWriter,
    /// Recently used material, unsealed; see `material_cache.rs` for what keeps it safe.
    pub(crate) materials: MaterialCache,
    /// API keys recently read live; see `live_keys.rs` for how revocation stays immediate.
    pub(crate) live_keys: LiveKeys,
    /// Keys read in the last second, by id, with the instance they were read for
    /// (`recent.rs`: what keeps a change visible at once).
    pub(crate) recent_keys: Recent<KeyId, (String, Arc<Key>)>,
    /// Alias → key id, as read with the keys above; a hit counts only if the key still has it.
    pub(crate) recent_aliases: Recent<(String, String), KeyId>,
    /// A principal's record and the policies that apply to it on an instance.
    pub(crate) recent_grants: Recent<(String, String), RecentGrants>,
    /// Instances known to exist (instances are never deleted).
    pub(crate) known_instances: Recent<String, ()>,
    /// Calls served in the last hour, per minute (`usage.rs`): shared by every facade over this
    /// store in the process, so the desktop's dashboard sees its local server's calls too.
    usage: crate::usage::Usage,
    /// The time every facade over this store runs on: the system clock plus the offset this
    /// store has been moved ahead by (`serve --virtual-clock`), read when it was opened.
    pub(crate) clock: Arc<VirtualClock>,
    /// Writes the WAL back into the database file off the request path (`checkpoint.rs`).
    _checkpointer: Checkpointer,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the keystore in `dir`, with its master key from `source`.
    pub fn open(dir: &Path, source: &MasterKeySource) -> Result<Self, StoreError> {
        create_private_dir(dir)?;
        let path = dir.join(DATABASE_FILE);
        // SQLite reports only "unable to open database file"; the file system says why
        // (permission denied, read-only, a directory in the way) and for which path.
        let mut options = std::fs::OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        options
            .open(&path)
            .map_err(io("cannot open the keystore", &path))?;
        let mut conn = Connection::open(&path)?;
        restrict_to_owner(&path)?;
        // WAL lets readers proceed during a write; FULL makes every commit durable on return.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        defer_checkpoints(&conn)?;
        // Every call on the data plane runs the same handful of statements; compiling them
        // once per connection instead of once per call was a tenth of a wrap's CPU.
        conn.set_prepared_statement_cache_capacity(64);
        schema::migrate(&mut conn, &path)?;
        // Purged keys' pages are overwritten, not just unlinked.
        conn.pragma_update(None, "secure_delete", "ON")?;
        let sealer = unlock(&mut conn, source, &path)?;
        let chain_key = init_chain_key(&conn, &sealer)?;
        let clock = Arc::new(VirtualClock::new(clock_offset(&conn)?));
        let audit = AuditWriter::start(&path, Chain::new(chain_key.clone()))?;
        let checkpointer = Checkpointer::start(&path)?;
        tracing::debug!(path = %path.display(), "opened keystore");
        Ok(Self {
            conn: Mutex::new(conn),
            sealer,
            chain: Chain::new(chain_key),
            audit,
            materials: MaterialCache::default(),
            live_keys: LiveKeys::default(),
            recent_keys: Recent::default(),
            recent_aliases: Recent::default(),
            recent_grants: Recent::default(),
            known_instances: Recent::default(),
            usage: crate::usage::Usage::default(),
            clock,
            _checkpointer: checkpointer,
            path,
        })
    }

    /// Counts one call on `instance` that ended at `at` and took `took`, with its error code
    /// if it failed (`usage.rs`).
    pub fn record_usage(
        &self,
        instance: &str,
        action: &'static str,
        failure: Option<&'static str>,
        at: time::OffsetDateTime,
        took: std::time::Duration,
    ) {
        self.usage.record(
            at.unix_timestamp().div_euclid(60),
            instance,
            action,
            failure,
            took,
        );
    }

    /// The calls `instance` served in the hour up to `now`, per minute and action.
    pub fn usage(&self, instance: &str, now: time::OffsetDateTime) -> Vec<crate::UsageRecord> {
        self.usage
            .report(now.unix_timestamp().div_euclid(60), instance)
    }

    /// Forgets a key's remembered metadata; called inside every write that changes the key.
    pub(crate) fn forget_recent_key(&self, id: KeyId) {
        self.recent_keys.forget(&id);
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The keystore's id, fixed at creation. It names the keyring entry of the master key.
    pub fn keystore_id(&self) -> Result<String, StoreError> {
        let id = meta(&self.conn(), "keystore_id")?
            .ok_or_else(|| StoreError::Corrupt("the keystore has no id".into()))?;
        String::from_utf8(id).map_err(|_| StoreError::Corrupt("the keystore id is not text".into()))
    }

    /// A secret setting (such as the token signing key), unsealed.
    pub fn secret_setting(&self, name: &str) -> Result<Option<Zeroizing<Vec<u8>>>, StoreError> {
        meta(&self.conn(), &format!("secret:{name}"))?
            .map(|sealed| self.sealer.open_setting(name, &sealed))
            .transpose()
    }

    /// Stores a secret setting sealed under the master key, unless one exists already; returns
    /// the value in force, so concurrent first starts agree on one value.
    pub fn init_secret_setting(
        &self,
        name: &str,
        value: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        let sealed = self.sealer.seal_setting(name, value)?;
        let conn = self.conn();
        conn.execute(
            "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
            params![format!("secret:{name}"), sealed],
        )?;
        let stored = meta(&conn, &format!("secret:{name}"))?
            .ok_or_else(|| StoreError::Corrupt(format!("the setting {name} vanished")))?;
        self.sealer.open_setting(name, &stored)
    }

    /// Replaces several settings in one transaction, sealing the secret ones, so readers
    /// never see half of a set that belongs together.
    pub fn replace_settings(
        &self,
        plain: &[(&str, &[u8])],
        secret: &[(&str, &[u8])],
    ) -> Result<(), StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction()?;
        for (name, value) in plain {
            set_meta(&tx, &format!("setting:{name}"), value)?;
        }
        for (name, value) in secret {
            set_meta(
                &tx,
                &format!("secret:{name}"),
                &self.sealer.seal_setting(name, value)?,
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The clock of every facade over this store. It follows the system clock unless a
    /// `serve --virtual-clock` moved this store ahead ([`crate::InstanceStore::advance_clock`]).
    pub fn clock(&self) -> Arc<VirtualClock> {
        Arc::clone(&self.clock)
    }

    /// Moves this store's clock `by` ahead and returns the new offset, with `events` (one per
    /// instance, so each instance's trail shows why its keys expired) in the same transaction.
    /// The offset is read and written inside it, so two processes moving at once both count.
    /// This process runs on the new time as soon as this returns; another process on the same
    /// store at its next [`Self::refresh_clock`].
    pub fn advance_clock(
        &self,
        by: time::Duration,
        events: &[AuditEvent],
    ) -> Result<time::Duration, CoreError> {
        if by <= time::Duration::ZERO {
            return Err(CoreError::Invalid(
                "the clock moves forward only: give a positive duration".into(),
            ));
        }
        let too_far = || {
            CoreError::Invalid(format!(
                "the clock may run at most {} days ahead of the system clock",
                VirtualClock::MAX_OFFSET.whole_days()
            ))
        };
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let offset = clock_offset(&tx)?
            .checked_add(by)
            .filter(|offset| *offset <= VirtualClock::MAX_OFFSET)
            .ok_or_else(too_far)?;
        let micros = i64::try_from(offset.whole_microseconds()).map_err(|_| too_far())?;
        set_meta(&tx, CLOCK_OFFSET, &micros.to_be_bytes())?;
        for event in events {
            self.chain.append(&tx, event)?;
        }
        tx.commit().map_err(StoreError::from)?;
        drop(conn);
        self.clock.catch_up(offset);
        Ok(offset)
    }

    /// Catches up with a move another process made on this store (`serve --virtual-clock`
    /// beside the desktop console); the periodic checks call it every minute.
    pub fn refresh_clock(&self) -> Result<(), StoreError> {
        let offset = clock_offset(&self.conn())?;
        self.clock.catch_up(offset);
        Ok(())
    }

    /// A plain (not secret) setting.
    pub fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        meta(&self.conn(), &format!("setting:{name}"))
    }

    /// Stores a plain setting, replacing any earlier value.
    pub fn set_setting(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        set_meta(&self.conn(), &format!("setting:{name}"), value)
    }

    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-applied transaction behind
        // (SQLite rolls it back), so a poisoned lock is safe to reuse.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn insert_version(
        &self,
        conn: &Connection,
        key: KeyId,
        version: &KeyVersion,
        material: &KeyMaterial,
    ) -> Result<(), StoreError> {
        let sealed = self.sealer.seal(key, version.id, material)?;
        conn.execute(
            "INSERT INTO key_versions (id, key_id, created_at, sealed) VALUES (?1, ?2, ?3, ?4)",
            params![
                version.id.as_bytes(),
                key.as_bytes(),
                crate::instance::micros(version.created_at),
                sealed
            ],
        )?;
        Ok(())
    }
}

/// The audit chain's HMAC key: random, sealed under the master key, created once.
fn init_chain_key(conn: &Connection, sealer: &Sealer) -> Result<Zeroizing<Vec<u8>>, StoreError> {
    let name = crate::audit::CHAIN_KEY_SETTING;
    let mut fresh = Zeroizing::new([0u8; 32]);
    rand::rng().fill_bytes(fresh.as_mut());
    conn.execute(
        "INSERT INTO meta (name, value) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING",
        params![
            format!("secret:{name}"),
            sealer.seal_setting(name, fresh.as_ref())?
        ],
    )?;
    let stored = meta(conn, &format!("secret:{name}"))?
        .ok_or_else(|| StoreError::Corrupt("the audit chain key vanished".into()))?;
    sealer.open_setting(name, &stored)
}

/// Reads or creates the keystore id and its master key, and proves the key is the right one.
fn unlock(
    conn: &mut Connection,
    source: &MasterKeySource,
    path: &Path,
) -> Result<Sealer, StoreError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let keystore = match meta(&tx, "keystore_id")? {
        Some(id) => String::from_utf8(id)
            .map_err(|_| StoreError::Corrupt("the keystore id is not text".into()))?,
        None => {
            let id = KeyId::random().to_string();
            set_meta(&tx, "keystore_id", id.as_bytes())?;
            id
        }
    };
    let sealer = match meta(&tx, "master_key_check")? {
        Some(check) => {
            let key = source
                .load(&keystore)?
                .ok_or_else(|| StoreError::MasterKeyMissing {
                    keystore: keystore.clone(),
                    source_name: source.describe(),
                    path: path.to_owned(),
                })?;
            let sealer = Sealer::new(&key);
            if !sealer.verify_check_value(&keystore, &check) {
                return Err(StoreError::MasterKeyMismatch {
                    source_name: source.describe(),
                    path: path.to_owned(),
                });
            }
            sealer
        }
        None => {
            // First start. A key may already exist (a key file provisioned in advance, or a
            // first start that stored the key and then crashed before this commit).
            let key = match source.load(&keystore)? {
                Some(key) => key,
                None => source.create(&keystore)?,
            };
            let sealer = Sealer::new(&key);
            set_meta(&tx, "master_key_check", &sealer.check_value(&keystore)?)?;
            sealer
        }
    };
    tx.commit()?;
    Ok(sealer)
}

pub(crate) fn meta(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .prepare_cached("SELECT value FROM meta WHERE name = ?1")?
        .query_row([name], |row| row.get(0))
        .optional()?)
}

/// Where the clock's offset is kept: microseconds, big-endian.
pub(crate) const CLOCK_OFFSET: &str = "clock-offset";

/// How far this store's time has been moved ahead of the system clock.
pub(crate) fn clock_offset(conn: &Connection) -> Result<time::Duration, StoreError> {
    match meta(conn, CLOCK_OFFSET)? {
        None => Ok(time::Duration::ZERO),
        Some(bytes) => {
            let micros = <[u8; 8]>::try_from(bytes.as_slice())
                .map(i64::from_be_bytes)
                .map_err(|_| StoreError::Corrupt("the clock offset is not 8 bytes".into()))?;
            Ok(time::Duration::microseconds(micros))
        }
    }
}

pub(crate) fn set_meta(conn: &Connection, name: &str, value: &[u8]) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO meta (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
    )?
    .execute(params![name, value])?;
    Ok(())
}

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    if dir.exists() && !dir.is_dir() {
        return Err(io("a file is in the way of the data directory", dir)(
            std::io::Error::new(std::io::ErrorKind::AlreadyExists, "not a directory"),
        ));
    }
    builder
        .create(dir)
        .map_err(io("cannot create the data directory", dir))
}

fn restrict_to_owner(path: &Path) -> Result<(), StoreError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(io("cannot restrict permissions of", path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
