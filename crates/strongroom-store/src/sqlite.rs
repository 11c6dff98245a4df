use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use strongroom_core::{
    Change, CoreError, Description, Expiry, Key, KeyId, KeyKind, KeyMaterial, KeyName, KeyPage,
    KeyQuery, KeyRepository, KeyState, KeyVersion, KeyVersionId, MAX_PAGE_SIZE,
};
use time::OffsetDateTime;
use zeroize::Zeroizing;

use crate::error::io;
use crate::seal::Sealer;
use crate::{schema, MasterKeySource, StoreError};

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

/// The SQLite keystore. One connection behind a mutex: SQLite serialises writers anyway, and
/// every method is short. Blocking; async callers run it on a blocking thread.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    sealer: Sealer,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (creating if needed) the keystore in `dir`, with its master key from `source`.
    pub fn open(dir: &Path, source: &MasterKeySource) -> Result<Self, StoreError> {
        create_private_dir(dir)?;
        let path = dir.join(DATABASE_FILE);
        let mut conn = Connection::open(&path)?;
        restrict_to_owner(&path)?;
        // WAL lets readers proceed during a write; FULL makes every commit durable on return.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        schema::migrate(&mut conn, &path)?;
        let sealer = unlock(&mut conn, source, &path)?;
        tracing::debug!(path = %path.display(), "opened keystore");
        Ok(Self {
            conn: Mutex::new(conn),
            sealer,
            path,
        })
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

    /// A plain (not secret) setting.
    pub fn setting(&self, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
        meta(&self.conn(), &format!("setting:{name}"))
    }

    /// Stores a plain setting, replacing any earlier value.
    pub fn set_setting(&self, name: &str, value: &[u8]) -> Result<(), StoreError> {
        set_meta(&self.conn(), &format!("setting:{name}"), value)
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave a half-applied transaction behind
        // (SQLite rolls it back), so a poisoned lock is safe to reuse.
        self.conn
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn insert_version(
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
                micros(version.created_at),
                sealed
            ],
        )?;
        Ok(())
    }
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

fn meta(conn: &Connection, name: &str) -> Result<Option<Vec<u8>>, StoreError> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE name = ?1", [name], |row| {
            row.get(0)
        })
        .optional()?)
}

fn set_meta(conn: &Connection, name: &str, value: &[u8]) -> Result<(), StoreError> {
    conn.execute(
        "INSERT INTO meta (name, value) VALUES (?1, ?2)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value",
        params![name, value],
    )?;
    Ok(())
}

const KEY_COLUMNS: &str = "id, name, description, kind, state, imported, created_at, \
    updated_at, rotated_at, deleted_at, expires_at, version_id, version_created_at";

impl KeyRepository for SqliteStore {
    fn insert(&self, key: &Key, material: &KeyMaterial) -> Result<(), CoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(StoreError::from)?;
        write_key(&tx, key, true)?;
        self.insert_version(&tx, key.id, &key.current_version, material)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(())
    }

    fn key(&self, id: KeyId) -> Result<Key, CoreError> {
        read_key(&self.conn(), id)
    }

    fn list(&self, query: &KeyQuery) -> Result<KeyPage, CoreError> {
        let conn = self.conn();
        let mut filter = String::new();
        let mut args: Vec<rusqlite::types::Value> = Vec::new();

        let states: Vec<i64> = if query.states.is_empty() {
            vec![1, 2, 3]
        } else {
            query.states.iter().map(|s| i64::from(s.code())).collect()
        };
        let placeholders = vec!["?"; states.len()].join(", ");
        filter.push_str(&format!("state IN ({placeholders})"));
        args.extend(states.into_iter().map(rusqlite::types::Value::Integer));

        if let Some(search) = query
            .search
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            match search.parse::<KeyId>() {
                Ok(id) => {
                    filter.push_str(" AND id = ?");
                    args.push(rusqlite::types::Value::Blob(id.as_bytes().to_vec()));
                }
                Err(_) => {
                    filter.push_str(" AND name LIKE ? ESCAPE '\\'");
                    args.push(rusqlite::types::Value::Text(format!(
                        "%{}%",
                        escape_like(search)
                    )));
                }
            }
        }

        if let Some(kind) = query.kind {
            filter.push_str(" AND kind = ?");
            args.push(rusqlite::types::Value::Text(kind_name(kind).to_owned()));
        }

        let total: i64 = conn
            .query_row(
                &format!("SELECT count(*) FROM keys WHERE {filter}"),
                rusqlite::params_from_iter(args.iter()),
                |row| row.get(0),
            )
            .map_err(StoreError::from)?;

        let limit = query.limit.min(MAX_PAGE_SIZE);
        let sql = format!(
            "SELECT {KEY_COLUMNS} FROM keys WHERE {filter} \
             ORDER BY created_at DESC, id DESC LIMIT {limit} OFFSET {}",
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
    ) -> Result<Key, CoreError> {
        let mut conn = self.conn();
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let mut key = read_key(&tx, id)?;
        match change(&mut key)? {
            Change::Metadata => {}
            Change::NewVersion(version, material) => {
                self.insert_version(&tx, id, &version, &material)?;
            }
        }
        write_key(&tx, &key, false)?;
        tx.commit().map_err(StoreError::from)?;
        Ok(key)
    }

    fn material(&self, key: KeyId, version: KeyVersionId) -> Result<KeyMaterial, CoreError> {
        let row: Option<(Vec<u8>, Vec<u8>)> = self
            .conn()
            .query_row(
                "SELECT key_id, sealed FROM key_versions WHERE id = ?1",
                [version.as_bytes()],
                |row| Ok((row.get(0)?, row.get(1)?)),
            )
            .optional()
            .map_err(StoreError::from)?;
        match row {
            Some((owner, sealed)) if owner.as_slice() == key.as_bytes() => {
                Ok(self.sealer.open(key, version, &sealed)?)
            }
            _ => Err(CoreError::WrongKey { key }),
        }
    }

    fn versions(&self, key: KeyId) -> Result<Vec<KeyVersion>, CoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT id, created_at FROM key_versions WHERE key_id = ?1 ORDER BY created_at, rowid")
            .map_err(StoreError::from)?;
        let rows = stmt
            .query_map([key.as_bytes()], |row| {
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

fn read_key(conn: &Connection, id: KeyId) -> Result<Key, CoreError> {
    conn.query_row(
        &format!("SELECT {KEY_COLUMNS} FROM keys WHERE id = ?1"),
        [id.as_bytes()],
        key_from_row,
    )
    .optional()
    .map_err(StoreError::from)?
    .ok_or(CoreError::KeyNotFound(id))?
}

fn write_key(conn: &Connection, key: &Key, new: bool) -> Result<(), StoreError> {
    let sql = if new {
        "INSERT INTO keys (id, name, description, kind, state, imported, created_at, updated_at,
            rotated_at, deleted_at, expires_at, version_id, version_created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)"
    } else {
        "UPDATE keys SET name = ?2, description = ?3, kind = ?4, state = ?5, imported = ?6,
            created_at = ?7, updated_at = ?8, rotated_at = ?9, deleted_at = ?10, expires_at = ?11,
            version_id = ?12, version_created_at = ?13
         WHERE id = ?1"
    };
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
        ],
    )?;
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

fn id16(bytes: &[u8]) -> Result<[u8; 16], CoreError> {
    bytes
        .try_into()
        .map_err(|_| corrupt("an id is not 16 bytes"))
}

fn micros(at: OffsetDateTime) -> i64 {
    // Microseconds since 1970 fit in i64 for the next 290,000 years.
    (at.unix_timestamp_nanos() / 1_000) as i64
}

fn from_micros(micros: i64) -> Result<OffsetDateTime, CoreError> {
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

fn create_private_dir(dir: &Path) -> Result<(), StoreError> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
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
