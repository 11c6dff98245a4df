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
    // 2: instances, key rings, aliases, policies, identities, authorizations, registrations
    // and the hash-chained audit trail. Keys of a version-1 store belong to the instance
    // `SqliteStore::ensure_default_instance` creates (instance_id '' until then).
    r#"
    CREATE TABLE instances (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  INTEGER NOT NULL
    ) WITHOUT ROWID;

    ALTER TABLE keys ADD COLUMN instance_id TEXT NOT NULL DEFAULT '';
    ALTER TABLE keys ADD COLUMN key_ring TEXT NOT NULL DEFAULT 'default';
    ALTER TABLE keys ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    ALTER TABLE keys ADD COLUMN deleted_by TEXT;
    ALTER TABLE keys ADD COLUMN dual_auth_delete INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE keys ADD COLUMN deletion_authorized_by TEXT;
    ALTER TABLE keys ADD COLUMN deletion_authorization_expires_at INTEGER;
    ALTER TABLE keys ADD COLUMN rotation_enabled INTEGER;
    ALTER TABLE keys ADD COLUMN rotation_interval_months INTEGER;
    DROP INDEX keys_by_state_and_age;
    DROP INDEX keys_by_age;
    CREATE INDEX keys_by_instance_state ON keys (instance_id, state, created_at DESC, id DESC);
    CREATE INDEX keys_by_instance_ring ON keys (instance_id, key_ring, state, created_at DESC);

    CREATE TABLE key_rings (
        instance_id TEXT NOT NULL,
        id          TEXT NOT NULL,
        created_at  INTEGER NOT NULL,
        created_by  TEXT NOT NULL,
        PRIMARY KEY (instance_id, id)
    ) WITHOUT ROWID;

    CREATE TABLE key_aliases (
        instance_id TEXT NOT NULL,
        alias       TEXT NOT NULL,
        key_id      BLOB NOT NULL REFERENCES keys (id),
        created_at  INTEGER NOT NULL,
        created_by  TEXT NOT NULL,
        PRIMARY KEY (instance_id, alias)
    ) WITHOUT ROWID;
    CREATE INDEX key_aliases_by_key ON key_aliases (key_id);

    CREATE TABLE instance_policies (
        instance_id TEXT NOT NULL,
        policy_type TEXT NOT NULL,
        enabled     INTEGER NOT NULL,
        attributes  TEXT,
        created_at  INTEGER NOT NULL,
        created_by  TEXT NOT NULL,
        updated_at  INTEGER NOT NULL,
        updated_by  TEXT NOT NULL,
        PRIMARY KEY (instance_id, policy_type)
    ) WITHOUT ROWID;

    CREATE TABLE principals (
        iam_id           TEXT PRIMARY KEY,
        kind             TEXT NOT NULL CHECK (kind IN ('user', 'service')),
        name             TEXT NOT NULL,
        service_name     TEXT,
        service_instance TEXT,
        created_at       INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE api_keys (
        id          TEXT PRIMARY KEY,
        iam_id      TEXT NOT NULL REFERENCES principals (iam_id),
        name        TEXT NOT NULL,
        digest      BLOB NOT NULL UNIQUE,
        created_at  INTEGER NOT NULL,
        revoked_at  INTEGER
    ) WITHOUT ROWID;

    CREATE TABLE access_policies (
        id               TEXT PRIMARY KEY,
        type             TEXT NOT NULL CHECK (type IN ('access', 'authorization')),
        subject_iam_id   TEXT,
        source_service   TEXT,
        source_instance  TEXT,
        instance_id      TEXT,
        key_ring         TEXT,
        key_id           TEXT,
        roles            TEXT NOT NULL,
        description      TEXT,
        created_at       INTEGER NOT NULL,
        created_by       TEXT NOT NULL,
        updated_at       INTEGER NOT NULL,
        updated_by       TEXT NOT NULL,
        revision         INTEGER NOT NULL
    ) WITHOUT ROWID;

    CREATE TABLE registrations (
        key_id       BLOB NOT NULL REFERENCES keys (id),
        resource_crn TEXT NOT NULL,
        instance_id  TEXT NOT NULL,
        service      TEXT NOT NULL,
        key_version  BLOB NOT NULL,
        created_at   INTEGER NOT NULL,
        updated_at   INTEGER NOT NULL,
        PRIMARY KEY (key_id, resource_crn)
    ) WITHOUT ROWID;
    CREATE INDEX registrations_by_instance ON registrations (instance_id, updated_at DESC);

    CREATE TABLE audit_events (
        seq            INTEGER PRIMARY KEY,
        at             INTEGER NOT NULL,
        instance_id    TEXT NOT NULL,
        initiator      TEXT NOT NULL,
        action         TEXT NOT NULL,
        target         TEXT NOT NULL,
        outcome        TEXT NOT NULL,
        correlation_id TEXT NOT NULL,
        hash           BLOB NOT NULL
    );
    "#,
    // 3: listing a large instance. A page's total came from count(*) over every matching
    // key (half a second at a million keys); `key_counts` keeps it per instance, ring, kind
    // and state, maintained by triggers in the same transaction as the change, so a listing
    // sums at most a few hundred rows. Newest-first pages over all states walk
    // `keys_by_instance_age` instead of sorting; the ring index gains `id` so a ring's page is
    // read in order too.
    r#"
    CREATE TABLE key_counts (
        instance_id TEXT NOT NULL,
        key_ring    TEXT NOT NULL,
        kind        TEXT NOT NULL,
        state       INTEGER NOT NULL,
        n           INTEGER NOT NULL,
        PRIMARY KEY (instance_id, key_ring, kind, state)
    ) WITHOUT ROWID;
    INSERT INTO key_counts (instance_id, key_ring, kind, state, n)
        SELECT instance_id, key_ring, kind, state, count(*) FROM keys
        GROUP BY instance_id, key_ring, kind, state;

    CREATE TRIGGER key_counts_after_insert AFTER INSERT ON keys BEGIN
        INSERT INTO key_counts (instance_id, key_ring, kind, state, n)
            VALUES (NEW.instance_id, NEW.key_ring, NEW.kind, NEW.state, 1)
            ON CONFLICT (instance_id, key_ring, kind, state) DO UPDATE SET n = n + 1;
    END;
    CREATE TRIGGER key_counts_after_delete AFTER DELETE ON keys BEGIN
        UPDATE key_counts SET n = n - 1
            WHERE instance_id = OLD.instance_id AND key_ring = OLD.key_ring
              AND kind = OLD.kind AND state = OLD.state;
    END;
    CREATE TRIGGER key_counts_after_update AFTER UPDATE OF instance_id, key_ring, kind, state
        ON keys BEGIN
        UPDATE key_counts SET n = n - 1
            WHERE instance_id = OLD.instance_id AND key_ring = OLD.key_ring
              AND kind = OLD.kind AND state = OLD.state;
        INSERT INTO key_counts (instance_id, key_ring, kind, state, n)
            VALUES (NEW.instance_id, NEW.key_ring, NEW.kind, NEW.state, 1)
            ON CONFLICT (instance_id, key_ring, kind, state) DO UPDATE SET n = n + 1;
    END;

    CREATE INDEX keys_by_instance_age ON keys (instance_id, created_at DESC, id DESC);
    DROP INDEX keys_by_instance_ring;
    CREATE INDEX keys_by_instance_ring ON keys
        (instance_id, key_ring, state, created_at DESC, id DESC);
    "#,
    // 4: the console sorts by name in the keystore; without an index a page of a 100,000-key
    // instance sorted by name took most of a second (a sort of every matching row).
    r#"
    CREATE INDEX keys_by_instance_name ON keys (instance_id, name COLLATE NOCASE, id);
    "#,
    // 5: how many ciphertexts each key version has made and opened, for the console's versions
    // table ("is anything still wrapped under the old version?"). Counting starts when a
    // keystore reaches this version (counted per batch until 8, from the trail since).
    r#"
    CREATE TABLE version_use (
        version_id   BLOB PRIMARY KEY,
        key_id       BLOB NOT NULL,
        wraps        INTEGER NOT NULL,
        unwraps      INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX version_use_by_key ON version_use (key_id);
    "#,
    // 6: the audit trail names the key version a wrap, unwrap or rewrap used and the network
    // address a call came from (empty for in-process calls and rows written before this).
    // The chain hashes each only when set, so rows written before still verify.
    r#"
    ALTER TABLE audit_events ADD COLUMN key_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE audit_events ADD COLUMN source TEXT NOT NULL DEFAULT '';
    "#,
    // 7: the trail's calls counted per instance, hour and action, for the console's activity
    // chart: a day of a rare action (rewrap) was a walk through the whole trail, and a busy
    // hour's wraps overflowed the chart's page of events. `activity_counted` marks the last
    // row counted; the audit writer counts the rows after it about once a second, and readers
    // add those rows themselves. The trail so far is counted here.
    r#"
    CREATE TABLE activity_hourly (
        instance_id TEXT NOT NULL,
        hour        INTEGER NOT NULL,
        action      TEXT NOT NULL,
        calls       INTEGER NOT NULL,
        failures    INTEGER NOT NULL,
        PRIMARY KEY (instance_id, hour, action)
    ) WITHOUT ROWID;
    INSERT INTO activity_hourly (instance_id, hour, action, calls, failures)
        SELECT instance_id, at / 3600000000, action, count(*), sum(outcome != 'success')
        FROM audit_events
        WHERE typeof(at) = 'integer' AND at >= 0 AND typeof(instance_id) = 'text'
          AND typeof(action) = 'text'
        GROUP BY 1, 2, 3;
    CREATE TABLE activity_counted (seq INTEGER NOT NULL);
    INSERT INTO activity_counted (seq) SELECT coalesce(max(seq), 0) FROM audit_events;
    "#,
    // 8: the uses of each key version are counted from the trail with the activity, past one
    // mark, rather than in every batch of the audit writer (one more page to the WAL per
    // commit). Until now `version_use` counted every row as it was written, so the activity is
    // brought up to the last row here and the new mark, `trail_counted`, starts there.
    // New tables rather than changed ones: a process of the previous release still running on
    // this store (a desktop left open while `serve` upgrades it) keeps writing `version_use`
    // in every batch, which nothing reads any more, and its activity count finds no
    // `activity_counted`, fails inside its savepoint and counts nothing; so no row is counted
    // twice or skipped, and its batches still commit. `version_use` goes in a later version.
    // `keys_with_rotation_policy` lets the hourly look for keys due for rotation read only the
    // keys that have a policy.
    r#"
    INSERT INTO activity_hourly (instance_id, hour, action, calls, failures)
        SELECT instance_id, at / 3600000000, action, count(*), sum(outcome != 'success')
        FROM audit_events
        WHERE seq > (SELECT seq FROM activity_counted)
          AND typeof(at) = 'integer' AND at >= 0 AND typeof(instance_id) = 'text'
          AND typeof(action) = 'text'
        GROUP BY 1, 2, 3
        ON CONFLICT (instance_id, hour, action) DO UPDATE SET
            calls = calls + excluded.calls, failures = failures + excluded.failures;
    CREATE TABLE trail_counted (seq INTEGER NOT NULL);
    INSERT INTO trail_counted (seq)
        SELECT max((SELECT seq FROM activity_counted),
                   (SELECT coalesce(max(seq), 0) FROM audit_events));
    DROP TABLE activity_counted;
    CREATE TABLE key_version_use (
        version_id   BLOB PRIMARY KEY,
        key_id       BLOB NOT NULL,
        wraps        INTEGER NOT NULL,
        unwraps      INTEGER NOT NULL,
        last_used_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX key_version_use_by_key ON key_version_use (key_id);
    INSERT INTO key_version_use SELECT version_id, key_id, wraps, unwraps, last_used_at
        FROM version_use;
    CREATE INDEX keys_with_rotation_policy ON keys (instance_id, id) WHERE rotation_enabled = 1;
    "#,
    // 9: a key past its expiration date is deactivated although its row still says active or
    // suspended. A listing by state finds those keys here, and corrects the `key_counts`
    // total by them from the index alone (it holds every column of `key_counts`), reading
    // only keys that have an expiration date.
    r#"
    CREATE INDEX keys_expiring ON keys (instance_id, expires_at, key_ring, kind, state)
        WHERE state IN (1, 2) AND expires_at IS NOT NULL;
    "#,
    // 10: services write registrations themselves (Key Protect's registration API), with a
    // description for people, metadata of their own, and a retention hold on the key's
    // deletion. Rows recorded from use keep their first user as creator.
    r#"
    ALTER TABLE registrations ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
    UPDATE registrations SET created_by = service;
    ALTER TABLE registrations ADD COLUMN description TEXT NOT NULL DEFAULT '';
    ALTER TABLE registrations ADD COLUMN prevent_key_deletion INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE registrations ADD COLUMN metadata TEXT;
    "#,
];

/// The schema version a store is at once opened (migrations applied).
pub const CURRENT: u32 = MIGRATIONS.len() as u32;

/// Applies the migrations up to `version` only: a keystore as an earlier release left it.
#[cfg(test)]
pub(crate) fn migrate_to(conn: &mut Connection, version: u32) -> Result<(), StoreError> {
    for (index, sql) in MIGRATIONS.iter().enumerate().take(version as usize) {
        apply(conn, index, sql)?;
    }
    Ok(())
}

fn apply(conn: &mut Connection, index: usize, sql: &str) -> Result<(), StoreError> {
    let tx = conn.transaction()?;
    tx.execute_batch(sql)?;
    tx.pragma_update(None, "user_version", index as u32 + 1)?;
    tx.commit()?;
    Ok(())
}

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
        apply(conn, index, sql)?;
        tracing::info!(version = index + 1, "applied keystore schema migration");
    }
    Ok(())
}
