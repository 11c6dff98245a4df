//! [`LocalKeystore`]: the [`Keystore`](strongroom_api::Keystore) facade implemented over the
//! domain core and a [`KeyRepository`](strongroom_core::KeyRepository), by default the
//! embedded SQLite store.
//!
//! This is where wire types become domain types and back, where base64 is decoded, and where
//! blocking storage calls leave the async runtime.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod access;
mod convert;
mod expiry;
mod iam;
mod import;
mod keystore;
mod policy_admin;
mod rotation;
mod schedule;
mod seed;
mod verified;

pub use expiry::{ExpiryRun, EXPIRE_EVENT, EXPIRY_IAM_ID};
pub use iam::{LocalIam, ADMIN_IAM_ID, TOKEN_LIFETIME_SECS};
pub use keystore::{open_store, LocalInstances, LocalKeystore, DESKTOP_IAM_ID};
pub use rotation::{RotationRun, ROTATION_POLICY_IAM_ID};
pub use schedule::{CHECK_EVERY, EXPIRY_CHECK_EVERY};
pub use seed::{Seed, SeedKey, SeedReport, SeedVersion};
