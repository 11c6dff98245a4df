//! The administration commands: each runs on the embedded keystore by default, or on a remote
//! instance with `--endpoint`, through the same `Keystore` facade.

pub(crate) mod import;
pub(crate) mod key_rings;
pub(crate) mod keys;
pub(crate) mod wrapping;

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use serde::Serialize;
use strongroom_api::{ApiError, KeyInfo, Keystore, SecretString};
use strongroom_client::{RemoteConfig, RemoteKeystore};
use strongroom_local::LocalKeystore;
use strongroom_store::{default_data_dir, MasterKeySource};

/// The IBM SDKs' variable for the API key. Read from the environment only: a flag would show
/// in `ps` and in shell history.
const API_KEY_VAR: &str = "IBM_KEY_PROTECT_API_APIKEY";

/// Which keystore a command works on, and how it prints.
#[derive(Args)]
pub(crate) struct Target {
    /// The embedded keystore's directory [default: STRONGROOM_DATA_DIR or the platform data dir].
    #[arg(long, global = true, conflicts_with = "endpoint")]
    data_dir: Option<PathBuf>,
    /// A remote instance's Key Protect URL; the API key comes from IBM_KEY_PROTECT_API_APIKEY
    /// [default: IBM_KEY_PROTECT_API_URL, unless --data-dir is given].
    #[arg(long, global = true)]
    endpoint: Option<String>,
    /// The IAM token URL; a bare host gets /identity/token [default: ENDPOINT/identity/token].
    #[arg(long, global = true, env = "IBM_KEY_PROTECT_API_AUTH_URL")]
    token_url: Option<String>,
    /// The remote instance's id (sent as Bluemix-Instance).
    #[arg(long, global = true, env = "IBM_KEY_PROTECT_INSTANCE_ID")]
    instance_id: Option<String>,
    /// A PEM file of CA certificates to trust besides the system's.
    #[arg(long, global = true)]
    ca_file: Option<PathBuf>,
    /// Seconds to wait for one answer from a remote instance.
    #[arg(long, global = true, default_value_t = 30)]
    timeout: u64,
    /// Print JSON for scripts instead of text for people.
    #[arg(long, global = true)]
    pub(crate) json: bool,
}

impl Target {
    pub(crate) fn open(&self) -> anyhow::Result<Box<dyn Keystore>> {
        match self.endpoint() {
            Some(endpoint) => Ok(Box::new(self.remote(&endpoint)?)),
            None => {
                let dir = match &self.data_dir {
                    Some(dir) => dir.clone(),
                    None => default_data_dir()?,
                };
                let store = std::sync::Arc::new(strongroom_local::open_store(
                    &dir,
                    &MasterKeySource::from_env(),
                )?);
                // A new store's first instance takes STRONGROOM_INSTANCE_ID, as with `serve`.
                crate::first_instance(&store)?;
                Ok(Box::new(LocalKeystore::over(store)?))
            }
        }
    }

    /// `--endpoint`, or the IBM SDKs' variable. A typed `--data-dir` wins over the variable:
    /// someone who exported it for a remote instance still reaches a local store by naming it.
    fn endpoint(&self) -> Option<String> {
        self.endpoint.clone().or_else(|| {
            if self.data_dir.is_some() {
                return None;
            }
            std::env::var("IBM_KEY_PROTECT_API_URL")
                .ok()
                .filter(|url| !url.trim().is_empty())
        })
    }

    fn remote(&self, endpoint: &str) -> anyhow::Result<RemoteKeystore> {
        let instance = self
            .instance_id
            .clone()
            .context("--instance-id (or IBM_KEY_PROTECT_INSTANCE_ID) is needed with --endpoint")?;
        let api_key = std::env::var(API_KEY_VAR)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .map(SecretString::new)
            .with_context(|| format!("{API_KEY_VAR} must hold the API key of the instance"))?;
        let token_url = token_url(self.token_url.as_deref().unwrap_or(endpoint));
        let mut config = RemoteConfig::new(endpoint, token_url, instance, api_key);
        config.extra_ca = self.ca_file.clone();
        config.timeout = Duration::from_secs(self.timeout.max(1));
        Ok(RemoteKeystore::new(config)?)
    }

    /// Prints `value` as JSON, or `text` for a person.
    pub(crate) fn print<T: Serialize>(&self, value: &T, text: impl FnOnce() -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(json) => out!("{json}"),
                Err(err) => eprintln!("cannot print JSON: {err}"),
            }
        } else {
            out!("{}", text());
        }
    }

    pub(crate) fn print_key(&self, key: &KeyInfo) {
        self.print(key, || describe(key));
    }
}

/// The IAM token URL: a bare host (as IBM_KEY_PROTECT_API_AUTH_URL is often set, and as the
/// endpoint of a `strongroom serve` is) gets IBM's `/identity/token` path.
fn token_url(url: &str) -> String {
    let trimmed = url.trim().trim_end_matches('/');
    let has_path = trimmed
        .split_once("://")
        .is_some_and(|(_, rest)| rest.contains('/'));
    if has_path {
        trimmed.to_owned()
    } else {
        format!("{trimmed}/identity/token")
    }
}

/// A failed facade call, with its code where scripts can see it.
pub(crate) fn failed(err: ApiError) -> anyhow::Error {
    let code = serde_json::to_value(err.code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    anyhow::anyhow!("{} [{code}]", err.message)
}

fn describe(key: &KeyInfo) -> String {
    let mut lines = vec![
        format!("id:          {}", key.id),
        format!("name:        {}", key.name),
        format!("type:        {:?}", key.key_type).to_lowercase(),
        format!("state:       {:?}", key.state).to_lowercase(),
        format!("imported:    {}", key.imported),
        format!("version:     {}", key.key_version.id),
        format!("created:     {}", key.created_at),
    ];
    let optional = [
        ("description", &key.description),
        ("rotated", &key.last_rotated_at),
        ("expires", &key.expires_at),
        ("deleted", &key.deleted_at),
    ];
    for (label, value) in optional {
        if let Some(value) = value {
            lines.push(format!("{:<13}{value}", format!("{label}:")));
        }
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_bare_host_gets_the_identity_token_path() {
        assert_eq!(
            super::token_url("https://iam.cloud.ibm.com/"),
            "https://iam.cloud.ibm.com/identity/token"
        );
        assert_eq!(
            super::token_url("https://iam.cloud.ibm.com/oidc/token"),
            "https://iam.cloud.ibm.com/oidc/token"
        );
    }
}
