//! The SQLite keystore against a real database file in a temporary directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use std::sync::Arc;
use strongroom_core::envelope::{self, Envelope};

use strongroom_core::{
    Alias, AuditEvent, Change, Clock, CoreError, Expiry, Key, KeyKind, KeyMaterial, KeyName,
    KeyOrder, KeyQuery, KeyRepository, KeyRingId, KeySort, KeyState, KeyVersionId, NewKey, Outcome,
    RotationDue, RotationPolicy, SystemClock, VirtualClock,
};
use strongroom_store::{
    AuditQuery, ChainVerdict, InstanceStore, MasterKeySource, RegistrationFields,
    RegistrationWrite, SqliteStore, StoreError,
};
use zeroize::Zeroizing;

fn key_file(dir: &Path) -> MasterKeySource {
    MasterKeySource::File(dir.join("master.key"))
}

/// The first instance of the store in `dir`.
fn open(data: &Path, dir: &Path) -> InstanceStore {
    let store = Arc::new(SqliteStore::open(data, &key_file(dir)).unwrap());
    let id = store
        .ensure_default_instance(
            Some("11111111-1111-4111-8111-111111111111"),
            SystemClock.now(),
        )
        .unwrap();
    store.instance(&id).unwrap()
}

fn ev(action: &str) -> AuditEvent {
    AuditEvent {
        at: SystemClock.now(),
        instance: "i".into(),
        initiator: "IBMid-test".into(),
        action: action.into(),
        target: String::new(),
        outcome: Outcome::Success,
        correlation_id: "c".into(),
        key_version: String::new(),
        source: String::new(),
    }
}

/// Calls of `action` on instance `i` in the hours `from..=to`, as the activity read counts them.
fn calls_of(store: &InstanceStore, action: &str, from: i64, to: i64) -> u64 {
    store
        .store()
        .activity("i", from, to)
        .unwrap()
        .iter()
        .filter(|record| record.action == action)
        .map(|record| record.calls)
        .sum()
}

/// One number read from the keystore file on a connection of its own.
fn number(file: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(file)
        .unwrap()
        .query_row(sql, [], |row| row.get(0))
        .unwrap()
}

fn new_key(name: &str, kind: KeyKind) -> Key {
    Key::create(
        NewKey {
            name: KeyName::parse(name).unwrap(),
            description: None,
            kind,
            expiry: None,
            key_ring: KeyRingId::default_ring(),
            aliases: Vec::new(),
            created_by: "IBMid-test".into(),
            dual_auth_delete: false,
            rotation: None,
        },
        false,
        SystemClock.now(),
    )
}

#[test]
fn keys_and_material_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key = new_key("orders", KeyKind::Root);
    let ciphertext = {
        let store = open(&data, dir.path());
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        let material = store.material(key.id, key.current_version.id).unwrap();
        envelope::wrap(&material, key.current_version.id, b"a dek", &["tenant"]).unwrap()
    };

    let store = open(&data, dir.path());
    assert_eq!(
        store.key(key.id).unwrap(),
        key,
        "metadata must round-trip exactly"
    );
    let env = Envelope::parse(&ciphertext).unwrap();
    let material = store.material(key.id, env.version()).unwrap();
    assert_eq!(env.open(&material, &["tenant"]).unwrap().expose(), b"a dek");
}

#[test]
fn the_write_ahead_log_is_written_back_off_the_request_path() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = open(&data, dir.path());
    let db = data.join(strongroom_store::DATABASE_FILE);
    let before = std::fs::metadata(&db).unwrap().len();
    // Commits stop at the WAL (no request pays for a checkpoint) ...
    let mut last = None;
    for i in 0..300 {
        let key = new_key(&format!("wal-{i}"), KeyKind::Root);
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        last = Some(key);
    }
    // ... and the checkpointer copies them into the database file while the store is open.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::fs::metadata(&db).unwrap().len() <= before {
        assert!(
            std::time::Instant::now() < deadline,
            "nothing was written back to {} within 10 s",
            db.display()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let last = last.unwrap();
    assert_eq!(store.key(last.id).unwrap(), last);
}

#[test]
fn the_database_file_holds_no_key_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let store = open(&data, dir.path());
    let secret: Vec<u8> = (0u8..32)
        .map(|i| i.wrapping_mul(37).wrapping_add(11))
        .collect();
    let key = new_key("imported", KeyKind::Root);
    store
        .insert(
            &key,
            &KeyMaterial::root(Zeroizing::new(secret.clone())).unwrap(),
            &ev("create"),
        )
        .unwrap();
    // The material is retrievable, so it is stored somewhere...
    assert_eq!(
        store
            .material(key.id, key.current_version.id)
            .unwrap()
            .expose(),
        &secret[..]
    );
    drop(store);
    // ...but in no file of the data directory (database, WAL or shared memory) in the clear.
    let mut scanned = 0;
    for entry in std::fs::read_dir(&data).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        scanned += bytes.len();
        assert!(
            !bytes
                .windows(16)
                .any(|w| secret.windows(16).any(|s| s == w)),
            "16 or more consecutive key bytes found in the data directory"
        );
    }
    assert!(
        scanned > 4096,
        "expected a real database to scan, found {scanned} bytes"
    );
}

#[test]
fn a_different_master_key_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    std::fs::remove_file(dir.path().join("master.key")).unwrap();
    let err = SqliteStore::open(&data, &key_file(dir.path()))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::MasterKeyMissing { .. }), "{err}");

    let other = tempfile::tempdir().unwrap();
    SqliteStore::open(&other.path().join("d"), &key_file(other.path())).unwrap();
    let err = SqliteStore::open(&data, &key_file(other.path()))
        .err()
        .unwrap();
    assert!(matches!(err, StoreError::MasterKeyMismatch { .. }), "{err}");
}

#[test]
fn material_of_another_keys_version_is_wrong_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let a = new_key("alpha", KeyKind::Root);
    let b = new_key("bravo", KeyKind::Root);
    store
        .insert(&a, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    store
        .insert(&b, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    assert!(matches!(
        store.material(a.id, b.current_version.id),
        Err(CoreError::WrongKey { .. })
    ));
}

#[test]
fn rotation_adds_a_version_in_the_same_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let key = new_key("rotating", KeyKind::Root);
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let now = SystemClock.now();
    let rotated = store
        .update(
            key.id,
            &mut |k| {
                let version = k.rotate(now, false)?;
                Ok(Change::NewVersion(version, KeyMaterial::generate()?))
            },
            &ev("rotate"),
        )
        .unwrap();
    let versions = store.versions(key.id).unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[1].id, rotated.current_version.id);
    assert_eq!(
        store.key(key.id).unwrap().current_version,
        rotated.current_version
    );
    store.material(key.id, versions[0].id).unwrap();

    // A failing change writes nothing.
    let err = store
        .update(
            key.id,
            &mut |k| {
                let version = k.rotate(now, false)?;
                Ok(Change::NewVersion(version, KeyMaterial::generate()?))
            },
            &ev("rotate"),
        )
        .unwrap_err();
    assert!(matches!(err, CoreError::RotationTooSoon(_)));
    assert_eq!(store.versions(key.id).unwrap().len(), 2);
}

#[test]
fn listing_filters_searches_and_pages_in_storage() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let mut ids = Vec::new();
    for i in 0..25 {
        let key = new_key(&format!("key-{i:02}"), KeyKind::Root);
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        ids.push(key.id);
    }
    let now = SystemClock.now();
    store
        .update(
            ids[0],
            &mut |k| k.disable(now).map(|()| Change::Metadata),
            &ev("disable"),
        )
        .unwrap();
    store
        .update(
            ids[1],
            &mut |k| k.delete(now, "IBMid-test").map(|()| Change::Metadata),
            &ev("delete"),
        )
        .unwrap();

    let page = store
        .list(&KeyQuery {
            limit: 10,
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(page.total, 24, "destroyed keys are hidden unless asked for");
    assert_eq!(page.keys.len(), 10);
    let last = store
        .list(&KeyQuery {
            offset: 20,
            limit: 10,
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(last.keys.len(), 4);

    let suspended = store
        .list(&KeyQuery {
            states: vec![KeyState::Suspended],
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(
        suspended.keys.iter().map(|k| k.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );

    let found = store
        .list(&KeyQuery {
            search: Some("KEY-1".into()),
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(found.total, 10, "key-10..key-19, case-insensitive");
    let percent = store
        .list(&KeyQuery {
            search: Some("%".into()),
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(percent.total, 0, "LIKE wildcards in a search are literal");
    let by_id = store
        .list(&KeyQuery {
            search: Some(ids[5].to_string()),
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(by_id.keys[0].id, ids[5]);
}

/// The console's Imported, Dual authorization and Rotation due filters select in SQL exactly
/// the keys the domain's own predicates pick, and count them too.
#[test]
fn listing_filters_by_origin_dual_authorization_and_rotation_due() {
    use time::Duration;
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let now = SystemClock.now();
    let mut keys = Vec::new();
    for (i, (kind, imported, dual, policy, age_days)) in [
        (KeyKind::Root, false, false, None, 400),
        (KeyKind::Root, true, false, Some((true, 3)), 100), // due: 100 days ≥ 90
        (KeyKind::Root, false, true, Some((true, 3)), 80),  // not yet
        (KeyKind::Root, false, false, Some((false, 1)), 400), // policy off
        (KeyKind::Standard, false, true, None, 400),
        (KeyKind::Root, true, true, Some((true, 12)), 360), // due: exactly 12 × 30 days
        (KeyKind::Root, false, false, Some((true, 1)), 29),
    ]
    .into_iter()
    .enumerate()
    {
        let key = Key::create(
            NewKey {
                name: KeyName::parse(&format!("k{i}")).unwrap(),
                description: None,
                kind,
                expiry: None,
                key_ring: KeyRingId::default_ring(),
                aliases: Vec::new(),
                created_by: "IBMid-test".into(),
                dual_auth_delete: dual,
                rotation: policy.map(|(on, months)| RotationPolicy::new(on, months).unwrap()),
            },
            imported,
            now - Duration::days(age_days),
        );
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        keys.push(key);
    }
    let listed = |query: KeyQuery| {
        let page = store.list(&query).unwrap();
        let mut names: Vec<String> = page
            .keys
            .iter()
            .map(|k| k.name.as_str().to_owned())
            .collect();
        names.sort();
        assert_eq!(
            page.total as usize,
            names.len(),
            "the total counts the same keys"
        );
        names
    };
    let expected = |pick: &dyn Fn(&Key) -> bool| {
        let mut names: Vec<String> = keys
            .iter()
            .filter(|k| pick(k))
            .map(|k| k.name.as_str().to_owned())
            .collect();
        names.sort();
        names
    };
    for wanted in [true, false] {
        assert_eq!(
            listed(KeyQuery {
                imported: Some(wanted),
                ..KeyQuery::default()
            }),
            expected(&|k| k.imported == wanted)
        );
        assert_eq!(
            listed(KeyQuery {
                dual_auth_delete: Some(wanted),
                ..KeyQuery::default()
            }),
            expected(&|k| k.dual_auth_delete == wanted)
        );
        assert_eq!(
            listed(KeyQuery {
                rotation_due: Some(RotationDue {
                    at: now,
                    due: wanted
                }),
                ..KeyQuery::default()
            }),
            expected(&|k| k.rotation_due(now) == wanted)
        );
    }
    assert_eq!(
        listed(KeyQuery {
            rotation_due: Some(RotationDue { at: now, due: true }),
            ..KeyQuery::default()
        }),
        ["k1", "k5"],
        "the grid above has two due keys, so the comparison is not vacuous"
    );
    // Filters combine with each other and with the search.
    assert_eq!(
        listed(KeyQuery {
            imported: Some(true),
            dual_auth_delete: Some(true),
            search: Some("k".into()),
            ..KeyQuery::default()
        }),
        ["k5"]
    );
}

/// Key Protect's search prefixes, on names and aliases, in storage.
#[test]
fn search_understands_not_exact_name_alias_and_escape() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let named = |name: &str, aliases: &[&str]| {
        let mut key = new_key(name, KeyKind::Root);
        key.aliases = aliases.iter().map(|a| Alias::parse(a).unwrap()).collect();
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        key.id
    };
    let payments = named("payments", &["billing-root"]);
    let payments_eu = named("payments-eu", &[]);
    let billing = named("billing", &["pay-root"]);
    let notes = named("not:a-prefix", &[]);
    let found = |search: &str| {
        let mut ids: Vec<_> = store
            .list(&KeyQuery {
                search: Some(search.into()),
                ..KeyQuery::default()
            })
            .unwrap()
            .keys
            .into_iter()
            .map(|k| k.id)
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<_>| {
        ids.sort();
        ids
    };
    assert_eq!(found("pay"), sorted(vec![payments, payments_eu, billing]));
    assert_eq!(found("name:pay"), sorted(vec![payments, payments_eu]));
    assert_eq!(found("alias:pay"), vec![billing]);
    assert_eq!(found("exact:payments"), vec![payments]);
    assert_eq!(
        found("exact:PAYMENTS"),
        Vec::new(),
        "exact is case-sensitive"
    );
    assert_eq!(found("alias:exact:billing-root"), vec![payments]);
    assert_eq!(found("name:alias:billing"), sorted(vec![payments, billing]));
    assert_eq!(found("not:pay"), vec![notes]);
    assert_eq!(
        found("not:exact:name:payments"),
        sorted(vec![payments_eu, billing, notes])
    );
    assert_eq!(found("escape:not:a"), vec![notes]);
    assert_eq!(
        found(&format!("not:{billing}")).len(),
        3,
        "not: an id leaves the others"
    );
}

fn total(store: &InstanceStore, query: KeyQuery) -> u64 {
    store.list(&query).unwrap().total
}

#[test]
fn list_totals_follow_creates_state_changes_moves_and_purges() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let ring = KeyRingId::parse("payments").unwrap();
    store.create_key_ring(&ring, &ev("ring")).unwrap();
    let batch: Vec<_> = (0..6)
        .map(|i| {
            let kind = if i < 4 {
                KeyKind::Root
            } else {
                KeyKind::Standard
            };
            let key = new_key(&format!("batch-{i}"), kind);
            (key, KeyMaterial::generate().unwrap(), ev("create"))
        })
        .collect();
    store.insert_many(&batch).unwrap();
    let ids: Vec<_> = batch.iter().map(|(k, _, _)| k.id).collect();
    let active_roots = || KeyQuery {
        states: vec![KeyState::Active],
        kind: Some(KeyKind::Root),
        ..KeyQuery::default()
    };
    assert_eq!(total(&store, KeyQuery::default()), 6);
    assert_eq!(total(&store, active_roots()), 4);

    let now = SystemClock.now();
    store
        .update(
            ids[0],
            &mut |k| k.disable(now).map(|()| Change::Metadata),
            &ev("disable"),
        )
        .unwrap();
    assert_eq!(total(&store, active_roots()), 3, "a disabled key leaves");
    store
        .update(
            ids[1],
            &mut |k| {
                k.key_ring = ring.clone();
                Ok(Change::Metadata)
            },
            &ev("move"),
        )
        .unwrap();
    let in_ring = KeyQuery {
        key_rings: Some(vec![ring.clone()]),
        ..KeyQuery::default()
    };
    assert_eq!(
        total(&store, in_ring.clone()),
        1,
        "a moved key counts in its new ring"
    );
    store
        .update(
            ids[2],
            &mut |k| k.delete(now, "IBMid-test").map(|()| Change::Metadata),
            &ev("delete"),
        )
        .unwrap();
    assert_eq!(total(&store, KeyQuery::default()), 5);
    store.purge(ids[2], &mut |_| Ok(()), &ev("purge")).unwrap();
    let everything = KeyQuery {
        states: vec![
            KeyState::Active,
            KeyState::Suspended,
            KeyState::Deactivated,
            KeyState::Destroyed,
        ],
        ..KeyQuery::default()
    };
    assert_eq!(
        total(&store, everything),
        5,
        "a purged key is gone from the counts"
    );
    assert_eq!(
        total(
            &store,
            KeyQuery {
                search: Some("batch".into()),
                ..KeyQuery::default()
            }
        ),
        5,
        "a search counts the matching keys themselves"
    );
}

/// A key past its expiration date is deactivated (`Key::state_at`) although its row still
/// says active or suspended: a listing by state finds it where the domain says it is, and the
/// total counts it there, for every combination of states, with and without the filters that
/// the counter table covers.
#[test]
fn listing_by_state_judges_expiry_as_the_domain_does() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let ring = KeyRingId::parse("payments").unwrap();
    store.create_key_ring(&ring, &ev("ring")).unwrap();
    let now = SystemClock.now();
    let past = Some(Expiry::from_stored(now - time::Duration::hours(1)));
    let future = Some(Expiry::from_stored(now + time::Duration::days(1)));
    // (name, kind, ring, expiry, then suspended or deleted)
    let shapes = [
        ("live", KeyKind::Root, false, None, ""),
        ("expired", KeyKind::Root, false, past, ""),
        ("expired-suspended", KeyKind::Root, false, past, "disable"),
        ("expires-later", KeyKind::Root, false, future, ""),
        (
            "expired-standard-in-ring",
            KeyKind::Standard,
            true,
            past,
            "",
        ),
        ("expired-deleted", KeyKind::Root, true, past, "delete"),
        ("suspended", KeyKind::Root, true, None, "disable"),
    ];
    for (name, kind, in_ring, expiry, then) in shapes {
        let mut key = new_key(name, kind);
        key.expiry = expiry;
        if in_ring {
            key.key_ring = ring.clone();
        }
        if then == "disable" {
            key.state = KeyState::Suspended;
        }
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        if then == "delete" {
            store
                .update(
                    key.id,
                    &mut |k| k.delete(now, "IBMid-test").map(|()| Change::Metadata),
                    &ev("delete"),
                )
                .unwrap();
        }
    }
    let all = [
        KeyState::Active,
        KeyState::Suspended,
        KeyState::Deactivated,
        KeyState::Destroyed,
    ];
    let every_key = store
        .list(&KeyQuery {
            states: all.to_vec(),
            ..KeyQuery::default()
        })
        .unwrap()
        .keys;
    assert_eq!(every_key.len(), shapes.len());

    let mut checked = 0;
    for subset in 0..16u32 {
        let states: Vec<KeyState> = (0..4)
            .filter(|bit| subset & (1 << bit) != 0)
            .map(|bit| all[bit])
            .collect();
        let wanted = if states.is_empty() {
            &all[..3]
        } else {
            &states[..]
        };
        for (scope, query) in [
            ("all keys", KeyQuery::default()),
            (
                "root keys",
                KeyQuery {
                    kind: Some(KeyKind::Root),
                    ..KeyQuery::default()
                },
            ),
            (
                "the ring",
                KeyQuery {
                    key_rings: Some(vec![ring.clone()]),
                    ..KeyQuery::default()
                },
            ),
            (
                "generated keys (rows counted)",
                KeyQuery {
                    imported: Some(false),
                    ..KeyQuery::default()
                },
            ),
        ] {
            let query = KeyQuery {
                states: states.clone(),
                states_at: Some(now),
                ..query
            };
            let mut expected: Vec<String> = every_key
                .iter()
                .filter(|k| wanted.contains(&k.state_at(now)))
                .filter(|k| query.kind.is_none_or(|kind| k.kind == kind))
                .filter(|k| {
                    query
                        .key_rings
                        .as_ref()
                        .is_none_or(|rings| rings.contains(&k.key_ring))
                })
                .map(|k| k.name.as_str().to_owned())
                .collect();
            expected.sort();
            let page = store.list(&query).unwrap();
            let mut listed: Vec<String> = page
                .keys
                .iter()
                .map(|k| k.name.as_str().to_owned())
                .collect();
            listed.sort();
            assert_eq!(listed, expected, "{states:?} over {scope}");
            assert_eq!(page.total, expected.len() as u64, "{states:?} over {scope}");
            checked += 1;
        }
    }
    assert_eq!(checked, 64);

    // Without a time, the stored states alone.
    let stored_active = store
        .list(&KeyQuery {
            states: vec![KeyState::Active],
            ..KeyQuery::default()
        })
        .unwrap();
    assert_eq!(stored_active.total, 4);
    assert_eq!(stored_active.keys.len(), 4);
}

#[test]
fn a_failing_batch_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let mut second = new_key("second", KeyKind::Root);
    second.key_ring = KeyRingId::parse("no-such-ring").unwrap();
    let batch = vec![
        (
            new_key("first", KeyKind::Root),
            KeyMaterial::generate().unwrap(),
            ev("create"),
        ),
        (second, KeyMaterial::generate().unwrap(), ev("create")),
    ];
    assert!(matches!(
        store.insert_many(&batch),
        Err(CoreError::KeyRingNotFound(_))
    ));
    assert_eq!(total(&store, KeyQuery::default()), 0);
}

/// A keystore written by a build with schema version 2 (before the key counts and the age and
/// name indexes) opens, is upgraded, and lists its keys with the right totals afterwards.
#[test]
fn a_version_2_keystore_is_upgraded() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let old = new_key("from-version-2", KeyKind::Root);
    {
        let store = open(&data, dir.path());
        store
            .insert(&old, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
    }
    // Take the file back to version 2 exactly as migration 2 left it.
    let conn = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    conn.execute_batch(
        "ALTER TABLE registrations DROP COLUMN created_by;
         ALTER TABLE registrations DROP COLUMN description;
         ALTER TABLE registrations DROP COLUMN prevent_key_deletion;
         ALTER TABLE registrations DROP COLUMN metadata;
         DROP INDEX keys_expiring;
         DROP TABLE activity_hourly;
         DROP TABLE trail_counted;
         DROP TABLE key_version_use;
         DROP INDEX keys_with_rotation_policy;
         DROP TRIGGER key_counts_after_insert;
         DROP TRIGGER key_counts_after_delete;
         DROP TRIGGER key_counts_after_update;
         DROP TABLE key_counts;
         DROP INDEX keys_by_instance_name;
         DROP TABLE version_use;
         DROP INDEX keys_by_instance_age;
         DROP INDEX keys_by_instance_ring;
         CREATE INDEX keys_by_instance_ring ON keys (instance_id, key_ring, state, created_at DESC);
         ALTER TABLE audit_events DROP COLUMN key_version;
         ALTER TABLE audit_events DROP COLUMN source;
         PRAGMA user_version = 2;",
    )
    .unwrap();
    // A registration recorded from a service's use, as version 2 wrote them.
    conn.execute(
        "INSERT INTO registrations (key_id, resource_crn, instance_id, service, key_version,
            created_at, updated_at)
         SELECT id, 'crn:v1:bluemix:public:cos:global:a/local:cos-1::', instance_id,
            'iam-ServiceId-cos', version_id, created_at, created_at FROM keys",
        [],
    )
    .unwrap();
    drop(conn);

    let store = open(&data, dir.path());
    let conn = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    let version: u32 = conn
        .query_row("PRAGMA user_version", [], |row| row.get(0))
        .unwrap();
    assert_eq!(version, strongroom_store::SCHEMA_VERSION);
    assert_eq!(
        store.store().verify_audit().unwrap(),
        ChainVerdict::Intact { rows: 1 },
        "rows written before the trail kept versions and addresses still link"
    );
    assert_eq!(
        total(&store, KeyQuery::default()),
        1,
        "existing keys are counted"
    );
    store
        .insert(
            &new_key("after-upgrade", KeyKind::Root),
            &KeyMaterial::generate().unwrap(),
            &ev("create"),
        )
        .unwrap();
    let page = store.list(&KeyQuery::default()).unwrap();
    assert_eq!(page.total, 2);
    assert_eq!(page.keys.len(), 2);
    assert_eq!(store.key(old.id).unwrap(), old);
    let registrations = store.registrations(Some(old.id)).unwrap();
    assert_eq!(registrations.len(), 1);
    assert_eq!(
        (
            registrations[0].created_by.as_str(),
            registrations[0].description.as_str(),
            registrations[0].prevent_key_deletion,
            registrations[0].metadata.as_deref(),
        ),
        ("iam-ServiceId-cos", "", false, None),
        "a registration from use keeps its first user as creator and holds nothing back"
    );
    let hour = SystemClock.now().unix_timestamp() / 3600;
    assert_eq!(
        calls_of(&store, "create", hour - 1, hour),
        2,
        "the create before the upgrade and the one after"
    );
}

#[test]
fn material_read_once_is_gone_with_its_purged_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let key = new_key("cached", KeyKind::Root);
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let first = store.material(key.id, key.current_version.id).unwrap();
    let again = store.material(key.id, key.current_version.id).unwrap();
    assert_eq!(
        first.expose(),
        again.expose(),
        "the second read is the same material"
    );
    drop((first, again));

    store.purge(key.id, &mut |_| Ok(()), &ev("purge")).unwrap();
    assert!(
        matches!(
            store.material(key.id, key.current_version.id),
            Err(CoreError::WrongKey { .. })
        ),
        "a purged key's material must not be served from memory"
    );
}

#[test]
fn listing_sorts_in_storage_with_the_id_breaking_ties() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let mut ids = Vec::new();
    for name in ["b-key", "A-key", "c-key", "same", "same"] {
        let key = new_key(name, KeyKind::Root);
        store
            .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
        ids.push(key.id);
    }
    let names = |sort: Vec<KeySort>| {
        store
            .list(&KeyQuery {
                sort,
                ..KeyQuery::default()
            })
            .unwrap()
            .keys
            .into_iter()
            .map(|k| (k.name.as_str().to_owned(), k.id))
            .collect::<Vec<_>>()
    };
    let by_name = |descending| {
        vec![KeySort {
            by: KeyOrder::Name,
            descending,
        }]
    };
    let ascending = names(by_name(false));
    assert_eq!(
        ascending
            .iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>(),
        ["A-key", "b-key", "c-key", "same", "same"],
        "names sort case-insensitively"
    );
    let mut descending = names(by_name(true));
    descending.reverse();
    assert_eq!(
        descending, ascending,
        "equal names keep a stable order by id"
    );

    let now = SystemClock.now();
    store
        .update(
            ids[2],
            &mut |k| k.disable(now).map(|()| Change::Metadata),
            &ev("disable"),
        )
        .unwrap();
    let by_state = names(vec![
        KeySort {
            by: KeyOrder::State,
            descending: true,
        },
        KeySort {
            by: KeyOrder::Name,
            descending: false,
        },
    ]);
    assert_eq!(
        by_state[0].0, "c-key",
        "the suspended key (state 2) sorts first"
    );
    assert_eq!(by_state[1].0, "A-key");
}

#[test]
fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    let conn = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let err = SqliteStore::open(&data, &key_file(dir.path()))
        .err()
        .unwrap();
    assert!(
        matches!(err, StoreError::SchemaTooNew { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn secret_settings_are_sealed_and_set_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    assert!(store.secret_setting("signing-key").unwrap().is_none());
    let first = store
        .init_secret_setting("signing-key", b"first secret value!")
        .unwrap();
    let second = store.init_secret_setting("signing-key", b"second").unwrap();
    assert_eq!(first.as_slice(), b"first secret value!");
    assert_eq!(
        second.as_slice(),
        b"first secret value!",
        "the first value stays in force"
    );
    store.set_setting("admin", b"digest").unwrap();
    drop(store);

    for entry in std::fs::read_dir(&data).unwrap() {
        let raw = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(
            !raw.windows(19).any(|w| w == b"first secret value!"),
            "sealed at rest"
        );
    }
    let store = SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    assert_eq!(
        store
            .secret_setting("signing-key")
            .unwrap()
            .unwrap()
            .as_slice(),
        b"first secret value!"
    );
    assert_eq!(store.setting("admin").unwrap().unwrap(), b"digest");
}

#[test]
fn instances_do_not_see_each_others_keys() {
    let dir = tempfile::tempdir().unwrap();
    let first = open(&dir.path().join("d"), dir.path());
    let store = Arc::clone(first.store());
    let other_id = "22222222-2222-4222-8222-222222222222";
    store
        .create_instance(
            other_id,
            "other",
            SystemClock.now(),
            &ev("kms.instance.create"),
        )
        .unwrap();
    let other = store.instance(other_id).unwrap();
    let key = new_key("first-only", KeyKind::Root);
    first
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    assert!(matches!(other.key(key.id), Err(CoreError::KeyNotFound(_))));
    assert!(matches!(
        other.material(key.id, key.current_version.id),
        Err(CoreError::WrongKey { .. })
    ));
    assert_eq!(other.list(&KeyQuery::default()).unwrap().total, 0);
    assert_eq!(first.list(&KeyQuery::default()).unwrap().total, 1);
    assert!(matches!(
        store.instance("33333333-3333-4333-8333-333333333333"),
        Err(StoreError::InstanceNotFound(_))
    ));
}

#[test]
fn aliases_resolve_and_are_unique_per_instance() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let mut a = new_key("alpha", KeyKind::Root);
    a.aliases = vec![Alias::parse("billing").unwrap()];
    store
        .insert(&a, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    assert_eq!(store.resolve("billing").unwrap(), a.id);
    assert_eq!(store.key(a.id).unwrap().aliases, a.aliases);
    let mut b = new_key("bravo", KeyKind::Root);
    b.aliases = vec![Alias::parse("billing").unwrap()];
    assert!(matches!(
        store.insert(&b, &KeyMaterial::generate().unwrap(), &ev("create")),
        Err(CoreError::AliasTaken(_))
    ));
    assert!(
        matches!(store.key(b.id), Err(CoreError::KeyNotFound(_))),
        "nothing half-written"
    );
    assert!(matches!(
        store.resolve("nobody"),
        Err(CoreError::AliasNotFound(_))
    ));
}

#[test]
fn key_rings_hold_keys_and_refuse_deletion_while_used() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let ring = KeyRingId::parse("payments").unwrap();
    store.create_key_ring(&ring, &ev("ring")).unwrap();
    assert!(matches!(
        store.create_key_ring(&ring, &ev("ring")),
        Err(CoreError::KeyRingExists(_))
    ));
    let mut key = new_key("in-ring", KeyKind::Root);
    key.key_ring = ring.clone();
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let mut stray = new_key("stray", KeyKind::Root);
    stray.key_ring = KeyRingId::parse("missing").unwrap();
    assert!(matches!(
        store.insert(&stray, &KeyMaterial::generate().unwrap(), &ev("create")),
        Err(CoreError::KeyRingNotFound(_))
    ));
    assert!(matches!(
        store.delete_key_ring(&ring, true, &ev("ring")),
        Err(CoreError::KeyRingInUse(_))
    ));
    let now = SystemClock.now();
    store
        .update(
            key.id,
            &mut |k| k.delete(now, "IBMid-test").map(|()| Change::Metadata),
            &ev("delete"),
        )
        .unwrap();
    assert!(matches!(
        store.delete_key_ring(&ring, false, &ev("ring")),
        Err(CoreError::KeyRingInUse(_))
    ));
    store.delete_key_ring(&ring, true, &ev("ring")).unwrap();
    assert!(store.key(key.id).unwrap().key_ring.is_default());
    assert!(matches!(
        store.delete_key_ring(&KeyRingId::default_ring(), true, &ev("ring")),
        Err(CoreError::KeyRingInUse(_))
    ));
}

/// Changes the keystore file behind the store's back, as someone holding only the file could.
fn tamper(data: &Path, sql: &str) {
    let conn = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    conn.execute_batch(sql).unwrap();
}

/// The store in `data` reopened, and its audit chain walked.
fn verdict(data: &Path, dir: &Path) -> ChainVerdict {
    open(data, dir).store().verify_audit().unwrap()
}

#[test]
fn an_edited_or_deleted_audit_row_breaks_the_chain() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    {
        let store = open(&data, dir.path());
        for name in ["one-key", "two-key", "three-key"] {
            let key = new_key(name, KeyKind::Root);
            store
                .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
                .unwrap();
        }
        store
            .store()
            .audit_writer()
            .record(
                AuditEvent {
                    key_version: "a-version".into(),
                    source: "192.0.2.7".into(),
                    ..ev("kms.secrets.wrap")
                },
                None,
            )
            .unwrap();
        assert_eq!(
            store.store().verify_audit().unwrap(),
            ChainVerdict::Intact { rows: 4 }
        );
    }
    // The version and address are part of the link, like every other field.
    for (column, original) in [("key_version", "a-version"), ("source", "192.0.2.7")] {
        tamper(
            &data,
            &format!("UPDATE audit_events SET {column} = 'edited' WHERE seq = 4"),
        );
        assert_eq!(
            verdict(&data, dir.path()),
            ChainVerdict::Broken { at_seq: 4 },
            "{column}"
        );
        tamper(
            &data,
            &format!("UPDATE audit_events SET {column} = '{original}' WHERE seq = 4"),
        );
    }
    tamper(
        &data,
        "UPDATE audit_events SET initiator = 'IBMid-someone-else' WHERE seq = 2",
    );
    assert_eq!(
        verdict(&data, dir.path()),
        ChainVerdict::Broken { at_seq: 2 }
    );

    tamper(
        &data,
        "UPDATE audit_events SET initiator = 'IBMid-test' WHERE seq = 2;
         DELETE FROM audit_events WHERE seq = 4;",
    );
    assert_eq!(
        verdict(&data, dir.path()),
        ChainVerdict::Broken { at_seq: 4 },
        "a row cut off the end is detected by the recorded head"
    );
}

#[test]
fn a_key_read_recently_is_forgotten_by_its_next_change() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let mut key = new_key("recent", KeyKind::Root);
    key.aliases = vec![Alias::parse("orders").unwrap()];
    let other = new_key("other", KeyKind::Root);
    for k in [&key, &other] {
        store
            .insert(k, &KeyMaterial::generate().unwrap(), &ev("create"))
            .unwrap();
    }
    let id = key.id.to_string();
    assert!(
        store.recent_key(&id).is_none(),
        "nothing is known before a read"
    );

    store.key(key.id).unwrap();
    assert_eq!(store.recent_key(&id).unwrap().state, KeyState::Active);
    assert_eq!(store.recent_key("orders").unwrap().id, key.id);

    store
        .update(
            key.id,
            &mut |k| {
                k.state = KeyState::Suspended;
                Ok(Change::Metadata)
            },
            &ev("disable"),
        )
        .unwrap();
    assert!(
        store.recent_key(&id).is_none(),
        "a change is seen by the next call, not a second later"
    );

    // The alias moves to the other key: the first key's memory of it must not answer.
    store.key(key.id).unwrap();
    store
        .update(
            key.id,
            &mut |k| {
                k.aliases.clear();
                Ok(Change::Metadata)
            },
            &ev("alias removed"),
        )
        .unwrap();
    store
        .update(
            other.id,
            &mut |k| {
                k.aliases = vec![Alias::parse("orders").unwrap()];
                Ok(Change::Metadata)
            },
            &ev("alias added"),
        )
        .unwrap();
    store.key(key.id).unwrap();
    assert!(
        store.recent_key("orders").is_none(),
        "a remembered alias counts only while its key still has it"
    );
    store.key(other.id).unwrap();
    assert_eq!(store.recent_key("orders").unwrap().id, other.id);

    let elsewhere = "22222222-2222-4222-8222-222222222222";
    store
        .store()
        .create_instance(elsewhere, "elsewhere", SystemClock.now(), &ev("instance"))
        .unwrap();
    let elsewhere = store.store().instance(elsewhere).unwrap();
    assert!(
        elsewhere.recent_key(&other.id.to_string()).is_none(),
        "another instance does not see the key in memory either"
    );
}

#[test]
fn a_change_by_another_process_is_seen_within_a_second() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let server = open(&data, dir.path());
    let cli = open(&data, dir.path());
    let key = new_key("shared", KeyKind::Root);
    server
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    server.key(key.id).unwrap();
    cli.update(
        key.id,
        &mut |k| {
            k.state = KeyState::Suspended;
            Ok(Change::Metadata)
        },
        &ev("disable"),
    )
    .unwrap();
    // Within the second the server may still answer from memory (SECURITY.md); after it, it
    // must ask SQLite again.
    std::thread::sleep(std::time::Duration::from_millis(1_100));
    assert!(server.recent_key(&key.id.to_string()).is_none());
    assert_eq!(server.key(key.id).unwrap().state, KeyState::Suspended);
}

/// A successful wrap, rewrap or unwrap row of `key` at `version`, as the keystore audits it.
fn used(action: &str, key: &Key, version: KeyVersionId) -> AuditEvent {
    AuditEvent {
        target: key.id.to_string(),
        key_version: version.to_string(),
        ..ev(action)
    }
}

/// A version's use is counted from the trail's rows: exact before and after the audit writer
/// counts them, and gone with a purged key.
#[test]
fn version_uses_are_counted_from_the_trail_and_go_with_a_purged_key() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let key = new_key("counted", KeyKind::Root);
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let version = key.current_version.id;
    let writer = store.store().audit_writer();
    let refused = AuditEvent {
        outcome: Outcome::Failure("forbidden".into()),
        ..used("kms.secrets.wrap", &key, version)
    };
    let other = AuditEvent {
        key_version: String::new(),
        ..used("kms.secrets-key-versions.list", &key, version)
    };
    let receipts: Vec<_> = [
        used("kms.secrets.wrap", &key, version),
        used("kms.secrets.wrap", &key, version),
        used("kms.secrets.rewrap", &key, version),
        used("kms.secrets.unwrap", &key, version),
        refused,
        other,
    ]
    .into_iter()
    .map(|event| writer.submit(event, None).unwrap())
    .collect();
    for receipt in receipts {
        receipt.wait().unwrap();
    }
    let counts = |store: &InstanceStore| {
        let uses = store.version_uses(key.id).unwrap();
        assert_eq!(uses.len(), 1);
        (uses[0].version, uses[0].wraps, uses[0].unwraps)
    };
    assert_eq!(counts(&store), (version, 3, 1), "read from the trail");
    let data = dir.path().join("d").join("keystore.db");
    let counted = || number(&data, "SELECT count(*) FROM key_version_use");
    // The writer counts about once a second, busy or idle.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while counted() == 0 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(counted(), 1, "the writer counted the uses");
    assert_eq!(counts(&store), (version, 3, 1), "the same once counted");
    writer
        .record(used("kms.secrets.unwrap", &key, version), None)
        .unwrap();
    assert_eq!(
        counts(&store),
        (version, 3, 2),
        "counted plus the rows after"
    );

    // A count the previous release kept in `version_use` (copied by schema 8, left in place)
    // goes with the key too.
    rusqlite::Connection::open(&data)
        .unwrap()
        .execute(
            "INSERT INTO version_use (version_id, key_id, wraps, unwraps, last_used_at)
             VALUES (?1, ?2, 3, 1, 0)",
            rusqlite::params![version.as_bytes(), key.id.as_bytes()],
        )
        .unwrap();
    store.purge(key.id, &mut |_| Ok(()), &ev("purge")).unwrap();
    assert!(store.version_uses(key.id).unwrap().is_empty());
    assert_eq!(number(&data, "SELECT count(*) FROM version_use"), 0);
    // A use audited after the purge does not bring a row back for a key that is gone.
    writer
        .record(used("kms.secrets.wrap", &key, version), None)
        .unwrap();
    let before = number(&data, "SELECT seq FROM trail_counted");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while number(&data, "SELECT seq FROM trail_counted") == before
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(number(&data, "SELECT seq FROM trail_counted") > before);
    assert_eq!(counted(), 0);
}

/// The audit writer counts its rows into the hourly counters about once a second; before and
/// after, the activity read is the same.
#[test]
fn the_audit_writer_counts_the_hours_as_it_goes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = open(&data, dir.path());
    let writer = store.store().audit_writer();
    let hour = SystemClock.now().unix_timestamp() / 3600;
    let wraps = |store: &InstanceStore| calls_of(store, "kms.secrets.wrap", hour - 1, hour + 1);
    let counted = || number(&data.join("keystore.db"), "SELECT seq FROM trail_counted");
    let before = counted();
    writer.record(ev("kms.secrets.wrap"), None).unwrap();
    assert_eq!(wraps(&store), 1, "read from the trail before it is counted");
    std::thread::sleep(std::time::Duration::from_millis(1100));
    writer.record(ev("kms.secrets.wrap"), None).unwrap();
    assert!(counted() > before, "the writer counted its rows");
    assert_eq!(wraps(&store), 2);
}

/// The hourly counts are derived from the trail: when counting fails, the batch's rows are
/// still written.
#[test]
fn a_failed_count_never_costs_a_batch_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = open(&data, dir.path());
    let writer = store.store().audit_writer();
    writer.record(ev("kms.secrets.wrap"), None).unwrap();
    // Counting now fails: its mark is gone.
    rusqlite::Connection::open(data.join("keystore.db"))
        .unwrap()
        .execute_batch("DROP TABLE trail_counted")
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1100));
    writer.record(ev("kms.secrets.wrap"), None).unwrap();
    let rows = number(
        &data.join("keystore.db"),
        "SELECT count(*) FROM audit_events WHERE action = 'kms.secrets.wrap'",
    );
    assert_eq!(rows, 2);
    assert_eq!(
        store.store().verify_audit().unwrap(),
        ChainVerdict::Intact { rows: 2 }
    );
}

/// Rows appended outside the audit writer (key changes, in their own transactions) are counted
/// by the idle writer too, a window after another until none is left.
#[test]
fn an_idle_writer_counts_what_others_appended_until_none_is_left() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = open(&data, dir.path());
    let file = data.join("keystore.db");
    let at = SystemClock.now().unix_timestamp() * 1_000_000;
    {
        let mut conn = rusqlite::Connection::open(&file).unwrap();
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .unwrap();
        let tx = conn.transaction().unwrap();
        let first: i64 = tx
            .query_row(
                "SELECT coalesce(max(seq), 0) + 1 FROM audit_events",
                [],
                |r| r.get(0),
            )
            .unwrap();
        for seq in first..first + 20_000 {
            tx.execute(
                "INSERT INTO audit_events (seq, at, instance_id, initiator, action, target,
                    outcome, correlation_id, hash)
                 VALUES (?1, ?2, 'i', 'u', 'kms.secrets.create', '', 'success', '', x'00')",
                rusqlite::params![seq, at],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let waiting = || {
        number(
            &file,
            "SELECT max(seq) - (SELECT seq FROM trail_counted) FROM audit_events",
        )
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while waiting() > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "{} rows never counted",
            waiting()
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let hour = at / 3_600_000_000;
    assert_eq!(calls_of(&store, "kms.secrets.create", hour, hour), 20_000);
}

/// The store refuses to destroy a key a registration holds, inside the transaction that
/// would destroy it: a hold written after the facade looked still stops the delete. And a
/// registration is judged against the key as it is inside its own transaction.
#[test]
fn a_retention_hold_stops_the_delete_in_its_own_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let store = open(&dir.path().join("d"), dir.path());
    let key = new_key("held", KeyKind::Root);
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let crn = "crn:v1:bluemix:public:cos:global:a/local:cos-1:bucket:b";
    let hold = RegistrationFields {
        description: Some("kept".into()),
        prevent_key_deletion: Some(true),
        metadata: None,
    };
    let record = store
        .write_registration(
            key.id,
            crn,
            RegistrationWrite::Create,
            &hold,
            &mut |_| Ok(()),
            &ev("kms.registrations.create"),
        )
        .unwrap();
    assert_eq!(record.key_version, key.current_version.id);
    assert!(store.has_deletion_hold(key.id).unwrap());
    let now = SystemClock.now();
    let refused = store.update(
        key.id,
        &mut |key| key.delete(now, "IBMid-test").map(|()| Change::Metadata),
        &ev("delete"),
    );
    assert!(
        matches!(refused, Err(CoreError::DeletionPrevented(id)) if id == key.id),
        "{refused:?}"
    );
    assert_eq!(
        store.key(key.id).unwrap().state,
        KeyState::Active,
        "nothing written"
    );

    // Lifted by an update that names only the hold; the description stays.
    let lifted = store
        .write_registration(
            key.id,
            crn,
            RegistrationWrite::Update,
            &RegistrationFields {
                prevent_key_deletion: Some(false),
                ..RegistrationFields::default()
            },
            &mut |_| Ok(()),
            &ev("kms.registrations.merge"),
        )
        .unwrap();
    assert_eq!(
        (lifted.description.as_str(), lifted.prevent_key_deletion),
        ("kept", false)
    );
    store
        .update(
            key.id,
            &mut |key| key.delete(now, "IBMid-test").map(|()| Change::Metadata),
            &ev("delete"),
        )
        .unwrap();
    // The key as the transaction sees it is what the check judges: destroyed now.
    let late = store.write_registration(
        key.id,
        crn,
        RegistrationWrite::Replace,
        &hold,
        &mut |key| {
            assert_eq!(key.state, KeyState::Destroyed);
            Err(CoreError::Invalid("destroyed".into()))
        },
        &ev("kms.registrations.write"),
    );
    assert!(late.is_err());
    assert!(
        !store.has_deletion_hold(key.id).unwrap(),
        "the refused write left nothing"
    );
}

/// A service instance's own registrations are selected before the listing's bound, so
/// thousands of another service's newer ones cannot hide them; `%` and `_` in its name are
/// taken literally.
#[test]
fn a_service_finds_its_own_registrations_among_thousands_of_others() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = open(&data, dir.path());
    let key = new_key("busy", KeyKind::Root);
    store
        .insert(&key, &KeyMaterial::generate().unwrap(), &ev("create"))
        .unwrap();
    let own = "crn:v1:bluemix:public:my_svc:global:a/local:inst-1:bucket:mine";
    store
        .write_registration(
            key.id,
            own,
            RegistrationWrite::Create,
            &RegistrationFields::default(),
            &mut |_| Ok(()),
            &ev("kms.registrations.create"),
        )
        .unwrap();
    let conn = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    conn.execute(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5001)
         INSERT INTO registrations (key_id, resource_crn, instance_id, service, key_version,
             created_at, updated_at, created_by)
         SELECT k.id, 'crn:v1:bluemix:public:myXsvc:global:a/local:inst-1:bucket:' || n.i,
             k.instance_id, 'other', k.version_id, k.created_at + 1000000000 + n.i,
             k.created_at + 1000000000 + n.i, 'other'
         FROM keys k, n",
        [],
    )
    .unwrap();
    drop(conn);
    let everyone = store.registrations(Some(key.id)).unwrap();
    assert_eq!(everyone.len(), 5000);
    assert!(
        everyone.iter().all(|r| r.resource_crn != own),
        "the bound keeps the newest, which are the other service's"
    );
    let mine = store.registrations_of(None, "my_svc", "inst-1").unwrap();
    let crns: Vec<&str> = mine.iter().map(|r| r.resource_crn.as_str()).collect();
    assert_eq!(
        crns,
        [own],
        "`_` is not a wildcard: myXsvc is another service"
    );
    assert!(store
        .registrations_of(Some(key.id), "my_svc", "inst-2")
        .unwrap()
        .is_empty());
}

/// The clock's offset: moves add up inside their transaction with their audit rows, never go
/// back or past the bound, and another opening of the store catches up with them.
#[test]
fn the_clock_offset_adds_up_and_reaches_every_opening_of_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("d");
    let store = SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    let other = SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    let day = time::Duration::days(1);
    let moves = [
        ev("strongroom.clock.advance"),
        ev("strongroom.clock.advance"),
    ];
    assert_eq!(store.advance_clock(day, &moves).unwrap(), day);
    assert_eq!(store.advance_clock(day, &moves[..1]).unwrap(), day * 2);
    assert_eq!(store.clock().offset(), day * 2);
    for refused in [time::Duration::ZERO, -day, VirtualClock::MAX_OFFSET] {
        assert!(matches!(
            store.advance_clock(refused, &moves),
            Err(CoreError::Invalid(_))
        ));
    }
    let rows = store
        .audit_events(&AuditQuery {
            action_prefix: Some("strongroom.clock.advance".into()),
            limit: 10,
            ..AuditQuery::default()
        })
        .unwrap();
    assert_eq!(
        rows.len(),
        3,
        "one row per event of each move that happened"
    );

    assert_eq!(
        other.clock().offset(),
        time::Duration::ZERO,
        "read at opening"
    );
    other.refresh_clock().unwrap();
    assert_eq!(other.clock().offset(), day * 2);
    let ahead = other.clock().now() - SystemClock.now();
    assert!(ahead > day * 2 - time::Duration::minutes(1), "{ahead}");
    let reopened = SqliteStore::open(&data, &key_file(dir.path())).unwrap();
    assert_eq!(reopened.clock().offset(), day * 2);
}
