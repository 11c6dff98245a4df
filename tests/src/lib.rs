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

/// The instance id every `strongroom serve` started by these tests has.
pub const SERVED_INSTANCE: &str = "7c0d5f8e-2a1b-4c3d-9e8f-0a1b2c3d4e5f";
/// Its administrator API key.
pub const SERVED_API_KEY: &str = "contract-admin-key";

/// The `strongroom` binary: `STRONGROOM_BIN`, or the workspace's debug build.
pub fn strongroom_bin() -> PathBuf {
    let bin = std::env::var_os("STRONGROOM_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("debug/strongroom"));
    assert!(
        bin.exists(),
        "{} is missing: build it with `cargo build -p strongroom-cli`",
        bin.display()
    );
    bin
}

/// A `strongroom serve` process on a loopback port, killed on drop.
pub struct Served {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT` or `https://127.0.0.1:PORT`.
    pub url: String,
}

impl Served {
    /// Starts `strongroom serve` on a fresh data dir under `dir` with `extra` arguments and
    /// waits for its `listening on` line.
    pub fn start(dir: &std::path::Path, extra: &[&std::ffi::OsStr]) -> Self {
        use std::io::BufRead;
        let mut child = std::process::Command::new(strongroom_bin())
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.join("served"))
            .args(extra)
            .env("STRONGROOM_MASTER_KEY_FILE", dir.join("served-master.key"))
            .env("STRONGROOM_INSTANCE_ID", SERVED_INSTANCE)
            .env("STRONGROOM_BOOTSTRAP_API_KEY", SERVED_API_KEY)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = std::io::BufReader::new(stdout).lines();
        let url = loop {
            let line = lines
                .next()
                .expect("serve exited before listening")
                .unwrap();
            if let Some(rest) = line.strip_prefix("listening on ") {
                break rest.trim().to_owned();
            }
        };
        Self { child, url }
    }

    /// A client configuration for this server with its administrator key.
    pub fn config(&self) -> strongroom_client::RemoteConfig {
        strongroom_client::RemoteConfig::new(
            self.url.clone(),
            format!("{}/identity/token", self.url),
            SERVED_INSTANCE,
            strongroom_api::SecretString::new(SERVED_API_KEY.into()),
        )
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
