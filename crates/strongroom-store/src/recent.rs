//! What the data plane read from SQLite less than a second ago: keys (with their aliases) and
//! callers' grants, so that a wrap of a key in use can be answered on the async task without a
//! trip through the blocking pool or the connection's lock.
//!
//! Safety, the same rule as `live_keys.rs`:
//!
//! - Only the cache-only lookups (`recent_*`) read from here; every other read, including the
//!   slow path of a wrap, asks SQLite and then remembers what it found.
//! - A change made through this store forgets what it touches (a key's change forgets the
//!   key, an identity change forgets every caller), and a lookup that raced with a change is
//!   not remembered (the generation check), so in this process a disabled key, a moved key or
//!   a deleted authorization refuses from the next call on.
//! - A change committed by another process on the same data directory (the CLI while the
//!   server runs) is seen within [`TTL`].
//! - It holds metadata and grants only; material stays in `material_cache.rs`.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How long an answer read from SQLite is trusted without asking again.
pub(crate) const TTL: Duration = Duration::from_secs(1);

/// Entries kept at most; past it, expired ones go and then, if need be, all of them (it only
/// saves queries).
pub(crate) const CAPACITY: usize = 16_384;

/// A map of answers read from SQLite, each trusted for [`TTL`].
pub(crate) struct Recent<K, V> {
    state: Mutex<State<K, V>>,
}

struct State<K, V> {
    /// Bumped by every forget; a lookup started under an older generation is not kept.
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

impl<K: Eq + Hash, V: Clone> Default for Recent<K, V> {
    fn default() -> Self {
        Self {
            state: Mutex::new(State {
                generation: 0,
                entries: HashMap::new(),
            }),
        }
    }
}

impl<K: Eq + Hash, V: Clone> Recent<K, V> {
    fn state(&self) -> MutexGuard<'_, State<K, V>> {
        // No invariant spans two statements here; a poisoned lock is reusable.
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The answer for `key` if it was read less than [`TTL`] ago.
    pub(crate) fn get<Q>(&self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Eq + Hash + ?Sized,
    {
        match self.state().entries.get(key) {
            Some((at, value)) if at.elapsed() < TTL => Some(value.clone()),
            _ => None,
        }
    }

    /// Take this before reading SQLite, and hand it to [`Recent::remember`] after.
    pub(crate) fn generation(&self) -> u64 {
        self.state().generation
    }

    /// Keeps what SQLite answered, unless something was forgotten since `generation`.
    pub(crate) fn remember(&self, key: K, value: V, generation: u64) {
        let mut state = self.state();
        if state.generation != generation {
            return;
        }
        if state.entries.len() >= CAPACITY {
            state.entries.retain(|_, (at, _)| at.elapsed() < TTL);
            if state.entries.len() >= CAPACITY {
                state.entries.clear();
            }
        }
        state.entries.insert(key, (Instant::now(), value));
    }

    /// Forgets `key`'s entry.
    pub(crate) fn forget(&self, key: &K) {
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        state.entries.remove(key);
    }

    /// Forgets the entries `stale` picks.
    pub(crate) fn forget_where(&self, mut stale: impl FnMut(&K, &V) -> bool) {
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        state.entries.retain(|key, (_, value)| !stale(key, value));
    }

    /// Forgets everything.
    pub(crate) fn forget_all(&self) {
        self.forget_where(|_, _| true);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.state().entries.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_forget_drops_entries_and_refuses_a_racing_lookup() {
        let recent: Recent<String, u32> = Recent::default();
        let generation = recent.generation();
        recent.remember("a".into(), 1, generation);
        assert_eq!(recent.get("a"), Some(1));
        let racing = recent.generation();
        recent.forget_where(|key, _| key == "a");
        assert_eq!(recent.get("a"), None, "forgotten");
        recent.remember("b".into(), 2, racing);
        assert_eq!(
            recent.get("b"),
            None,
            "a lookup older than the forget is dropped"
        );
    }

    #[test]
    fn bounded() {
        let recent: Recent<usize, ()> = Recent::default();
        for i in 0..CAPACITY + 10 {
            recent.remember(i, (), recent.generation());
        }
        assert!(recent.len() <= CAPACITY);
    }
}
