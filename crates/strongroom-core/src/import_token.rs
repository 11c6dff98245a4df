//! Secure import (Key Protect's "import token"): the caller encrypts new root-key material to
//! our RSA-4096 public key (OAEP) and proves freshness by sealing our nonce under that
//! material with AES-GCM. The material never crosses the wire in a form we did not ask for.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::aes::Aes192;
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm, Nonce};
use rsa::pkcs8::{DecodePrivateKey, EncodePrivateKey, EncodePublicKey, LineEnding};
use rsa::{Oaep, RsaPrivateKey};
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use crate::{CoreError, KeyMaterial};

/// Key Protect's bounds on a token's lifetime, in seconds, and its default.
pub const LIFETIME_SECS: std::ops::RangeInclusive<i64> = 300..=86_400;
/// Default lifetime: ten minutes.
pub const DEFAULT_LIFETIME_SECS: i64 = 600;
/// Bounds on how often the token may be retrieved.
pub const RETRIEVALS: std::ops::RangeInclusive<u32> = 1..=500;
const RSA_BITS: usize = 4096;

/// How the caller encrypted the key material.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportAlgorithm {
    /// `RSAES_OAEP_SHA_256`, Key Protect's default.
    OaepSha256,
    /// `RSAES_OAEP_SHA_1`, which the Go client offers for HPCS.
    OaepSha1,
}

impl ImportAlgorithm {
    /// Parses Key Protect's name; absent means SHA-256.
    pub fn parse(name: Option<&str>) -> Result<Self, CoreError> {
        match name.map(str::trim) {
            None | Some("") | Some("RSAES_OAEP_SHA_256") => Ok(Self::OaepSha256),
            Some("RSAES_OAEP_SHA_1") => Ok(Self::OaepSha1),
            Some(_) => Err(CoreError::Invalid(
                "encryptionAlgorithm must be RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1".into(),
            )),
        }
    }
}

/// What the caller sends to import under a token.
pub struct SealedImport<'a> {
    /// RSA-OAEP ciphertext of the key material.
    pub payload: &'a [u8],
    /// AES-GCM(material, iv) of our nonce, with its tag.
    pub encrypted_nonce: &'a [u8],
    /// The 12-byte GCM IV used for the nonce.
    pub iv: &'a [u8],
    /// OAEP's hash.
    pub algorithm: ImportAlgorithm,
}

/// An import token: an RSA key pair, a nonce, and limits on its life.
pub struct ImportToken {
    /// When it was made.
    pub created_at: OffsetDateTime,
    /// After this, it is refused.
    pub expires_at: OffsetDateTime,
    /// How often it may be retrieved.
    pub max_retrievals: u32,
    /// Retrievals left.
    pub remaining_retrievals: u32,
    /// The nonce the caller must seal.
    pub nonce: [u8; 12],
    private_key: RsaPrivateKey,
}

impl ImportToken {
    /// A new token with a fresh RSA-4096 key pair (this takes a moment).
    pub fn create(
        now: OffsetDateTime,
        lifetime_secs: Option<i64>,
        max_retrievals: Option<u32>,
    ) -> Result<Self, CoreError> {
        let lifetime = lifetime_secs.unwrap_or(DEFAULT_LIFETIME_SECS);
        if !LIFETIME_SECS.contains(&lifetime) {
            return Err(CoreError::Invalid(
                "expiration must be 300 to 86400 seconds".into(),
            ));
        }
        let max_retrievals = max_retrievals.unwrap_or(1);
        if !RETRIEVALS.contains(&max_retrievals) {
            return Err(CoreError::Invalid(
                "maxAllowedRetrievals must be 1 to 500".into(),
            ));
        }
        let mut rng = rand_core_06::OsRng;
        let private_key =
            RsaPrivateKey::new(&mut rng, RSA_BITS).map_err(|_| CoreError::Randomness)?;
        let mut nonce = [0u8; 12];
        rand_core_06::RngCore::try_fill_bytes(&mut rng, &mut nonce)
            .map_err(|_| CoreError::Randomness)?;
        Ok(Self {
            created_at: now,
            expires_at: now + Duration::seconds(lifetime),
            max_retrievals,
            remaining_retrievals: max_retrievals,
            nonce,
            private_key,
        })
    }

    /// Rebuilds a stored token.
    pub fn restore(
        created_at: OffsetDateTime,
        expires_at: OffsetDateTime,
        max_retrievals: u32,
        remaining_retrievals: u32,
        nonce: [u8; 12],
        private_key_der: &[u8],
    ) -> Result<Self, CoreError> {
        let private_key = RsaPrivateKey::from_pkcs8_der(private_key_der)
            .map_err(|_| CoreError::Invalid("the stored import token is damaged".into()))?;
        Ok(Self {
            created_at,
            expires_at,
            max_retrievals,
            remaining_retrievals,
            nonce,
            private_key,
        })
    }

    /// The private key as PKCS#8 DER, for sealing at rest.
    pub fn private_key_der(&self) -> Result<Zeroizing<Vec<u8>>, CoreError> {
        self.private_key
            .to_pkcs8_der()
            .map(|der| Zeroizing::new(der.as_bytes().to_vec()))
            .map_err(|_| CoreError::Randomness)
    }

    /// The public key as PEM (`-----BEGIN PUBLIC KEY-----`), what clients encrypt to.
    pub fn public_key_pem(&self) -> Result<String, CoreError> {
        self.private_key
            .to_public_key()
            .to_public_key_pem(LineEnding::LF)
            .map_err(|_| CoreError::Randomness)
    }

    fn check_live(&self, now: OffsetDateTime) -> Result<(), CoreError> {
        if now >= self.expires_at {
            return Err(CoreError::ImportTokenExpired);
        }
        Ok(())
    }

    /// Counts one retrieval of the public key and nonce.
    pub fn retrieve(&mut self, now: OffsetDateTime) -> Result<(), CoreError> {
        self.check_live(now)?;
        if self.remaining_retrievals == 0 {
            return Err(CoreError::ImportTokenExpired);
        }
        self.remaining_retrievals -= 1;
        Ok(())
    }

    /// Decrypts imported root-key material and checks the caller sealed our nonce with it.
    pub fn open(
        &self,
        sealed: &SealedImport<'_>,
        now: OffsetDateTime,
    ) -> Result<KeyMaterial, CoreError> {
        self.check_live(now)?;
        let material = match sealed.algorithm {
            ImportAlgorithm::OaepSha256 => self
                .private_key
                .decrypt(Oaep::new::<sha2::Sha256>(), sealed.payload),
            ImportAlgorithm::OaepSha1 => self
                .private_key
                .decrypt(Oaep::new::<sha1::Sha1>(), sealed.payload),
        }
        .map(Zeroizing::new)
        .map_err(|_| {
            CoreError::Invalid("the payload could not be decrypted with the import token".into())
        })?;
        if sealed.iv.len() != 12 {
            return Err(CoreError::IncorrectNonce("the iv must be 12 bytes"));
        }
        let iv = Nonce::from_slice(sealed.iv);
        let opened = match material.len() {
            16 => Aes128Gcm::new_from_slice(&material)
                .ok()
                .and_then(|c| c.decrypt(iv, sealed.encrypted_nonce).ok()),
            24 => AesGcm::<Aes192, aes_gcm::aead::consts::U12>::new_from_slice(&material)
                .ok()
                .and_then(|c| c.decrypt(iv, sealed.encrypted_nonce).ok()),
            32 => Aes256Gcm::new_from_slice(&material)
                .ok()
                .and_then(|c| c.decrypt(iv, sealed.encrypted_nonce).ok()),
            _ => {
                return Err(CoreError::Invalid(
                    "root key material must be 16, 24 or 32 bytes".into(),
                ))
            }
        };
        match opened {
            Some(nonce) if nonce.as_slice() == self.nonce => KeyMaterial::root(material),
            _ => Err(CoreError::IncorrectNonce(
                "the encrypted nonce does not match the import token",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::pkcs8::DecodePublicKey;
    use rsa::RsaPublicKey;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-01-01 12:00 UTC);

    /// What a client does: encrypt material to the public key, seal the nonce with it.
    fn client_side(
        token: &ImportToken,
        material: &[u8],
        nonce: &[u8],
    ) -> (Vec<u8>, Vec<u8>, [u8; 12]) {
        let public = RsaPublicKey::from_public_key_pem(&token.public_key_pem().unwrap()).unwrap();
        let payload = public
            .encrypt(
                &mut rand_core_06::OsRng,
                Oaep::new::<sha2::Sha256>(),
                material,
            )
            .unwrap();
        let iv = [5u8; 12];
        let encrypted_nonce = Aes256Gcm::new_from_slice(material)
            .unwrap()
            .encrypt(Nonce::from_slice(&iv), nonce)
            .unwrap();
        (payload, encrypted_nonce, iv)
    }

    #[test]
    fn secure_import_round_trip_nonce_check_and_expiry() {
        let mut token = ImportToken::create(NOW, None, Some(2)).unwrap();
        token.retrieve(NOW).unwrap();
        let material = [42u8; 32];
        let (payload, encrypted_nonce, iv) = client_side(&token, &material, &token.nonce);
        let sealed = SealedImport {
            payload: &payload,
            encrypted_nonce: &encrypted_nonce,
            iv: &iv,
            algorithm: ImportAlgorithm::OaepSha256,
        };
        assert_eq!(token.open(&sealed, NOW).unwrap().expose(), &material);

        let (payload, wrong_nonce, iv) = client_side(&token, &material, &[0u8; 12]);
        let forged = SealedImport {
            payload: &payload,
            encrypted_nonce: &wrong_nonce,
            iv: &iv,
            algorithm: ImportAlgorithm::OaepSha256,
        };
        assert!(matches!(
            token.open(&forged, NOW),
            Err(CoreError::IncorrectNonce(_))
        ));

        let stored = ImportToken::restore(
            token.created_at,
            token.expires_at,
            token.max_retrievals,
            token.remaining_retrievals,
            token.nonce,
            &token.private_key_der().unwrap(),
        )
        .unwrap();
        assert_eq!(
            stored.open(&sealed, NOW).unwrap().expose(),
            &material,
            "survives storage"
        );

        assert!(matches!(
            token.open(&sealed, NOW + Duration::minutes(10)),
            Err(CoreError::ImportTokenExpired)
        ));
        token.retrieve(NOW).unwrap();
        assert!(
            matches!(token.retrieve(NOW), Err(CoreError::ImportTokenExpired)),
            "retrievals run out"
        );
    }

    #[test]
    fn limits_are_checked() {
        assert!(ImportToken::create(NOW, Some(299), None).is_err());
        assert!(ImportToken::create(NOW, Some(600), Some(0)).is_err());
        assert!(ImportAlgorithm::parse(Some("RSAES_PKCS1")).is_err());
        assert_eq!(
            ImportAlgorithm::parse(None).unwrap(),
            ImportAlgorithm::OaepSha256
        );
    }
}
