//! The embedded IAM: one administrator API key, exchanged for short-lived HS256 JWTs.
//!
//! IBM's SDKs decode the token (without verifying it) to read `iat` and `exp`, so it has to be
//! a real JWT. Only HS256 is accepted back; `alg: none` and every other algorithm are refused
//! before any signature work.

use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::TryRngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use strongroom_api::{ApiError, ErrorCode, Iam, IamToken, Principal, SecretString};
use strongroom_core::{Clock, SystemClock};
use strongroom_store::SqliteStore;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

/// How long a token lives, as IBM IAM's do.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
const SIGNING_KEY: &str = "token-signing-key";
const ADMIN_KEY_DIGEST: &str = "admin-api-key-sha256";
const ADMIN_IAM_ID: &str = "IBMid-strongroom-admin";

/// Token issue and verification over the embedded store.
pub struct LocalIam {
    store: Arc<SqliteStore>,
    signing_key: Zeroizing<Vec<u8>>,
    account: String,
    clock: Arc<dyn Clock>,
}

/// What a token says. Numeric `iat`/`exp` are what the IBM SDKs read.
#[derive(Serialize, Deserialize)]
struct Claims {
    iam_id: String,
    sub: String,
    iss: String,
    iat: i64,
    exp: i64,
    account: Account,
}

#[derive(Serialize, Deserialize)]
struct Account {
    bss: String,
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    typ: String,
}

fn unauthenticated(message: &str) -> ApiError {
    ApiError::new(ErrorCode::Unauthenticated, message)
}

fn storage(err: strongroom_store::StoreError) -> ApiError {
    tracing::error!(error = %err, "IAM storage failure");
    ApiError::internal()
}

fn random_bytes<const N: usize>() -> Result<Zeroizing<[u8; N]>, ApiError> {
    let mut bytes = Zeroizing::new([0u8; N]);
    OsRng
        .try_fill_bytes(bytes.as_mut())
        .map_err(|_| ApiError::internal())?;
    Ok(bytes)
}

impl LocalIam {
    /// Opens the IAM of `store`. On the very first start the administrator's API key is
    /// `bootstrap` or, without one, a generated key that is returned (once) for the caller to
    /// show; it is stored only as a SHA-256 digest.
    pub fn open(
        store: Arc<SqliteStore>,
        bootstrap: Option<SecretString>,
    ) -> Result<(Self, Option<SecretString>), ApiError> {
        let signing_key = store
            .init_secret_setting(SIGNING_KEY, random_bytes::<32>()?.as_ref())
            .map_err(storage)?;
        let account = store.keystore_id().map_err(storage)?;
        let generated = match store.setting(ADMIN_KEY_DIGEST).map_err(storage)? {
            Some(digest) => {
                if let Some(key) = &bootstrap {
                    if !bool::from(
                        Sha256::digest(key.expose().trim())
                            .as_slice()
                            .ct_eq(&digest),
                    ) {
                        tracing::warn!(
                            "STRONGROOM_BOOTSTRAP_API_KEY is ignored: the administrator's API key was set at first start"
                        );
                    }
                }
                None
            }
            None => {
                let (key, generated) = match bootstrap {
                    Some(key) if !key.expose().trim().is_empty() => (key, false),
                    _ => {
                        let key = format!(
                            "sr-{}",
                            URL_SAFE_NO_PAD.encode(random_bytes::<32>()?.as_ref())
                        );
                        (SecretString::new(key), true)
                    }
                };
                store
                    .set_setting(ADMIN_KEY_DIGEST, &Sha256::digest(key.expose().trim()))
                    .map_err(storage)?;
                generated.then_some(key)
            }
        };
        let iam = Self {
            store,
            signing_key,
            account,
            clock: Arc::new(SystemClock),
        };
        Ok((iam, generated))
    }

    /// The account id carried in tokens (the keystore's id).
    pub fn account(&self) -> &str {
        &self.account
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, ApiError> {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.signing_key).map_err(|_| ApiError::internal())?;
        mac.update(message);
        Ok(mac.finalize().into_bytes().to_vec())
    }

    fn issue(&self, iam_id: &str) -> Result<IamToken, ApiError> {
        let now = self.clock.now().unix_timestamp();
        let header = Header {
            alg: "HS256".into(),
            typ: "JWT".into(),
        };
        let claims = Claims {
            iam_id: iam_id.to_owned(),
            sub: iam_id.to_owned(),
            iss: "strongroom".into(),
            iat: now,
            exp: now + TOKEN_LIFETIME_SECS,
            account: Account {
                bss: self.account.clone(),
            },
        };
        let signing_input = format!("{}.{}", encode_json(&header)?, encode_json(&claims)?);
        let signature = URL_SAFE_NO_PAD.encode(self.sign(signing_input.as_bytes())?);
        Ok(IamToken {
            access_token: SecretString::new(format!("{signing_input}.{signature}")),
            token_type: "Bearer".into(),
            expires_in: TOKEN_LIFETIME_SECS as u64,
            expiration: claims.exp,
        })
    }

    fn verify(&self, token: &str) -> Result<Principal, ApiError> {
        let invalid = || unauthenticated("the access token is not valid");
        let mut parts = token.split('.');
        let (Some(header_part), Some(claims_part), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let header: Header = decode_json(header_part).ok_or_else(invalid)?;
        if header.alg != "HS256" {
            return Err(invalid());
        }
        let signature = URL_SAFE_NO_PAD.decode(signature).map_err(|_| invalid())?;
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.signing_key).map_err(|_| ApiError::internal())?;
        mac.update(format!("{header_part}.{claims_part}").as_bytes());
        mac.verify_slice(&signature).map_err(|_| invalid())?;
        let claims: Claims = decode_json(claims_part).ok_or_else(invalid)?;
        let now = self.clock.now().unix_timestamp();
        if claims.exp <= now {
            return Err(unauthenticated("the access token has expired"));
        }
        if claims.account.bss != self.account {
            return Err(invalid());
        }
        Ok(Principal {
            iam_id: claims.iam_id,
        })
    }
}

fn decode_json<T: for<'de> Deserialize<'de>>(part: &str) -> Option<T> {
    let bytes = URL_SAFE_NO_PAD.decode(part).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn encode_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    serde_json::to_vec(value)
        .map(|json| URL_SAFE_NO_PAD.encode(json))
        .map_err(|_| ApiError::internal())
}

#[async_trait::async_trait]
impl Iam for LocalIam {
    async fn token(&self, api_key: &SecretString) -> Result<IamToken, ApiError> {
        let digest = self
            .store
            .setting(ADMIN_KEY_DIGEST)
            .map_err(storage)?
            .ok_or_else(|| unauthenticated("the API key is not valid"))?;
        let offered = Sha256::digest(api_key.expose().trim());
        if !bool::from(offered.as_slice().ct_eq(&digest)) {
            return Err(unauthenticated("the API key is not valid"));
        }
        self.issue(ADMIN_IAM_ID)
    }

    async fn authenticate(&self, token: &str) -> Result<Principal, ApiError> {
        self.verify(token)
    }
}
