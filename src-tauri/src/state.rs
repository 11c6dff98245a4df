use std::sync::{Arc, Mutex};

use strongroom_api::{ApiError, ErrorCode, Keystore};
use strongroom_local::LocalKeystore;
use strongroom_store::{default_data_dir, MasterKeySource};

/// What every command reaches. If the keystore cannot be opened (say, the keyring is locked)
/// the app still starts and every command answers with the reason; the next command tries
/// again, so unlocking the keyring and pressing "Try again" is enough.
pub(crate) struct AppState {
    keystore: Mutex<Option<Arc<dyn Keystore>>>,
}

impl AppState {
    pub(crate) fn new() -> Self {
        let state = Self {
            keystore: Mutex::new(None),
        };
        if let Err(err) = state.keystore() {
            tracing::error!(error = %err, "the embedded keystore is unavailable");
        }
        state
    }

    pub(crate) fn keystore(&self) -> Result<Arc<dyn Keystore>, ApiError> {
        let mut slot = self
            .keystore
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(keystore) = slot.as_ref() {
            return Ok(Arc::clone(keystore));
        }
        let keystore: Arc<dyn Keystore> = Arc::new(open_embedded()?);
        *slot = Some(Arc::clone(&keystore));
        Ok(keystore)
    }
}

fn open_embedded() -> Result<LocalKeystore, ApiError> {
    let dir = default_data_dir()
        .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()))?;
    tracing::info!(data_dir = %dir.display(), "opening the embedded keystore");
    LocalKeystore::open_embedded(&dir, &MasterKeySource::from_env())
}
