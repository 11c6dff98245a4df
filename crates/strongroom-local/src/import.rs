//! Import tokens at rest: metadata as a plain setting, the RSA private key as a sealed one,
//! written together. One token per keystore; a new one replaces the old.

use strongroom_api::{ApiError, ErrorCode, ImportTokenInfo};
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
    let record = Record::parse(&meta).ok_or_else(|| api_error(CoreError::NoImportToken))?;
    ImportToken::restore(
        record.created_at,
        record.expires_at,
        record.max_retrievals,
        record.remaining_retrievals,
        record.nonce,
        &der,
    )
    .map_err(api_error)
}

/// The token's dates and retrievals from its stored record alone (its private key stays
/// sealed); `NOT_FOUND` when the instance has none.
pub(crate) fn status(store: &SqliteStore, instance: &str) -> Result<ImportTokenInfo, ApiError> {
    let none = || ApiError::new(ErrorCode::NotFound, "this instance has no import token");
    let meta = store
        .setting(&names(instance).0)
        .map_err(storage)?
        .ok_or_else(none)?;
    let record = Record::parse(&meta).ok_or_else(none)?;
    Ok(ImportTokenInfo {
        creation_date: rfc3339(record.created_at),
        expiration_date: rfc3339(record.expires_at),
        max_allowed_retrievals: record.max_retrievals,
        remaining_retrievals: record.remaining_retrievals,
        payload: None,
        nonce: None,
    })
}

/// The stored metadata of a token: times, retrievals, nonce.
struct Record {
    created_at: OffsetDateTime,
    expires_at: OffsetDateTime,
    max_retrievals: u32,
    remaining_retrievals: u32,
    nonce: [u8; 12],
}

impl Record {
    fn parse(meta: &[u8]) -> Option<Self> {
        if meta.len() != RECORD_LEN {
            return None;
        }
        let i64_at = |at: usize| {
            let mut b = [0u8; 8];
            b.copy_from_slice(&meta[at..at + 8]);
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(i64::from_be_bytes(b)) * 1_000)
                .ok()
        };
        let u32_at = |at: usize| {
            let mut b = [0u8; 4];
            b.copy_from_slice(&meta[at..at + 4]);
            u32::from_be_bytes(b)
        };
        let mut nonce = [0u8; 12];
        nonce.copy_from_slice(&meta[24..36]);
        Some(Self {
            created_at: i64_at(0)?,
            expires_at: i64_at(8)?,
            max_retrievals: u32_at(16),
            remaining_retrievals: u32_at(20),
            nonce,
        })
    }
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
