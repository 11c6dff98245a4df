//! Sealing key material at rest under the master key.

use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use rand::RngCore;
use strongroom_core::{KeyId, KeyMaterial, KeyVersionId};
use zeroize::Zeroizing;

use crate::StoreError;

const NONCE_LEN: usize = 12;
const CONTEXT: &[u8] = b"strongroom:key-material:v1";
const CHECK_CONTEXT: &[u8] = b"strongroom:master-key-check:v1";
const SETTING_CONTEXT: &[u8] = b"strongroom:setting:v1";

/// The master key, expanded. Binding each sealed blob to its key id and version id (the AAD)
/// means a row copied onto another key or version fails to open instead of being misused.
pub(crate) struct Sealer(Box<Aes256Gcm>);

impl Sealer {
    pub(crate) fn new(master_key: &Zeroizing<[u8; 32]>) -> Self {
        Self(Box::new(Aes256Gcm::new(master_key.as_ref().into())))
    }

    pub(crate) fn seal(
        &self,
        key: KeyId,
        version: KeyVersionId,
        material: &KeyMaterial,
    ) -> Result<Vec<u8>, StoreError> {
        self.seal_bytes(&material_aad(key, version), material.expose())
    }

    pub(crate) fn open(
        &self,
        key: KeyId,
        version: KeyVersionId,
        sealed: &[u8],
    ) -> Result<KeyMaterial, StoreError> {
        let bytes = self
            .open_bytes(&material_aad(key, version), sealed)
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "the material of key {key} version {version} does not open"
                ))
            })?;
        Ok(KeyMaterial::from_bytes(bytes)?)
    }

    /// A blob that proves, on the next open, that the master key is the one this keystore was
    /// created with, before any key is touched.
    pub(crate) fn check_value(&self, keystore: &str) -> Result<Vec<u8>, StoreError> {
        self.seal_bytes(&check_aad(keystore), CHECK_CONTEXT)
    }

    pub(crate) fn verify_check_value(&self, keystore: &str, sealed: &[u8]) -> bool {
        self.open_bytes(&check_aad(keystore), sealed)
            .is_some_and(|plain| plain.as_slice() == CHECK_CONTEXT)
    }

    /// Seals a secret setting; the AAD binds it to its name.
    pub(crate) fn seal_setting(&self, name: &str, value: &[u8]) -> Result<Vec<u8>, StoreError> {
        self.seal_bytes(&[SETTING_CONTEXT, name.as_bytes()].concat(), value)
    }

    pub(crate) fn open_setting(
        &self,
        name: &str,
        sealed: &[u8],
    ) -> Result<Zeroizing<Vec<u8>>, StoreError> {
        self.open_bytes(&[SETTING_CONTEXT, name.as_bytes()].concat(), sealed)
            .ok_or_else(|| StoreError::Corrupt(format!("the sealed setting {name} does not open")))
    }

    fn seal_bytes(&self, aad: &[u8], plain: &[u8]) -> Result<Vec<u8>, StoreError> {
        let mut nonce = [0u8; NONCE_LEN];
        rand::rng().fill_bytes(&mut nonce);
        let sealed = self
            .0
            .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad })
            .map_err(|_| StoreError::Corrupt("sealing failed".into()))?;
        let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    fn open_bytes(&self, aad: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        if sealed.len() < NONCE_LEN {
            return None;
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        self.0
            .decrypt(Nonce::from_slice(nonce), Payload { msg: body, aad })
            .ok()
            .map(Zeroizing::new)
    }
}

fn material_aad(key: KeyId, version: KeyVersionId) -> Vec<u8> {
    [CONTEXT, key.as_bytes(), version.as_bytes()].concat()
}

fn check_aad(keystore: &str) -> Vec<u8> {
    [CHECK_CONTEXT, keystore.as_bytes()].concat()
}
