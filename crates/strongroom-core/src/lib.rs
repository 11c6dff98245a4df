//! The domain of Strongroom: keys, their versions and states, and envelope encryption.
//!
//! This crate knows nothing about SQLite, HTTP, IPC or JSON. Storage is reached through the
//! [`KeyRepository`] port, time through the [`Clock`] port, so every rule here can be tested
//! with plain values and a hand-driven clock.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod clock;
pub mod envelope;
mod error;
mod ids;
pub mod import_token;
mod key;
mod material;
mod repository;

pub use clock::{Clock, FixedClock, SystemClock};
pub use error::CoreError;
pub use ids::{KeyId, KeyVersionId};
pub use key::{
    Description, Expiry, Key, KeyAction, KeyKind, KeyName, KeyState, KeyVersion, NewKey,
    RESTORE_WINDOW, ROTATION_INTERVAL,
};
pub use material::{KeyMaterial, Secret};
pub use repository::{Change, KeyPage, KeyQuery, KeyRepository, MAX_PAGE_SIZE};
