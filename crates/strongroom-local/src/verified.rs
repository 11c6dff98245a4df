//! Bearer tokens this process has verified. An SDK sends the same token on every request for
//! the hour it lives, and decoding and MACing it each time was 3 % of a wrap's CPU under
//! load (docs/benchmarks.md §2).
//!
//! An entry is found by the token's signature and used only if the whole token equals the
//! one verified, compared in constant time; anything else is verified from scratch. What an
//! entry keeps is what verification proved (principal, API key, expiry): the expiry and the
//! API key's liveness are still checked on every request, so a revocation is seen as before.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// Entries kept at most; past it the map starts over (tokens are re-verified, not refused).
const CAPACITY: usize = 1024;

/// What verifying one token proved.
#[derive(Clone)]
pub(crate) struct Verified {
    pub(crate) iam_id: String,
    pub(crate) api_key_id: Arc<str>,
    /// Unix seconds.
    pub(crate) exp: i64,
}

struct Entry {
    token: Zeroizing<Vec<u8>>,
    verified: Verified,
}

#[derive(Default)]
pub(crate) struct VerifiedTokens {
    entries: Mutex<HashMap<[u8; 32], Entry>>,
}

impl VerifiedTokens {
    /// What `token` (whose decoded signature is `signature`) proved when it was verified.
    pub(crate) fn get(&self, signature: &[u8; 32], token: &str) -> Option<Verified> {
        let entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = entries.get(signature)?;
        bool::from(entry.token.as_slice().ct_eq(token.as_bytes())).then(|| entry.verified.clone())
    }

    /// Remembers a token that passed verification.
    pub(crate) fn insert(&self, signature: [u8; 32], token: &str, verified: Verified) {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            signature,
            Entry {
                token: Zeroizing::new(token.as_bytes().to_vec()),
                verified,
            },
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verified() -> Verified {
        Verified {
            iam_id: "IBMid-a".into(),
            api_key_id: "key-1".into(),
            exp: 100,
        }
    }

    #[test]
    fn only_the_same_token_is_found() {
        let tokens = VerifiedTokens::default();
        tokens.insert([1; 32], "h.c.s", verified());
        assert_eq!(tokens.get(&[1; 32], "h.c.s").map(|v| v.exp), Some(100));
        assert!(
            tokens.get(&[1; 32], "h.other.s").is_none(),
            "same signature, other claims"
        );
        assert!(tokens.get(&[2; 32], "h.c.s").is_none());
    }

    #[test]
    fn a_full_map_starts_over() {
        let tokens = VerifiedTokens::default();
        for n in 0..=CAPACITY {
            let mut signature = [0u8; 32];
            signature[..8].copy_from_slice(&(n as u64).to_be_bytes());
            tokens.insert(signature, &format!("token-{n}"), verified());
        }
        let entries = tokens.entries.lock().unwrap();
        assert_eq!(
            entries.len(),
            1,
            "cleared at capacity, then the newest kept"
        );
    }
}
