//! Import tokens at rest: metadata as a plain setting, the RSA private key as a sealed one,
//! written together. One token per keystore; a new one replaces the old.

use strongroom_api::{ApiError, ImportTokenInfo};
use strongroom_core::import_token::ImportToken;
use strongroom_core::CoreError;
use strongroom_store::SqliteStore;
use time::OffsetDateTime;

use crate::convert::{api_error, encode, rfc3339};

/// Setting names; one token per instance.
fn names(instance: &str) -> (String, String) {
    (
        format!("import-token:{instance}"),
        format!("import-token-private-key:{instance}"),
    )
}
const RECORD_LEN: usize = 8 + 8 + 4 + 4 + 12;

fn storage(err: strongroom_store::StoreError) -> ApiError {
    api_error(CoreError::from(err))
}

/// `created ‖ expires` (µs, big-endian i64) `‖ max ‖ remaining` (u32) `‖ nonce` (12 bytes).
fn record(token: &ImportToken) -> Vec<u8> {
    let micros = |at: OffsetDateTime| ((at.unix_timestamp_nanos() / 1_000) as i64).to_be_bytes();
    [
        &micros(token.created_at)[..],
        &micros(token.expires_at),
        &token.max_retrievals.to_be_bytes(),
        &token.remaining_retrievals.to_be_bytes(),
        &token.nonce,
    ]
    .concat()
}

pub(crate) fn save(
    store: &SqliteStore,
    instance: &str,
    token: &ImportToken,
) -> Result<(), ApiError> {
    let der = token.private_key_der().map_err(api_error)?;
    let (metadata, private_key) = names(instance);
    store
        .replace_settings(&[(&metadata, &record(token))], &[(&private_key, &der)])
        .map_err(storage)
}

/// Saves only the changed counters; the key pair is unchanged.
pub(crate) fn save_counters(
    store: &SqliteStore,
    instance: &str,
    token: &ImportToken,
) -> Result<(), ApiError> {
    store
        .set_setting(&names(instance).0, &record(token))
        .map_err(storage)
}

pub(crate) fn load(store: &SqliteStore, instance: &str) -> Result<ImportToken, ApiError> {
    let (metadata, private_key) = names(instance);
    let (Some(meta), Some(der)) = (
        store.setting(&metadata).map_err(storage)?,
        store.secret_setting(&private_key).map_err(storage)?,
    ) else {
        return Err(api_error(CoreError::NoImportToken));
    };
    if meta.len() != RECORD_LEN {
        return Err(api_error(CoreError::NoImportToken));
    }
    let i64_at = |at: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&meta[at..at + 8]);
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(i64::from_be_bytes(b)) * 1_000)
            .map_err(|_| api_error(CoreError::NoImportToken))
    };
    let u32_at = |at: usize| {
        let mut b = [0u8; 4];
        b.copy_from_slice(&meta[at..at + 4]);
        u32::from_be_bytes(b)
    };
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&meta[24..36]);
    ImportToken::restore(i64_at(0)?, i64_at(8)?, u32_at(16), u32_at(20), nonce, &der)
        .map_err(api_error)
}

pub(crate) fn info(token: &ImportToken, with_key: bool) -> Result<ImportTokenInfo, ApiError> {
    let (payload, nonce) = if with_key {
        let pem = token.public_key_pem().map_err(api_error)?;
        (Some(encode(pem.as_bytes())), Some(encode(&token.nonce)))
    } else {
        (None, None)
    };
    Ok(ImportTokenInfo {
        creation_date: rfc3339(token.created_at),
        expiration_date: rfc3339(token.expires_at),
        max_allowed_retrievals: token.max_retrievals,
        remaining_retrievals: token.remaining_retrievals,
        payload,
        nonce,
    })
}
