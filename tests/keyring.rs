//! The master key in the real OS keyring (Secret Service via gnome-keyring on Linux).
//! Needs a D-Bus session with an unlocked keyring: `scripts/test` provides one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use strongroom_api::{Keystore, UnwrapRequest, WrapRequest};
use strongroom_local::LocalKeystore;
use strongroom_store::{MasterKeySource, DATABASE_FILE};
use strongroom_tests::root_key;

#[tokio::test]
#[ignore = "needs a D-Bus session with an unlocked Secret Service keyring; run scripts/test"]
async fn the_master_key_is_kept_in_the_os_keyring_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let keystore = LocalKeystore::open_embedded(&data, &MasterKeySource::Keyring).unwrap();
    let key = keystore
        .create_key(root_key("keyring-backed"))
        .await
        .unwrap();
    let wrapped = keystore
        .wrap(WrapRequest {
            key_id: key.id.clone(),
            plaintext: None,
            aad: vec![],
        })
        .await
        .unwrap();
    drop(keystore);

    // Another process sees the entry: the secret is in the keyring daemon, not in an
    // in-process mock store.
    let keystore_id = read_keystore_id(&data.join(DATABASE_FILE));
    let listed = Command::new("secret-tool")
        .args(["search", "--all", "service", "strongroom"])
        .output()
        .expect("secret-tool (package libsecret-tools) is installed by scripts/test");
    let listed = String::from_utf8_lossy(&listed.stdout).into_owned()
        + &String::from_utf8_lossy(&listed.stderr);
    assert!(
        listed.contains(&format!("keystore-{keystore_id}")),
        "the keyring has no entry for keystore {keystore_id}:\n{listed}"
    );
    assert!(
        !data.join("master.key").exists(),
        "no key file fallback may be written"
    );

    let reopened = LocalKeystore::open_embedded(&data, &MasterKeySource::Keyring).unwrap();
    let back = reopened
        .unwrap(UnwrapRequest {
            key_id: key.id,
            ciphertext: wrapped.ciphertext,
            aad: vec![],
        })
        .await
        .unwrap();
    assert_eq!(Some(back.plaintext), wrapped.plaintext);
}

fn read_keystore_id(db: &std::path::Path) -> String {
    // The keystore id is not secret; reading it straight from the file keeps this test honest
    // about what is on disk.
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        "SELECT CAST(value AS TEXT) FROM meta WHERE name = 'keystore_id'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}
