//! The embedded keystore: one SQLite file per data directory, with every version's key
//! material sealed (AES-256-GCM) under a master key that never touches the disk in the clear.
//!
//! The master key comes from the OS keyring (Secret Service, Keychain, Credential Manager) or,
//! on headless hosts, from a key file named by `STRONGROOM_MASTER_KEY_FILE`. There is no
//! fallback: without either, opening fails with [`StoreError::KeyringUnavailable`].
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod audit;
mod checkpoint;
mod error;
mod identity;
mod instance;
mod live_keys;
mod master_key;
mod material_cache;
mod recent;
mod schema;
mod seal;
mod sqlite;
mod usage;

pub use audit::{
    ActivityRecord, AuditQuery, AuditReceipt, AuditRecord, AuditWriter, ChainVerdict,
    VersionUseRecord,
};
pub use error::StoreError;
pub use identity::{AccessPolicyRecord, ApiKeyRecord, PrincipalRecord};
pub use instance::{
    AliasRecord, InstancePolicyRecord, InstanceRecord, InstanceStore, KeyRingRecord,
    RegistrationFields, RegistrationRecord, RegistrationWrite,
};
pub use master_key::{MasterKeySource, MASTER_KEY_FILE_ENV};
pub use schema::CURRENT as SCHEMA_VERSION;
pub use sqlite::RecentGrants;
pub use sqlite::{default_data_dir, SqliteStore, DATABASE_FILE, DATA_DIR_ENV};
pub use usage::{UsageRecord, WINDOW_MINUTES as USAGE_WINDOW_MINUTES};
