//! Fixtures shared by the cross-crate tests.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;

use strongroom_api::{CreateKeyRequest, KeyType, RotateKeyRequest, UnwrapRequest, WrapRequest};
use strongroom_core::FixedClock;
use strongroom_local::LocalKeystore;
use strongroom_store::{MasterKeySource, SqliteStore};
use tempfile::TempDir;
use time::macros::datetime;

/// A keystore on a real SQLite file in a temporary directory, with a master key file and a
/// clock the test moves by hand.
pub struct TestKeystore {
    pub keystore: LocalKeystore,
    pub clock: Arc<FixedClock>,
    pub dir: TempDir,
}

impl TestKeystore {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(FixedClock::new(datetime!(2026-06-01 09:00 UTC)));
        let keystore = Self::open(&dir, Arc::clone(&clock));
        Self {
            keystore,
            clock,
            dir,
        }
    }

    /// Opens the same files again, as a restarted process would.
    pub fn reopen(&self) -> LocalKeystore {
        Self::open(&self.dir, Arc::clone(&self.clock))
    }

    fn open(dir: &TempDir, clock: Arc<FixedClock>) -> LocalKeystore {
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = SqliteStore::open(&dir.path().join("data"), &source).unwrap();
        LocalKeystore::administrator(std::sync::Arc::new(store), clock).unwrap()
    }
}

impl Default for TestKeystore {
    fn default() -> Self {
        Self::new()
    }
}

/// The workspace's target directory, honouring `CARGO_TARGET_DIR`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Create a generated root key.
pub fn root_key(name: &str) -> CreateKeyRequest {
    CreateKeyRequest {
        name: name.into(),
        description: None,
        key_type: KeyType::Root,
        expires_at: None,
        payload: None,
        secure_import: Default::default(),
        key_ring: None,
        aliases: Vec::new(),
        dual_auth_delete: None,
        rotation: None,
    }
}

/// Wrap a generated DEK.
pub fn wrap(key_id: &str, aad: &[&str]) -> WrapRequest {
    WrapRequest {
        key_id: key_id.into(),
        plaintext: None,
        aad: aad.iter().map(|s| s.to_string()).collect(),
    }
}

/// Unwrap (or rewrap) a ciphertext.
pub fn unwrap(key_id: &str, ciphertext: &str, aad: &[&str]) -> UnwrapRequest {
    UnwrapRequest {
        key_id: key_id.into(),
        ciphertext: ciphertext.into(),
        aad: aad.iter().map(|s| s.to_string()).collect(),
    }
}

/// Rotate to generated material.
pub fn rotate(key_id: &str) -> RotateKeyRequest {
    RotateKeyRequest {
        key_id: key_id.into(),
        payload: None,
        secure_import: Default::default(),
    }
}
