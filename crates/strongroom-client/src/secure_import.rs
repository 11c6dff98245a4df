//! The client's half of secure import: the material travels RSA-OAEP-encrypted to the import
//! token's public key, and the token's nonce, sealed with AES-GCM under the material, proves
//! the material was encrypted for this token and not replayed from an earlier one.

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::aes::Aes192;
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use rand::RngCore;
use rsa::pkcs8::DecodePublicKey;
use rsa::{Oaep, RsaPublicKey};
use strongroom_api::{ImportTokenInfo, SecretString, SecureImport};

use crate::ClientError;

/// The algorithm Key Protect requires, named as on the wire.
const RSAES_OAEP_SHA_256: &str = "RSAES_OAEP_SHA_256";

/// The `payload` and secure-import fields that import `material` (16, 24 or 32 bytes) under
/// `token`, which must be a retrieved token (with its public key and nonce).
pub fn seal_for_import(
    token: &ImportTokenInfo,
    material: &[u8],
) -> Result<(SecretString, SecureImport), ClientError> {
    let fail = |what: &str| ClientError::SecureImport(what.to_owned());
    let pem = token
        .payload
        .as_deref()
        .and_then(|p| STANDARD.decode(p).ok())
        .and_then(|p| String::from_utf8(p).ok())
        .ok_or_else(|| fail("the import token has no public key"))?;
    let public = RsaPublicKey::from_public_key_pem(&pem)
        .map_err(|_| fail("the import token's public key is not an RSA key in PEM"))?;
    let nonce = token
        .nonce
        .as_deref()
        .and_then(|n| STANDARD.decode(n).ok())
        .ok_or_else(|| fail("the import token has no nonce"))?;
    let mut iv = [0u8; 12];
    rand::rng().fill_bytes(&mut iv);
    let sealed_nonce = seal(material, &iv, &nonce)
        .ok_or_else(|| fail("key material must be 16, 24 or 32 bytes"))?;
    let encrypted = public
        .encrypt(
            &mut rand_core_06::OsRng,
            Oaep::new::<sha2::Sha256>(),
            material,
        )
        .map_err(|_| fail("RSA-OAEP encryption of the material failed"))?;
    Ok((
        SecretString::new(STANDARD.encode(encrypted)),
        SecureImport {
            encrypted_nonce: Some(STANDARD.encode(sealed_nonce)),
            iv: Some(STANDARD.encode(iv)),
            encryption_algorithm: Some(RSAES_OAEP_SHA_256.to_owned()),
        },
    ))
}

fn seal(material: &[u8], iv: &[u8; 12], nonce: &[u8]) -> Option<Vec<u8>> {
    let iv = Nonce::<U12>::from_slice(iv);
    match material.len() {
        16 => Aes128Gcm::new_from_slice(material).ok()?.encrypt(iv, nonce),
        24 => AesGcm::<Aes192, U12>::new_from_slice(material)
            .ok()?
            .encrypt(iv, nonce),
        32 => Aes256Gcm::new_from_slice(material).ok()?.encrypt(iv, nonce),
        _ => return None,
    }
    .ok()
}
