use std::path::PathBuf;

use strongroom_core::CoreError;

use crate::master_key::MASTER_KEY_FILE_ENV;

/// Why the embedded keystore could not be opened or used. Messages are written for the person
/// who has to fix it, and never contain key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No OS keyring could hold the master key.
    #[error("the OS keyring is not available to hold the master key ({detail}). Start and unlock a Secret Service provider such as gnome-keyring, or set {MASTER_KEY_FILE_ENV} to a 32-byte key file readable only by its owner")]
    KeyringUnavailable {
        /// What the keyring reported.
        detail: String,
    },
    /// The keystore has sealed keys but the master key source has no key for it.
    #[error("the master key of keystore {keystore} is missing from {source_name}; without it the keys in {} cannot be opened", path.display())]
    MasterKeyMissing {
        /// The keystore's id.
        keystore: String,
        /// Where the key was looked for.
        source_name: String,
        /// The database.
        path: PathBuf,
    },
    /// A master key was found but it does not open this keystore.
    #[error("the master key from {source_name} does not open the keystore in {}", path.display())]
    MasterKeyMismatch {
        /// Where the key came from.
        source_name: String,
        /// The database.
        path: PathBuf,
    },
    /// The key file is readable by group or others.
    #[error("the master key file {} is readable by other users; run `chmod 600` on it", .0.display())]
    KeyFileInsecure(PathBuf),
    /// The key file is not a file of 32 bytes.
    #[error("the master key file {} must be a file of exactly 32 bytes", .0.display())]
    KeyFileInvalid(PathBuf),
    /// The database was written by a newer Strongroom.
    #[error("the keystore in {} has schema version {found}, newer than this Strongroom understands ({supported})", path.display())]
    SchemaTooNew {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: u32,
        /// Ours.
        supported: u32,
    },
    /// No data directory could be determined.
    #[error("no data directory could be determined; set STRONGROOM_DATA_DIR")]
    NoDataDir,
    /// A file-system operation failed.
    #[error("{action} {}: {source}", path.display())]
    Io {
        /// What was being done.
        action: &'static str,
        /// On what.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// SQLite failed.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// Stored data failed authentication under the master key, or does not parse.
    #[error("the keystore is corrupt: {0}")]
    Corrupt(String),
    /// No instance with this id.
    #[error("there is no KMS instance {0}")]
    InstanceNotFound(String),
    /// An instance with this id exists already.
    #[error("the KMS instance {0} exists already")]
    InstanceExists(String),
    /// A domain rule failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl From<StoreError> for CoreError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Core(core) => core,
            other => CoreError::Storage(Box::new(other)),
        }
    }
}

pub(crate) fn io<'a>(
    action: &'static str,
    path: &'a std::path::Path,
) -> impl FnOnce(std::io::Error) -> StoreError + 'a {
    move |source| StoreError::Io {
        action,
        path: path.to_owned(),
        source,
    }
}
