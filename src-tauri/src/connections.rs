//! Where the console manages keys: this computer's embedded keystore (`local`) or a remote
//! instance. Profiles live in `connections.json` in the data directory (no secrets); a
//! remote's API key lives only in the OS keyring, under the profile's id.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use strongroom_api::{
    ApiError, ConnectionProfile, ErrorCode, KeystoreMode, SaveConnectionRequest, SecretString,
};
use strongroom_client::{RemoteConfig, RemoteKeystore};

/// The id of this computer's keystore.
pub(crate) const LOCAL: &str = "local";
const KEYRING_SERVICE: &str = "strongroom-connection";
const FILE: &str = "connections.json";

fn unavailable(message: String) -> ApiError {
    ApiError::new(ErrorCode::KeystoreUnavailable, message)
}

pub(crate) fn local_profile() -> ConnectionProfile {
    ConnectionProfile {
        id: LOCAL.into(),
        name: "This computer".into(),
        mode: KeystoreMode::Embedded,
        endpoint: None,
        token_url: None,
        instance_id: None,
        ca_file: None,
        has_api_key: false,
    }
}

/// The saved remote profiles, in a JSON file beside the keystore.
pub(crate) struct Profiles {
    path: PathBuf,
}

impl Profiles {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE),
        }
    }

    /// `local` first, then the remotes as saved.
    pub(crate) fn all(&self) -> Result<Vec<ConnectionProfile>, ApiError> {
        let mut out = vec![local_profile()];
        out.extend(self.remotes()?);
        Ok(out)
    }

    fn remotes(&self) -> Result<Vec<ConnectionProfile>, ApiError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|_| {
                unavailable(format!(
                    "{} is not a list of connections; fix or remove it",
                    self.path.display()
                ))
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(err) => Err(unavailable(format!(
                "cannot read {}: {err}",
                self.path.display()
            ))),
        }
    }

    pub(crate) fn get(&self, id: &str) -> Result<ConnectionProfile, ApiError> {
        self.all()?
            .into_iter()
            .find(|p| p.id == id)
            .ok_or_else(|| ApiError::new(ErrorCode::NotFound, format!("no connection {id:?}")))
    }

    /// Validates and stores a remote profile; the API key, if given, goes to the keyring.
    pub(crate) fn save(
        &self,
        request: SaveConnectionRequest,
    ) -> Result<ConnectionProfile, ApiError> {
        let mut profile = validate(request.profile)?;
        if let Some(key) = &request.api_key {
            api_key_entry(&profile.id)?
                .set_password(key.expose())
                .map_err(|err| unavailable(format!("the OS keyring refused the API key: {err}")))?;
        }
        profile.has_api_key = self.api_key(&profile.id)?.is_some();
        let mut remotes = self.remotes()?;
        remotes.retain(|p| p.id != profile.id);
        remotes.push(profile.clone());
        self.write(&remotes)?;
        Ok(profile)
    }

    pub(crate) fn delete(&self, id: &str) -> Result<(), ApiError> {
        if id == LOCAL {
            return Err(ApiError::invalid(
                "this computer's keystore cannot be removed",
            ));
        }
        let mut remotes = self.remotes()?;
        let before = remotes.len();
        remotes.retain(|p| p.id != id);
        if remotes.len() == before {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no connection {id:?}"),
            ));
        }
        self.write(&remotes)?;
        if let Ok(entry) = api_key_entry(id) {
            let _ = entry.delete_credential();
        }
        Ok(())
    }

    fn write(&self, remotes: &[ConnectionProfile]) -> Result<(), ApiError> {
        let json = serde_json::to_vec_pretty(remotes).map_err(|_| ApiError::internal())?;
        let temporary = self.path.with_extension("json.tmp");
        std::fs::write(&temporary, json)
            .and_then(|()| std::fs::rename(&temporary, &self.path))
            .map_err(|err| unavailable(format!("cannot save {}: {err}", self.path.display())))
    }

    pub(crate) fn api_key(&self, id: &str) -> Result<Option<SecretString>, ApiError> {
        match api_key_entry(id)?.get_password() {
            Ok(key) => Ok(Some(SecretString::new(key))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(err) => Err(unavailable(format!(
                "the OS keyring could not be read: {err}"
            ))),
        }
    }

    /// A client for a remote profile, with `api_key` or the stored one.
    pub(crate) fn remote(
        &self,
        profile: &ConnectionProfile,
        api_key: Option<SecretString>,
    ) -> Result<Arc<RemoteKeystore>, ApiError> {
        let api_key = match api_key {
            Some(key) => key,
            None => self.api_key(&profile.id)?.ok_or_else(|| {
                ApiError::new(
                    ErrorCode::BadApiKey,
                    "this connection has no API key; edit it and enter one",
                )
            })?,
        };
        let endpoint = profile.endpoint.clone().unwrap_or_default();
        let token_url = profile
            .token_url
            .clone()
            .unwrap_or_else(|| format!("{}/identity/token", endpoint.trim_end_matches('/')));
        let mut config = RemoteConfig::new(
            endpoint,
            token_url,
            profile.instance_id.clone().unwrap_or_default(),
            api_key,
        );
        config.extra_ca = profile.ca_file.as_deref().map(PathBuf::from);
        RemoteKeystore::new(config)
            .map(Arc::new)
            .map_err(ApiError::from)
    }
}

fn api_key_entry(id: &str) -> Result<keyring::Entry, ApiError> {
    keyring::Entry::new(KEYRING_SERVICE, id)
        .map_err(|err| unavailable(format!("the OS keyring is not available: {err}")))
}

fn validate(mut profile: ConnectionProfile) -> Result<ConnectionProfile, ApiError> {
    if profile.id == LOCAL {
        return Err(ApiError::invalid(
            "this computer's keystore is not editable",
        ));
    }
    let name = profile.name.trim();
    if name.is_empty() || name.chars().count() > 90 {
        return Err(ApiError::invalid(
            "a connection needs a name of 1 to 90 characters",
        ));
    }
    profile.name = name.to_owned();
    if profile.id.trim().is_empty() {
        profile.id = uuid::Uuid::new_v4().to_string();
    }
    let endpoint = profile
        .endpoint
        .as_deref()
        .map(str::trim)
        .unwrap_or_default();
    if !(endpoint.starts_with("https://") || endpoint.starts_with("http://")) {
        return Err(ApiError::invalid(
            "the base URL must start with https:// (or http:// for a server on this computer)",
        ));
    }
    if profile
        .instance_id
        .as_deref()
        .is_none_or(|id| id.trim().is_empty())
    {
        return Err(ApiError::invalid(
            "a remote connection needs the instance ID",
        ));
    }
    profile.mode = KeystoreMode::Remote;
    profile.has_api_key = false;
    Ok(profile)
}
