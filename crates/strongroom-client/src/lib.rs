//! [`RemoteKeystore`]: the [`strongroom_api::Keystore`] facade over the Key Protect v2 API of
//! a remote instance, another `strongroom serve` or IBM Key Protect itself.
//!
//! The desktop console, the CLI and the contract tests hold an `Arc<dyn Keystore>` and cannot
//! tell this from the embedded keystore, except through [`ErrorCode`]s that only a network can
//! produce (unreachable host, TLS failure, bad API key, wrong instance, timeout).
//!
//! [`ErrorCode`]: strongroom_api::ErrorCode
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod config;
mod error;
mod iam;
mod keystore;
mod secure_import;
mod tls;
mod transport;
mod wire;

pub use config::{RemoteConfig, RetryPolicy};
pub use error::ClientError;
pub use keystore::{Peer, RemoteKeystore};
pub use secure_import::seal_for_import;
