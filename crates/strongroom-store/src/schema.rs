//! Schema migrations, applied in order from the first version. Each runs in its own
//! transaction together with the bump of `PRAGMA user_version`, so a crash mid-migration
//! leaves the previous version intact.

use std::path::Path;

use rusqlite::Connection;

use crate::StoreError;

/// Append only: never edit a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    // 1: keys, their sealed versions, and keystore metadata.
    r#"
    CREATE TABLE meta (
        name  TEXT PRIMARY KEY,
        value BLOB NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE keys (
        id                  BLOB PRIMARY KEY CHECK (length(id) = 16),
        name                TEXT NOT NULL,
        description         TEXT,
        kind                TEXT NOT NULL CHECK (kind IN ('root', 'standard')),
        state               INTEGER NOT NULL CHECK (state IN (1, 2, 3, 5)),
        imported            INTEGER NOT NULL,
        created_at          INTEGER NOT NULL,
        updated_at          INTEGER NOT NULL,
        rotated_at          INTEGER,
        deleted_at          INTEGER,
        expires_at          INTEGER,
        version_id          BLOB NOT NULL,
        version_created_at  INTEGER NOT NULL
    );
    CREATE INDEX keys_by_state_and_age ON keys (state, created_at DESC, id DESC);
    CREATE INDEX keys_by_age ON keys (created_at DESC, id DESC);

    CREATE TABLE key_versions (
        id          BLOB PRIMARY KEY CHECK (length(id) = 16),
        key_id      BLOB NOT NULL REFERENCES keys (id),
        created_at  INTEGER NOT NULL,
        sealed      BLOB NOT NULL
    );
    CREATE INDEX key_versions_by_key ON key_versions (key_id, created_at);
    "#,
];

/// The schema version this build writes.
pub(crate) const CURRENT: u32 = MIGRATIONS.len() as u32;

pub(crate) fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    let found: u32 = conn.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    if found > CURRENT {
        return Err(StoreError::SchemaTooNew {
            path: path.to_owned(),
            found,
            supported: CURRENT,
        });
    }
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", index as u32 + 1)?;
        tx.commit()?;
        tracing::info!(version = index + 1, "applied keystore schema migration");
    }
    Ok(())
}
