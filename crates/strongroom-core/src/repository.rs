use std::sync::Arc;

use time::OffsetDateTime;

use crate::{
    AuditEvent, CoreError, Key, KeyId, KeyKind, KeyMaterial, KeyRingId, KeyState, KeyVersion,
    KeyVersionId,
};

/// The largest page a listing returns, whatever the caller asks for.
pub const MAX_PAGE_SIZE: u32 = 5_000;

/// Filters and paging for listing keys. Filtering and paging happen in storage so a console
/// over 100,000 keys never loads them all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyQuery {
    /// Keys to skip.
    pub offset: u32,
    /// Keys to return, at most [`MAX_PAGE_SIZE`].
    pub limit: u32,
    /// Only keys in these states; empty means every state but destroyed.
    pub states: Vec<KeyState>,
    /// The moment `states` are judged at, normally now: a key past its expiration date then
    /// counts as deactivated, as [`crate::Key::state_at`] says, although its row may still say
    /// active or suspended (until [`crate::Key::record_expiry`] is written down). `None`
    /// filters on the stored state alone.
    pub states_at: Option<OffsetDateTime>,
    /// Key Protect's search syntax ([`crate::KeySearch`]): by default a case-insensitive
    /// substring of the name or an alias, or an exact id.
    pub search: Option<String>,
    /// Only keys of this kind.
    pub kind: Option<KeyKind>,
    /// Only keys in these rings; `None` means every ring.
    pub key_rings: Option<Vec<KeyRingId>>,
    /// Only imported (`true`) or only generated (`false`) keys.
    pub imported: Option<bool>,
    /// Only keys whose deletion needs (`true`) or does not need (`false`) a second approver.
    pub dual_auth_delete: Option<bool>,
    /// Only keys that are (or are not) due for rotation at a given time, by the same rule as
    /// [`crate::Key::rotation_due`]. The caller supplies the time so storage needs no clock.
    pub rotation_due: Option<RotationDue>,
    /// Sort keys, most significant first; empty means newest first. Ties fall back to the id
    /// so that paging never shows a key twice or skips one.
    pub sort: Vec<KeySort>,
}

/// A field a key listing can be ordered by: Key Protect's `sort` fields, plus the name and
/// type the console's table sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrder {
    /// Key id.
    Id,
    /// Display name, case-insensitive.
    Name,
    /// Root or standard.
    Kind,
    /// Stored state.
    State,
    /// Whether the material was supplied by the caller.
    Imported,
    /// Creation time.
    CreationDate,
    /// Last metadata change.
    LastUpdateDate,
    /// Last rotation (never-rotated keys first when ascending).
    LastRotateDate,
    /// Deletion time (live keys first when ascending).
    DeletionDate,
    /// Expiration (keys that never expire first when ascending).
    ExpirationDate,
}

/// One sort key of a listing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySort {
    /// The field.
    pub by: KeyOrder,
    /// Largest first.
    pub descending: bool,
}

impl Default for KeyQuery {
    fn default() -> Self {
        Self {
            offset: 0,
            limit: 200,
            states: Vec::new(),
            states_at: None,
            search: None,
            kind: None,
            key_rings: None,
            imported: None,
            dual_auth_delete: None,
            rotation_due: None,
            sort: Vec::new(),
        }
    }
}

/// A rotation-due filter: keys whose policy makes them due (or not) at `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationDue {
    /// The moment the policy is judged at, normally now.
    pub at: OffsetDateTime,
    /// `true` for due keys, `false` for every other key.
    pub due: bool,
}

/// One page of keys and the count of all keys matching the query.
#[derive(Debug, Clone)]
pub struct KeyPage {
    /// Newest first.
    pub keys: Vec<Key>,
    /// Matches across all pages.
    pub total: u64,
}

/// What an update closure asks storage to write besides the changed metadata.
pub enum Change {
    /// Metadata only.
    Metadata,
    /// A new version to add in the same transaction (rotation).
    NewVersion(KeyVersion, KeyMaterial),
}

/// The storage port, for one instance. Implementations seal material at rest and make every
/// method one transaction: a crash never leaves a key without its current version's material,
/// and a change is never durable without its audit event (nor the event without the change).
pub trait KeyRepository: Send + Sync {
    /// Stores a new key, the material of its first version and the audit event.
    fn insert(
        &self,
        key: &Key,
        material: &KeyMaterial,
        event: &AuditEvent,
    ) -> Result<(), CoreError>;

    /// The key, in any state.
    fn key(&self, id: KeyId) -> Result<Key, CoreError>;

    /// The key an id or an alias names.
    fn resolve(&self, id_or_alias: &str) -> Result<KeyId, CoreError>;

    /// A page of keys.
    fn list(&self, query: &KeyQuery) -> Result<KeyPage, CoreError>;

    /// Reads the key, lets `change` apply a domain transition, and writes the result, all in
    /// one transaction so concurrent writers cannot lose each other's updates.
    fn update(
        &self,
        id: KeyId,
        change: &mut dyn FnMut(&mut Key) -> Result<Change, CoreError>,
        event: &AuditEvent,
    ) -> Result<Key, CoreError>;

    /// The unsealed material of one version of one key. A version of another key is
    /// [`CoreError::WrongKey`], so a ciphertext cannot be unwrapped through the wrong key.
    /// Shared (`Arc`) so a store may keep recently used material unsealed between calls; it
    /// is zeroized when the last holder drops it.
    fn material(&self, key: KeyId, version: KeyVersionId) -> Result<Arc<KeyMaterial>, CoreError>;

    /// Every version of a key, oldest first.
    fn versions(&self, key: KeyId) -> Result<Vec<KeyVersion>, CoreError>;
}
