use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard};

use strongroom_api::{
    ApiError, ConnectionProfile, ErrorCode, Keystore, LocalServerStatus, SaveConnectionRequest,
};
use strongroom_client::RemoteKeystore;
use strongroom_local::{open_store, LocalIam, LocalInstances, LocalKeystore};
use strongroom_server::{router, ServerState};
use strongroom_store::{default_data_dir, MasterKeySource, SqliteStore};

use crate::connections::{Profiles, LOCAL};
use crate::preferences::{Preferences, PreferencesFile};

/// What every command reaches. If the keystore cannot be opened (say, the keyring is locked)
/// the app still starts and every command answers with the reason; the next command tries
/// again, so unlocking the keyring and pressing "Try again" is enough.
pub(crate) struct AppState {
    data_dir: Result<PathBuf, ApiError>,
    store: Mutex<Option<Arc<SqliteStore>>>,
    /// The selected connection and, once opened, its keystore.
    current: Mutex<(ConnectionProfile, Option<Arc<dyn Keystore>>)>,
    server: Mutex<Option<RunningServer>>,
}

struct RunningServer {
    url: String,
    instance_id: String,
    stop: tokio::sync::oneshot::Sender<()>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl AppState {
    pub(crate) fn new() -> Self {
        let data_dir = default_data_dir()
            .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()));
        let state = Self {
            data_dir,
            store: Mutex::new(None),
            current: Mutex::new((crate::connections::local_profile(), None)),
            server: Mutex::new(None),
        };
        // Start on the connection used last; a profile deleted since falls back to this computer.
        let last = state.preferences().and_then(|p| p.last_connection);
        if let Some(profile) = last.and_then(|id| state.profiles().ok()?.get(&id).ok()) {
            tracing::info!(connection = %profile.id, "reopening the connection used last");
            *lock(&state.current) = (profile, None);
        }
        if let Err(err) = state.keystore() {
            tracing::error!(error = %err, "the embedded keystore is unavailable");
        }
        state
    }

    fn data_dir(&self) -> Result<PathBuf, ApiError> {
        self.data_dir.clone()
    }

    /// What the console remembered from its last run; `None` without a data directory.
    pub(crate) fn preferences(&self) -> Option<Preferences> {
        Some(PreferencesFile::new(self.data_dir.as_ref().ok()?).load())
    }

    pub(crate) fn remember(&self, change: impl FnOnce(&mut Preferences)) {
        if let Ok(dir) = &self.data_dir {
            PreferencesFile::new(dir).update(change);
        }
    }

    fn profiles(&self) -> Result<Profiles, ApiError> {
        Ok(Profiles::new(&self.data_dir()?))
    }

    /// The embedded store, opened on first use and kept open.
    fn store(&self) -> Result<Arc<SqliteStore>, ApiError> {
        let mut slot = lock(&self.store);
        if let Some(store) = slot.as_ref() {
            return Ok(Arc::clone(store));
        }
        let dir = self.data_dir()?;
        tracing::info!(data_dir = %dir.display(), "opening the embedded keystore");
        let store = Arc::new(open_store(&dir, &MasterKeySource::from_env())?);
        *slot = Some(Arc::clone(&store));
        // Expiries are recorded and rotation policies carried out while the console runs, as
        // a server would.
        tauri::async_runtime::spawn(LocalInstances::over(Arc::clone(&store)).run_periodic_checks());
        Ok(store)
    }

    /// The keystore of the selected connection.
    pub(crate) fn keystore(&self) -> Result<Arc<dyn Keystore>, ApiError> {
        let mut current = lock(&self.current);
        if let Some(keystore) = current.1.as_ref() {
            return Ok(Arc::clone(keystore));
        }
        let keystore: Arc<dyn Keystore> = if current.0.id == LOCAL {
            Arc::new(LocalKeystore::over(self.store()?)?)
        } else {
            self.profiles()?.remote(&current.0, None)?
        };
        current.1 = Some(Arc::clone(&keystore));
        Ok(keystore)
    }

    pub(crate) fn connections(&self) -> Result<Vec<ConnectionProfile>, ApiError> {
        self.profiles()?.all()
    }

    pub(crate) fn current_connection(&self) -> ConnectionProfile {
        lock(&self.current).0.clone()
    }

    pub(crate) fn save_connection(
        &self,
        request: SaveConnectionRequest,
    ) -> Result<ConnectionProfile, ApiError> {
        let saved = self.profiles()?.save(request)?;
        let mut current = lock(&self.current);
        if current.0.id == saved.id {
            // Reopen with the new settings on the next call.
            *current = (saved.clone(), None);
        }
        Ok(saved)
    }

    pub(crate) fn delete_connection(&self, id: &str) -> Result<(), ApiError> {
        self.profiles()?.delete(id)?;
        let mut current = lock(&self.current);
        if current.0.id == id {
            *current = (crate::connections::local_profile(), None);
        }
        Ok(())
    }

    pub(crate) fn select_connection(&self, id: &str) -> Result<Arc<dyn Keystore>, ApiError> {
        let profile = self.profiles()?.get(id)?;
        *lock(&self.current) = (profile, None);
        let keystore = self.keystore()?;
        self.remember(|p| p.last_connection = Some(id.to_owned()));
        Ok(keystore)
    }

    /// Tries a profile without selecting it: a token, then one listing.
    pub(crate) fn remote_for_test(
        &self,
        request: &SaveConnectionRequest,
    ) -> Result<Arc<RemoteKeystore>, ApiError> {
        let profiles = self.profiles()?;
        let key = match &request.api_key {
            Some(key) => Some(key.clone()),
            None => profiles.api_key(&request.profile.id)?,
        };
        profiles.remote(&request.profile, key)
    }

    pub(crate) fn local_server_status(&self) -> LocalServerStatus {
        match lock(&self.server).as_ref() {
            Some(running) => LocalServerStatus {
                running: true,
                url: Some(running.url.clone()),
                instance_id: Some(running.instance_id.clone()),
            },
            None => LocalServerStatus {
                running: false,
                url: None,
                instance_id: None,
            },
        }
    }

    /// Serves the embedded keystore on 127.0.0.1 (never another interface) from this process.
    pub(crate) async fn start_local_server(
        &self,
        port: Option<u16>,
    ) -> Result<LocalServerStatus, ApiError> {
        if lock(&self.server).is_some() {
            return Ok(self.local_server_status());
        }
        let store = self.store()?;
        let instances = Arc::new(LocalInstances::over(Arc::clone(&store)));
        let instance_id = instances.ensure_default(None)?;
        let (iam, _) = LocalIam::open(store, None)?;
        let state = ServerState {
            account_id: iam.account().to_owned(),
            instances: Arc::clone(&instances) as _,
            policies: instances,
            iam: Arc::new(iam),
        };
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port.unwrap_or(8200)))
            .await
            .map_err(|err| {
                ApiError::new(
                    ErrorCode::Conflict,
                    format!("cannot listen on 127.0.0.1:{}: {err}", port.unwrap_or(8200)),
                )
            })?;
        let address = listener.local_addr().map_err(|_| ApiError::internal())?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        tauri::async_runtime::spawn(async move {
            let served = axum::serve(
                listener,
                router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
            )
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
            if let Err(err) = served {
                tracing::error!(error = %err, "the local server stopped");
            }
        });
        tracing::info!(%address, instance = %instance_id, "serving the embedded keystore");
        *lock(&self.server) = Some(RunningServer {
            url: format!("http://{address}"),
            instance_id,
            stop,
        });
        Ok(self.local_server_status())
    }

    pub(crate) fn stop_local_server(&self) -> LocalServerStatus {
        if let Some(running) = lock(&self.server).take() {
            let _ = running.stop.send(());
            tracing::info!("stopped the local server");
        }
        self.local_server_status()
    }
}
