use aes_gcm::aead::consts::U12;
use aes_gcm::aes::Aes192;
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm, KeyInit};
use rand::rngs::OsRng;
use rand::TryRngCore;
use zeroize::Zeroizing;

use crate::CoreError;

type Aes192Gcm = AesGcm<Aes192, U12>;

/// The secret bytes of one key version, with the AES-GCM cipher already keyed.
///
/// Deliberately neither `Debug`, `Clone` nor `Serialize`: the only ways out of this type are
/// sealing it for storage and using it to wrap or unwrap. Both the bytes and the expanded
/// cipher state are zeroized on drop.
pub struct KeyMaterial {
    bytes: Zeroizing<Vec<u8>>,
    cipher: Option<Cipher>,
}

/// The cipher is expanded once per material, not once per wrap: key expansion would otherwise
/// dominate the cost of wrapping a 32-byte DEK.
pub(crate) enum Cipher {
    Aes128(Box<Aes128Gcm>),
    Aes192(Box<Aes192Gcm>),
    Aes256(Box<Aes256Gcm>),
}

impl KeyMaterial {
    /// Size of generated keys: AES-256.
    pub const GENERATED_LEN: usize = 32;
    /// The largest standard-key payload Key Protect accepts.
    pub const MAX_STANDARD_LEN: usize = 7_500;

    /// 256 fresh bits from the operating system's RNG.
    pub fn generate() -> Result<Self, CoreError> {
        let mut bytes = Zeroizing::new(vec![0u8; Self::GENERATED_LEN]);
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| CoreError::Randomness)?;
        Self::from_bytes(bytes)
    }

    /// Material for a root key: 16, 24 or 32 bytes (AES-128, -192 or -256).
    pub fn root(bytes: Zeroizing<Vec<u8>>) -> Result<Self, CoreError> {
        if !matches!(bytes.len(), 16 | 24 | 32) {
            return Err(CoreError::Invalid(
                "root key material must be 16, 24 or 32 bytes".into(),
            ));
        }
        Self::from_bytes(bytes)
    }

    /// A standard key's payload: 1 to 7,500 bytes of anything.
    pub fn standard(bytes: Zeroizing<Vec<u8>>) -> Result<Self, CoreError> {
        if bytes.is_empty() || bytes.len() > Self::MAX_STANDARD_LEN {
            return Err(CoreError::Invalid(
                "a standard key payload must be 1 to 7500 bytes".into(),
            ));
        }
        Self::from_bytes(bytes)
    }

    /// Rebuilds material unsealed from storage, whatever its length.
    pub fn from_bytes(bytes: Zeroizing<Vec<u8>>) -> Result<Self, CoreError> {
        let cipher = match bytes.len() {
            16 => Some(Cipher::Aes128(Box::new(
                Aes128Gcm::new_from_slice(&bytes).map_err(|_| invalid_length())?,
            ))),
            24 => Some(Cipher::Aes192(Box::new(
                Aes192Gcm::new_from_slice(&bytes).map_err(|_| invalid_length())?,
            ))),
            32 => Some(Cipher::Aes256(Box::new(
                Aes256Gcm::new_from_slice(&bytes).map_err(|_| invalid_length())?,
            ))),
            _ => None,
        };
        Ok(Self { bytes, cipher })
    }

    /// The raw bytes, for sealing at rest and for a standard key's explicit payload read.
    pub fn expose(&self) -> &[u8] {
        &self.bytes
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    /// Never true for valid material; present for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    pub(crate) fn cipher(&self) -> Result<&Cipher, CoreError> {
        self.cipher
            .as_ref()
            .ok_or_else(|| CoreError::Invalid("this key material cannot wrap".into()))
    }
}

fn invalid_length() -> CoreError {
    CoreError::Invalid("key material has an invalid length".into())
}

/// Plaintext that must not linger: a DEK handed in to wrap, or one that unwrap recovered.
/// Zeroized on drop; no `Debug`.
pub struct Secret(Zeroizing<Vec<u8>>);

impl Secret {
    /// Takes ownership of secret bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// A fresh 32-byte DEK from the operating system's RNG.
    pub fn generate_dek() -> Result<Self, CoreError> {
        let mut bytes = Zeroizing::new(vec![0u8; 32]);
        OsRng
            .try_fill_bytes(&mut bytes)
            .map_err(|_| CoreError::Randomness)?;
        Ok(Self(bytes))
    }

    /// The bytes, for encryption or for the single response that returns them.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl From<Zeroizing<Vec<u8>>> for Secret {
    fn from(bytes: Zeroizing<Vec<u8>>) -> Self {
        Self(bytes)
    }
}
