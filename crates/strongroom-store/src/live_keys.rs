//! API keys recently found live, so that verifying a bearer token does not query SQLite (and
//! wait for the connection's lock on an async worker) on every request.
//!
//! Safety: only "live" answers are remembered, for at most [`TTL`]. A revocation through this
//! store (`SqliteStore::revoke_api_key`) forgets them all once it has committed, and a lookup
//! that raced with it is not remembered (the generation check below), so in this process a
//! revoked key's tokens are refused from the next request on. A revocation committed by
//! another process (`strongroom apikeys revoke` on the same data directory while the
//! server runs) takes effect within [`TTL`].

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// How long a "live" answer is trusted without asking SQLite again.
pub(crate) const TTL: Duration = Duration::from_secs(1);

/// More API keys than this in use within [`TTL`] just clears the map (it only saves queries).
const MAX_ENTRIES: usize = 1024;

#[derive(Default)]
pub(crate) struct LiveKeys {
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    /// Bumped by every revocation; a lookup started under an older generation is not kept.
    generation: u64,
    /// API key id → when it was last read live from SQLite.
    live: HashMap<String, Instant>,
}

impl LiveKeys {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        // The map holds no invariant a panic could break halfway; a poisoned lock is reusable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `id` was read live less than [`TTL`] ago; otherwise the generation to pass to
    /// [`LiveKeys::remember`] after asking SQLite.
    pub(crate) fn check(&self, id: &str) -> Result<(), u64> {
        let state = self.state();
        match state.live.get(id) {
            Some(at) if at.elapsed() < TTL => Ok(()),
            _ => Err(state.generation),
        }
    }

    /// Remembers that SQLite said `id` is live, unless a revocation happened since the
    /// lookup began (`generation` from [`LiveKeys::check`]).
    pub(crate) fn remember(&self, id: &str, generation: u64) {
        let mut state = self.state();
        if state.generation != generation {
            return;
        }
        if state.live.len() >= MAX_ENTRIES {
            state.live.clear();
        }
        state.live.insert(id.to_owned(), Instant::now());
    }

    /// Forgets every remembered answer; called after a revocation commits.
    pub(crate) fn forget_all(&self) {
        let mut state = self.state();
        state.generation = state.generation.wrapping_add(1);
        state.live.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_revocation_forgets_and_refuses_a_racing_lookup() {
        let keys = LiveKeys::default();
        let generation = keys.check("k").unwrap_err();
        keys.remember("k", generation);
        assert_eq!(keys.check("k"), Ok(()));
        let racing = keys.check("other").unwrap_err();
        keys.forget_all();
        assert!(keys.check("k").is_err(), "forgotten on revocation");
        keys.remember("other", racing);
        assert!(
            keys.check("other").is_err(),
            "a lookup older than the revocation is dropped"
        );
    }
}
