//! With no keyring and no key file, opening fails with the documented sentence: there is no
//! silent fallback to plaintext or to an in-memory store. Its own test binary, because it
//! changes the process environment.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use strongroom_api::ErrorCode;
use strongroom_local::LocalKeystore;
use strongroom_store::{MasterKeySource, SqliteStore, StoreError, MASTER_KEY_FILE_ENV};

#[test]
fn no_keyring_gives_the_documented_error_and_no_fallback() {
    std::env::set_var(
        "DBUS_SESSION_BUS_ADDRESS",
        "unix:path=/nonexistent/strongroom-test-bus",
    );
    std::env::remove_var("DISPLAY");
    std::env::remove_var(MASTER_KEY_FILE_ENV);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");

    let err = SqliteStore::open(&data, &MasterKeySource::from_env())
        .err()
        .unwrap();
    assert!(
        matches!(err, StoreError::KeyringUnavailable { .. }),
        "{err}"
    );
    let message = err.to_string();
    assert!(message.contains("OS keyring is not available"), "{message}");
    assert!(
        message.contains(MASTER_KEY_FILE_ENV),
        "the error must say how to fix it: {message}"
    );

    // Through the facade it is a typed, stable code.
    let err = LocalKeystore::open_embedded(&data, &MasterKeySource::Keyring)
        .err()
        .unwrap();
    assert_eq!(err.code, ErrorCode::KeystoreUnavailable);

    // Nothing was written that a later start could mistake for a usable keystore.
    let entries: Vec<_> = std::fs::read_dir(&data)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        entries.iter().all(|name| name.starts_with("keystore.db")),
        "only the database may exist: {entries:?}"
    );
    let db = rusqlite::Connection::open(data.join("keystore.db")).unwrap();
    let checks: i64 = db
        .query_row(
            "SELECT count(*) FROM meta WHERE name = 'master_key_check'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        checks, 0,
        "no master key may be recorded for a keystore that has none"
    );
}
