use std::sync::Arc;

use strongroom_api::{ApiError, ErrorCode, Keystore};
use strongroom_local::LocalKeystore;
use strongroom_store::{default_data_dir, MasterKeySource};

/// What every command reaches. The keystore is chosen once at start-up; if it could not be
/// opened the app still starts, and every command answers with the reason, so the user sees
/// how to fix it instead of a window that never appears.
pub(crate) struct AppState {
    keystore: Result<Arc<dyn Keystore>, ApiError>,
}

impl AppState {
    pub(crate) fn open_embedded() -> Self {
        let keystore = default_data_dir()
            .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()))
            .and_then(|dir| {
                tracing::info!(data_dir = %dir.display(), "opening the embedded keystore");
                LocalKeystore::open_embedded(&dir, &MasterKeySource::from_env())
            })
            .map(|keystore| Arc::new(keystore) as Arc<dyn Keystore>);
        if let Err(err) = &keystore {
            tracing::error!(error = %err, "the embedded keystore is unavailable");
        }
        Self { keystore }
    }

    pub(crate) fn keystore(&self) -> Result<&dyn Keystore, ApiError> {
        self.keystore.as_deref().map_err(Clone::clone)
    }
}
