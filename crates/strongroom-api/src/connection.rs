//! The console's connections (this computer's keystore or a remote instance) and the local
//! server it can start. The API key of a remote connection lives only in the OS keyring;
//! these types carry whether one is stored, never the key itself.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::SecretString;

/// A place the console can manage keys in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionProfile {
    /// Stable id; `local` is this computer's embedded keystore.
    pub id: String,
    /// A name for people.
    pub name: String,
    /// Embedded or remote.
    pub mode: crate::KeystoreMode,
    /// Remote only: the instance's base URL (`https://us-south.kms.cloud.ibm.com`).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    /// Remote only: the IAM token URL.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token_url: Option<String>,
    /// Remote only: the instance GUID.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
    /// Remote only: an extra CA certificate (PEM file path) to trust.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_file: Option<String>,
    /// Whether an API key is stored in the OS keyring for it.
    #[serde(default)]
    pub has_api_key: bool,
}

/// Save (create or replace) a connection; `apiKey` replaces the stored key when given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct SaveConnectionRequest {
    /// The profile.
    pub profile: ConnectionProfile,
    /// A new API key, kept in the OS keyring only.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key: Option<SecretString>,
}

/// The verdict of a connection test, in steps a person can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct ConnectionTest {
    /// Whether every step passed.
    pub ok: bool,
    /// The failure's code, if any (HOST_UNREACHABLE, TLS_FAILURE, BAD_API_KEY, ...).
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<crate::ErrorCode>,
    /// A sentence for people.
    pub message: String,
    /// Keys visible with these credentials, when the test passed.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_count: Option<u32>,
    /// What the server calls itself (its `Server` header, e.g. `strongroom`), when it answered
    /// and said.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// The TLS the answer came over; absent for plain HTTP or when nothing answered.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls: Option<TlsFacts>,
}

impl ConnectionTest {
    /// A test that stopped at `err`.
    pub fn failed(err: crate::ApiError) -> Self {
        Self {
            ok: false,
            code: Some(err.code),
            message: err.message,
            key_count: None,
            server: None,
            tls: None,
        }
    }
}

/// What a person checks about an HTTPS connection: the protocol, and the server certificate's
/// fingerprint to compare with the one its operator publishes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct TlsFacts {
    /// `TLS 1.3` or `TLS 1.2`.
    pub protocol: String,
    /// SHA-256 of the server's certificate (DER), as colon-separated upper-case hex.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_sha256: Option<String>,
}

/// The local server the desktop app can run over its embedded keystore.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct LocalServerStatus {
    /// Whether it is serving.
    pub running: bool,
    /// `http://127.0.0.1:PORT` while running.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The instance GUID clients send in `Bluemix-Instance`.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_id: Option<String>,
}
