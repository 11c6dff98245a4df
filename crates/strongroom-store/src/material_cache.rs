//! Unsealed key material, kept for the next wrap or unwrap of the same version.
//!
//! Without it every wrap and unwrap reads the sealed row from SQLite, opens it under the
//! master key and expands the AES key schedule again. The cache is deliberately narrow:
//!
//! - It holds material only, never a key's state: the facade checks the key's state, expiry
//!   and the caller's grants on every call (from SQLite, or from `recent.rs`, which a change
//!   forgets at once), so a disabled or deleted key refuses at once whatever is cached here.
//! - Entries are `Arc<KeyMaterial>`, whose bytes and expanded cipher are zeroized when the
//!   last holder drops them (eviction or forgetting while a call still uses one just
//!   postpones that to the end of the call).
//! - It is bounded ([`CAPACITY`] versions, oldest inserted evicted first), so a million keys
//!   do not put a million unsealed keys in memory (Vault's transit cache grew without bound,
//!   vault#5746).
//! - Any change to a key (rotate, disable, enable, delete, restore, move, purge) forgets all
//!   its versions, so material outlives its key's rows in no case.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use strongroom_core::{KeyId, KeyMaterial, KeyVersionId};

/// Versions kept unsealed at most.
pub(crate) const CAPACITY: usize = 4_096;

/// A cached version is found only by the instance, key and version it was read for, the same
/// triple the SQL lookup filters on, so the cache cannot widen what a lookup may return.
type Slot = (String, KeyId, KeyVersionId);

#[derive(Default)]
pub(crate) struct MaterialCache {
    inner: Mutex<Entries>,
}

#[derive(Default)]
struct Entries {
    by_slot: HashMap<Slot, Arc<KeyMaterial>>,
    order: VecDeque<Slot>,
}

impl MaterialCache {
    pub(crate) fn get(
        &self,
        instance: &str,
        key: KeyId,
        version: KeyVersionId,
    ) -> Option<Arc<KeyMaterial>> {
        self.lock()
            .by_slot
            .get(&(instance.to_owned(), key, version))
            .cloned()
    }

    pub(crate) fn insert(
        &self,
        instance: &str,
        key: KeyId,
        version: KeyVersionId,
        material: Arc<KeyMaterial>,
    ) {
        let mut entries = self.lock();
        let slot = (instance.to_owned(), key, version);
        if entries.by_slot.insert(slot.clone(), material).is_none() {
            entries.order.push_back(slot);
        }
        while entries.order.len() > CAPACITY {
            if let Some(oldest) = entries.order.pop_front() {
                entries.by_slot.remove(&oldest);
            }
        }
    }

    /// Drops every version of `key`: called for each change to the key, inside the write.
    pub(crate) fn forget(&self, key: KeyId) {
        let mut entries = self.lock();
        if entries.by_slot.keys().any(|(_, k, _)| *k == key) {
            entries.by_slot.retain(|(_, k, _), _| *k != key);
            entries.order.retain(|(_, k, _)| *k != key);
        }
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.lock().by_slot.len()
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        // Nothing here can be left half-changed by a panic that matters: at worst an entry is
        // missing from `order` and is never evicted before a forget.
        self.inner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn material() -> Arc<KeyMaterial> {
        Arc::new(KeyMaterial::generate().unwrap())
    }

    #[test]
    fn bounded_and_forgets_every_version_of_a_key() {
        let cache = MaterialCache::default();
        let key = KeyId::random();
        let (v1, v2) = (KeyVersionId::random(), KeyVersionId::random());
        cache.insert("i", key, v1, material());
        cache.insert("i", key, v2, material());
        assert!(cache.get("i", key, v1).is_some());
        assert!(
            cache.get("other", key, v1).is_none(),
            "another instance misses"
        );
        assert!(
            cache.get("i", KeyId::random(), v1).is_none(),
            "another key misses"
        );
        cache.forget(key);
        assert!(cache.get("i", key, v1).is_none() && cache.get("i", key, v2).is_none());

        for _ in 0..CAPACITY + 10 {
            cache.insert("i", KeyId::random(), KeyVersionId::random(), material());
        }
        assert_eq!(cache.len(), CAPACITY);
    }
}
