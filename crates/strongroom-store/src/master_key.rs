//! Where the master key lives: the OS keyring by default, a key file on headless hosts.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use rand::rngs::OsRng;
use rand::TryRngCore;
use zeroize::Zeroizing;

use crate::error::io;
use crate::StoreError;

/// Names a 32-byte master key file to use instead of the OS keyring.
pub const MASTER_KEY_FILE_ENV: &str = "STRONGROOM_MASTER_KEY_FILE";

const KEYRING_SERVICE: &str = "strongroom";

/// The place a keystore's master key is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MasterKeySource {
    /// The OS keyring, one entry per keystore.
    Keyring,
    /// A file holding exactly 32 bytes, readable only by its owner.
    File(PathBuf),
}

impl MasterKeySource {
    /// The file named by [`MASTER_KEY_FILE_ENV`] if set, otherwise the OS keyring.
    pub fn from_env() -> Self {
        match std::env::var_os(MASTER_KEY_FILE_ENV) {
            Some(path) if !path.is_empty() => Self::File(PathBuf::from(path)),
            _ => Self::Keyring,
        }
    }

    /// A human description for error messages.
    pub fn describe(&self) -> String {
        match self {
            Self::Keyring => "the OS keyring".into(),
            Self::File(path) => format!("the key file {}", path.display()),
        }
    }

    /// The master key for `keystore`, if one exists.
    pub(crate) fn load(&self, keystore: &str) -> Result<Option<Zeroizing<[u8; 32]>>, StoreError> {
        match self {
            Self::Keyring => {
                let entry = keyring_entry(keystore)?;
                match entry.get_secret() {
                    Ok(secret) => to_key(Zeroizing::new(secret)).map(Some).ok_or_else(|| {
                        StoreError::Corrupt(
                            "the master key in the OS keyring is not 32 bytes".into(),
                        )
                    }),
                    Err(keyring::Error::NoEntry) => Ok(None),
                    Err(err) => Err(keyring_failure(err)),
                }
            }
            Self::File(path) => read_key_file(path),
        }
    }

    /// Creates and stores a fresh master key for `keystore`.
    pub(crate) fn create(&self, keystore: &str) -> Result<Zeroizing<[u8; 32]>, StoreError> {
        let mut key = Zeroizing::new([0u8; 32]);
        OsRng
            .try_fill_bytes(key.as_mut())
            .map_err(|_| StoreError::Core(strongroom_core::CoreError::Randomness))?;
        match self {
            Self::Keyring => keyring_entry(keystore)?
                .set_secret(key.as_ref())
                .map_err(keyring_failure)?,
            Self::File(path) => write_key_file(path, &key)?,
        }
        tracing::info!(keystore, source = %self.describe(), "created a new master key");
        Ok(key)
    }
}

fn keyring_entry(keystore: &str) -> Result<keyring::Entry, StoreError> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("keystore-{keystore}")).map_err(keyring_failure)
}

fn keyring_failure(err: keyring::Error) -> StoreError {
    StoreError::KeyringUnavailable {
        detail: err.to_string(),
    }
}

fn to_key(bytes: Zeroizing<Vec<u8>>) -> Option<Zeroizing<[u8; 32]>> {
    let array: [u8; 32] = bytes.as_slice().try_into().ok()?;
    Some(Zeroizing::new(array))
}

fn read_key_file(path: &Path) -> Result<Option<Zeroizing<[u8; 32]>>, StoreError> {
    let metadata = match fs::metadata(path) {
        Ok(metadata) => metadata,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(err) => return Err(io("cannot read", path)(err)),
    };
    if !metadata.is_file() {
        // A directory's usual mode would otherwise be reported as "readable by others".
        return Err(StoreError::KeyFileInvalid(path.to_owned()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if metadata.permissions().mode() & 0o077 != 0 {
            return Err(StoreError::KeyFileInsecure(path.to_owned()));
        }
    }
    if metadata.len() != 32 {
        return Err(StoreError::KeyFileInvalid(path.to_owned()));
    }
    let bytes = Zeroizing::new(fs::read(path).map_err(io("cannot read", path))?);
    to_key(bytes)
        .map(Some)
        .ok_or_else(|| StoreError::KeyFileInvalid(path.to_owned()))
}

fn write_key_file(path: &Path, key: &Zeroizing<[u8; 32]>) -> Result<(), StoreError> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io("cannot create", path))?;
    file.write_all(key.as_ref())
        .and_then(|()| file.sync_all())
        .map_err(io("cannot write", path))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_is_created_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        assert!(source.load("k").unwrap().is_none());
        let created = source.create("k").unwrap();
        let loaded = source.load("k").unwrap().unwrap();
        assert_eq!(*created, *loaded);
    }

    #[cfg(unix)]
    #[test]
    fn group_readable_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, [1u8; 32]).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
        let err = MasterKeySource::File(path).load("k").unwrap_err();
        assert!(matches!(err, StoreError::KeyFileInsecure(_)), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn short_key_file_is_refused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        fs::write(&path, [1u8; 31]).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        let err = MasterKeySource::File(path).load("k").unwrap_err();
        assert!(matches!(err, StoreError::KeyFileInvalid(_)), "{err}");
    }

    #[test]
    fn a_directory_named_as_the_key_file_is_refused_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let err = MasterKeySource::File(dir.path().to_owned())
            .load("k")
            .unwrap_err();
        assert!(matches!(err, StoreError::KeyFileInvalid(_)), "{err}");
    }

    #[test]
    fn a_file_in_the_way_of_the_data_directory_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let in_the_way = dir.path().join("data");
        fs::write(&in_the_way, b"not a keystore").unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let Err(err) = crate::SqliteStore::open(&in_the_way, &source) else {
            panic!("a file opened as a data directory");
        };
        assert!(err.to_string().contains("not a directory"), "{err}");
    }
}
