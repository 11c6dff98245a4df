//! The wrapped-DEK format and the AES-GCM operations behind wrap and unwrap.
//!
//! An envelope is self-describing, so unwrap needs only the key and the caller's AAD:
//!
//! ```text
//! offset  len  field
//!      0    2  magic "SR"
//!      2    1  format version (1)
//!      3   16  key version id (UUID bytes)
//!     19   12  nonce (random, fresh per wrap)
//!     31    n  AES-GCM ciphertext of the DEK
//!   31+n   16  GCM tag
//! ```
//!
//! The GCM associated data is the 31-byte header followed by the caller's AAD list, encoded
//! without ambiguity as a big-endian `u32` count and then, per item, a big-endian `u32` length
//! and the item's bytes. So `["ab","c"]`, `["a","bc"]` and `["abc"]` all differ, and altering
//! the header (for instance the version id) fails authentication like altering the ciphertext.

use aes_gcm::aead::AeadInPlace;
use aes_gcm::{Nonce, Tag};
use rand::RngCore;

use crate::material::Cipher;
use crate::{CoreError, KeyMaterial, KeyVersionId, Secret};

const MAGIC: &[u8; 2] = b"SR";
const FORMAT_V1: u8 = 1;
const HEADER_LEN: usize = 2 + 1 + 16 + NONCE_LEN;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;

/// Largest plaintext wrap accepts, in bytes (Key Protect's limit on the decoded value).
pub const MAX_PLAINTEXT_LEN: usize = 4096;
/// Most AAD items per call (Key Protect: 126).
pub const MAX_AAD_ITEMS: usize = 126;
/// Longest AAD item, in bytes (Key Protect: 255 characters).
pub const MAX_AAD_ITEM_LEN: usize = 255;

/// Seals `plaintext` under `material` and names `version` in the result.
pub fn wrap<A: AsRef<[u8]>>(
    material: &KeyMaterial,
    version: KeyVersionId,
    plaintext: &[u8],
    aad: &[A],
) -> Result<Vec<u8>, CoreError> {
    if plaintext.is_empty() || plaintext.len() > MAX_PLAINTEXT_LEN {
        return Err(CoreError::Invalid(format!(
            "the plaintext must be 1 to {MAX_PLAINTEXT_LEN} bytes"
        )));
    }
    check_aad(aad)?;
    let mut header = [0u8; HEADER_LEN];
    header[..2].copy_from_slice(MAGIC);
    header[2] = FORMAT_V1;
    header[3..19].copy_from_slice(version.as_bytes());
    rand::rng().fill_bytes(&mut header[19..]);

    // One allocation: header, then the plaintext encrypted in place, then the tag.
    let mut out = Vec::with_capacity(HEADER_LEN + plaintext.len() + TAG_LEN);
    out.extend_from_slice(&header);
    out.extend_from_slice(plaintext);
    let nonce = Nonce::from_slice(&header[19..]);
    let cipher = material.cipher()?;
    let tag = with_associated_data(&header, aad, |associated| {
        let body = &mut out[HEADER_LEN..];
        match cipher {
            Cipher::Aes128(c) => c.encrypt_in_place_detached(nonce, associated, body),
            Cipher::Aes192(c) => c.encrypt_in_place_detached(nonce, associated, body),
            Cipher::Aes256(c) => c.encrypt_in_place_detached(nonce, associated, body),
        }
    })
    .map_err(|_| CoreError::Invalid("the plaintext is too large to wrap".into()))?;
    out.extend_from_slice(&tag);
    Ok(out)
}

/// A parsed envelope, borrowed from the caller's bytes. Parsing checks structure only;
/// authenticity is established by [`Envelope::open`].
#[derive(Debug, Clone, Copy)]
pub struct Envelope<'a> {
    header: &'a [u8],
    sealed: &'a [u8],
    version: KeyVersionId,
}

impl<'a> Envelope<'a> {
    /// Reads the header. Truncated input, a wrong magic or an unknown format version fail here.
    pub fn parse(bytes: &'a [u8]) -> Result<Self, CoreError> {
        if bytes.len() < HEADER_LEN + TAG_LEN + 1 {
            return Err(CoreError::MalformedCiphertext("it is too short"));
        }
        let (header, sealed) = bytes.split_at(HEADER_LEN);
        if &header[..2] != MAGIC {
            return Err(CoreError::MalformedCiphertext(
                "it was not produced by Strongroom",
            ));
        }
        if header[2] != FORMAT_V1 {
            return Err(CoreError::MalformedCiphertext(
                "its format version is not supported",
            ));
        }
        let mut id = [0u8; 16];
        id.copy_from_slice(&header[3..19]);
        Ok(Self {
            header,
            sealed,
            version: KeyVersionId::from_bytes(id),
        })
    }

    /// The key version that sealed this envelope.
    pub fn version(&self) -> KeyVersionId {
        self.version
    }

    /// Authenticates and decrypts with the material of [`Envelope::version`].
    pub fn open<A: AsRef<[u8]>>(
        &self,
        material: &KeyMaterial,
        aad: &[A],
    ) -> Result<Secret, CoreError> {
        check_aad(aad)?;
        let (body, tag) = self.sealed.split_at(self.sealed.len() - TAG_LEN);
        let nonce = Nonce::from_slice(&self.header[19..]);
        let tag = Tag::from_slice(tag);
        let mut plaintext = zeroize::Zeroizing::new(body.to_vec());
        let cipher = material.cipher()?;
        with_associated_data(self.header, aad, |associated| {
            let buffer = plaintext.as_mut_slice();
            match cipher {
                Cipher::Aes128(c) => c.decrypt_in_place_detached(nonce, associated, buffer, tag),
                Cipher::Aes192(c) => c.decrypt_in_place_detached(nonce, associated, buffer, tag),
                Cipher::Aes256(c) => c.decrypt_in_place_detached(nonce, associated, buffer, tag),
            }
        })
        .map_err(|_| CoreError::Undecryptable)?;
        Ok(Secret::from(plaintext))
    }
}

fn check_aad<A: AsRef<[u8]>>(aad: &[A]) -> Result<(), CoreError> {
    if aad.len() > MAX_AAD_ITEMS {
        return Err(CoreError::Invalid(format!(
            "at most {MAX_AAD_ITEMS} additional authenticated data items are allowed"
        )));
    }
    if aad
        .iter()
        .any(|item| item.as_ref().len() > MAX_AAD_ITEM_LEN)
    {
        return Err(CoreError::Invalid(format!(
            "each additional authenticated data item must be at most {MAX_AAD_ITEM_LEN} bytes"
        )));
    }
    Ok(())
}

/// Runs `f` over the GCM associated data: header ‖ u32 count ‖ (u32 length ‖ item)*. Small
/// lists (the common case) are encoded on the stack, so a wrap allocates only its output.
/// The buffer comes in two sizes because zero-filling it is part of every call: 64 bytes
/// holds the header with no AAD or one short item, and filling 512 for those cost more than
/// a tenth of an unwrap.
fn with_associated_data<A: AsRef<[u8]>, T>(
    header: &[u8],
    aad: &[A],
    f: impl FnOnce(&[u8]) -> T,
) -> T {
    const SMALL: usize = 64;
    const STACK: usize = 512;
    let len = header.len() + 4 + aad.iter().map(|a| 4 + a.as_ref().len()).sum::<usize>();
    let encode = |out: &mut [u8]| {
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(header);
        // Counts and lengths fit in u32: check_aad bounds both far below u32::MAX.
        put(&(aad.len() as u32).to_be_bytes());
        for item in aad {
            let item = item.as_ref();
            put(&(item.len() as u32).to_be_bytes());
            put(item);
        }
    };
    if len <= SMALL {
        let mut buffer = [0u8; SMALL];
        encode(&mut buffer[..len]);
        f(&buffer[..len])
    } else if len <= STACK {
        let mut buffer = [0u8; STACK];
        encode(&mut buffer[..len]);
        f(&buffer[..len])
    } else {
        let mut buffer = vec![0u8; len];
        encode(&mut buffer);
        f(&buffer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use zeroize::Zeroizing;

    fn material() -> KeyMaterial {
        KeyMaterial::generate().unwrap()
    }

    /// A format-v1 envelope built outside this crate (Python's `cryptography`, from the layout
    /// in this module's docs). The console's ciphertext inspector parses the same string
    /// (`ui/src/features/wrapping/envelopeFormat.test.ts`), so a format change fails both.
    const KNOWN_ENVELOPE: &str = "U1IBDVwvHno7TJ2OHyo7TF1uf6Gio6SlpqeoqaqrrGStxS22F3wtzDzwMhaAjjEg1WhtNQcWxaDddRImWiWU17GGFN76C4zBu8ShXtZVWg==";

    #[test]
    fn opens_an_envelope_built_from_the_documented_layout() {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(KNOWN_ENVELOPE)
            .unwrap();
        let material = KeyMaterial::root(Zeroizing::new((0u8..32).collect())).unwrap();
        let env = Envelope::parse(&bytes).unwrap();
        assert_eq!(
            env.version().to_string(),
            "0d5c2f1e-7a3b-4c9d-8e1f-2a3b4c5d6e7f"
        );
        assert_eq!(
            env.open(&material, &[] as &[&[u8]]).unwrap().expose(),
            &[0x42u8; 32]
        );
    }

    proptest! {
        #[test]
        fn round_trip_any_size_and_aad(
            plaintext in proptest::collection::vec(any::<u8>(), 1..=MAX_PLAINTEXT_LEN),
            aad in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..=MAX_AAD_ITEM_LEN), 0..8),
            key_len in prop::sample::select(vec![16usize, 24, 32]),
        ) {
            let m = KeyMaterial::root(Zeroizing::new(vec![7u8; key_len])).unwrap();
            let v = KeyVersionId::random();
            let ct = wrap(&m, v, &plaintext, &aad).unwrap();
            let env = Envelope::parse(&ct).unwrap();
            prop_assert_eq!(env.version(), v);
            let pt = env.open(&m, &aad).unwrap();
            prop_assert_eq!(pt.expose(), &plaintext[..]);
        }

        #[test]
        fn any_flipped_bit_is_rejected(bit in 0usize..(HEADER_LEN + 32 + TAG_LEN) * 8) {
            let m = material();
            let ct = wrap(&m, KeyVersionId::random(), &[9u8; 32], &["tenant-a"]).unwrap();
            let mut bad = ct.clone();
            bad[bit / 8] ^= 1 << (bit % 8);
            let outcome = Envelope::parse(&bad).and_then(|env| env.open(&m, &["tenant-a"]));
            prop_assert!(outcome.is_err(), "a flipped bit {} went unnoticed", bit);
        }

        #[test]
        fn garbage_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let m = material();
            let _ = Envelope::parse(&bytes).and_then(|env| env.open(&m, &[] as &[&[u8]]));
        }
    }

    #[test]
    fn wrong_aad_is_rejected_and_aad_encoding_is_unambiguous() {
        let m = material();
        let ct = wrap(&m, KeyVersionId::random(), b"dek-bytes", &["ab", "c"]).unwrap();
        let env = Envelope::parse(&ct).unwrap();
        assert!(env.open(&m, &["ab", "c"]).is_ok());
        for other in [
            &["a", "bc"][..],
            &["abc"],
            &["ab", "c", ""],
            &[],
            &["ab", "d"],
        ] {
            assert!(
                matches!(env.open(&m, other), Err(CoreError::Undecryptable)),
                "AAD {other:?} must not open an envelope sealed with [\"ab\", \"c\"]"
            );
        }
    }

    #[test]
    fn wrong_key_is_rejected() {
        let ct = wrap(&material(), KeyVersionId::random(), b"dek", &[] as &[&str]).unwrap();
        let env = Envelope::parse(&ct).unwrap();
        assert!(matches!(
            env.open(&material(), &[] as &[&str]),
            Err(CoreError::Undecryptable)
        ));
    }

    #[test]
    fn truncated_and_foreign_input_is_malformed() {
        let ct = wrap(&material(), KeyVersionId::random(), b"dek", &[] as &[&str]).unwrap();
        for len in [0, 1, HEADER_LEN, HEADER_LEN + TAG_LEN] {
            assert!(matches!(
                Envelope::parse(&ct[..len]),
                Err(CoreError::MalformedCiphertext(_))
            ));
        }
        let mut foreign = ct.clone();
        foreign[0] = b'X';
        assert!(matches!(
            Envelope::parse(&foreign),
            Err(CoreError::MalformedCiphertext(_))
        ));
        let mut future = ct;
        future[2] = 2;
        assert!(matches!(
            Envelope::parse(&future),
            Err(CoreError::MalformedCiphertext(_))
        ));
    }

    #[test]
    fn limits_are_enforced() {
        let m = material();
        let v = KeyVersionId::random();
        assert!(wrap(&m, v, &[], &[] as &[&str]).is_err());
        assert!(wrap(&m, v, &vec![0; MAX_PLAINTEXT_LEN + 1], &[] as &[&str]).is_err());
        assert!(wrap(&m, v, b"x", &vec!["a"; MAX_AAD_ITEMS + 1]).is_err());
        assert!(wrap(&m, v, b"x", &["a".repeat(MAX_AAD_ITEM_LEN + 1)]).is_err());
    }

    #[test]
    fn nonces_are_fresh() {
        let m = material();
        let v = KeyVersionId::random();
        let a = wrap(&m, v, b"same", &[] as &[&str]).unwrap();
        let b = wrap(&m, v, b"same", &[] as &[&str]).unwrap();
        assert_ne!(a[19..31], b[19..31], "two wraps reused a nonce");
    }

    #[test]
    fn standard_payloads_cannot_wrap() {
        let m = KeyMaterial::standard(Zeroizing::new(vec![1; 10])).unwrap();
        assert!(wrap(&m, KeyVersionId::random(), b"x", &[] as &[&str]).is_err());
    }
}
