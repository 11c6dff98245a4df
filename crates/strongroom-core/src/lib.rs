//! The domain of Strongroom: keys, their versions and states, and envelope encryption.
//!
//! This crate knows nothing about SQLite, HTTP, IPC or JSON. Storage is reached through the
//! [`KeyRepository`] port, time through the [`Clock`] port, so every rule here can be tested
//! with plain values and a hand-driven clock.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

pub mod access;
mod audit;
mod clock;
mod create_import;
pub mod envelope;
mod error;
mod ids;
pub mod import_token;
mod key;
mod material;
mod names;
mod repository;
mod search;

pub use access::{Caller, CallerKind, Grant, Operation, Role, Scope, Target};
pub use audit::{AuditEvent, Outcome, Registration};
pub use clock::{Clock, FixedClock, SystemClock, VirtualClock};
pub use create_import::{CreateImportAccess, KeyOrigin};
pub use error::CoreError;
pub use ids::{KeyId, KeyVersionId};
pub use key::{
    DeletionAuthorization, Description, Expiry, Key, KeyAction, KeyKind, KeyName, KeyState,
    KeyVersion, NewKey, RotationPolicy, DELETION_AUTHORIZATION_LIFETIME, PURGE_DELAY,
    RESTORE_WINDOW, ROTATION_INTERVAL,
};
pub use material::{KeyMaterial, Secret};
pub use names::{
    Alias, KeyRingId, ResourceCrn, MAX_ALIASES, MAX_KEY_RINGS, MAX_REGISTRATION_METADATA,
};
pub use repository::{
    Change, KeyOrder, KeyPage, KeyQuery, KeyRepository, KeySort, RotationDue, MAX_PAGE_SIZE,
};
pub use search::KeySearch;
