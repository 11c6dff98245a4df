//! The embedded IAM: principals' API keys (stored as digests), exchanged for short-lived
//! HS256 JWTs.
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
use strongroom_core::{AuditEvent, Outcome};
use strongroom_core::{Clock, SystemClock};
use strongroom_store::{AccessPolicyRecord, ApiKeyRecord, PrincipalRecord, SqliteStore};
use zeroize::Zeroizing;

use crate::verified::{Verified, VerifiedTokens};

/// How long a token lives, as IBM IAM's do.
pub const TOKEN_LIFETIME_SECS: i64 = 3600;
const SIGNING_KEY: &str = "token-signing-key";
/// Where version-1 stores kept the administrator's key digest.
const LEGACY_ADMIN_KEY_DIGEST: &str = "admin-api-key-sha256";
/// The first administrator.
pub const ADMIN_IAM_ID: &str = "IBMid-strongroom-admin";

/// Token issue and verification over the embedded store.
pub struct LocalIam {
    store: Arc<SqliteStore>,
    signing_key: Zeroizing<Vec<u8>>,
    account: String,
    clock: Arc<dyn Clock>,
    verified: VerifiedTokens,
}

/// What a token says. Numeric `iat`/`exp` are what the IBM SDKs read.
#[derive(Serialize, Deserialize)]
struct Claims {
    iam_id: String,
    /// The API key the token was issued for; verification re-checks it is not revoked.
    #[serde(default)]
    api_key_id: String,
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

/// The encoded header of every token issued here: `{"alg":"HS256","typ":"JWT"}`.
const TOKEN_HEADER: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

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
        let iam = Self {
            store,
            signing_key,
            account,
            clock: Arc::new(SystemClock),
            verified: VerifiedTokens::default(),
        };
        let generated = iam.bootstrap_administrator(bootstrap)?;
        Ok((iam, generated))
    }

    /// Creates the first administrator (Manager on every instance) with its API key, once.
    fn bootstrap_administrator(
        &self,
        bootstrap: Option<SecretString>,
    ) -> Result<Option<SecretString>, ApiError> {
        let now = self.clock.now();
        let event = |action: &str, target: &str| AuditEvent {
            at: now,
            instance: String::new(),
            initiator: "strongroom".into(),
            action: action.into(),
            target: target.into(),
            outcome: Outcome::Success,
            correlation_id: String::new(),
            key_version: String::new(),
            source: String::new(),
        };
        self.store
            .create_principal(
                &PrincipalRecord {
                    iam_id: ADMIN_IAM_ID.into(),
                    name: "administrator".into(),
                    service: None,
                    created_at: now,
                },
                &event("iam.user.create", ADMIN_IAM_ID),
            )
            .map_err(storage)?;
        let has_policy = self
            .store
            .policies(Some("access"))
            .map_err(storage)?
            .iter()
            .any(|p| p.subject_iam_id.as_deref() == Some(ADMIN_IAM_ID));
        if !has_policy {
            let id = random_id()?;
            self.store
                .create_policy(
                    &AccessPolicyRecord {
                        id: id.clone(),
                        policy_type: "access".into(),
                        subject_iam_id: Some(ADMIN_IAM_ID.into()),
                        source_service: None,
                        source_instance: None,
                        instance_id: None,
                        key_ring: None,
                        key_id: None,
                        roles: vec!["Manager".into()],
                        description: Some("first administrator".into()),
                        created_at: now,
                        created_by: "strongroom".into(),
                        updated_at: now,
                        updated_by: "strongroom".into(),
                        revision: 1,
                    },
                    &event("iam.policy.create", &id),
                )
                .map_err(storage)?;
        }
        if !self
            .store
            .api_keys(Some(ADMIN_IAM_ID))
            .map_err(storage)?
            .is_empty()
        {
            if bootstrap.is_some() {
                tracing::info!(
                    "STRONGROOM_BOOTSTRAP_API_KEY is ignored: the administrator's API key was set at first start"
                );
            }
            return Ok(None);
        }
        // A version-1 store kept the administrator's digest as a setting: carry it over.
        let legacy = self
            .store
            .setting(LEGACY_ADMIN_KEY_DIGEST)
            .map_err(storage)?;
        let (digest, generated) = match (legacy, bootstrap) {
            (Some(digest), _) => (digest_array(&digest)?, None),
            (None, Some(key)) if !key.expose().trim().is_empty() => (digest_of(&key), None),
            _ => {
                let key = generate_api_key()?;
                (digest_of(&key), Some(key))
            }
        };
        let record = ApiKeyRecord {
            id: random_id()?,
            iam_id: ADMIN_IAM_ID.into(),
            name: "bootstrap".into(),
            created_at: now,
            revoked_at: None,
        };
        self.store
            .create_api_key(&record, &digest, &event("iam.apikey.create", &record.id))
            .map_err(storage)?;
        Ok(generated)
    }

    /// Creates a user or service identity (if new) and an API key for it; returns the key
    /// once. Service identities are named `iam-ServiceId-<service>-<instance>`.
    pub fn create_api_key(
        &self,
        principal: &PrincipalRecord,
        name: &str,
        initiator: &str,
    ) -> Result<(ApiKeyRecord, SecretString), ApiError> {
        // The trail names these initiators for the rotations policies make and the expiries
        // recorded; a person or service of the same name would make those rows ambiguous.
        for (reserved, for_what) in [
            (
                crate::ROTATION_POLICY_IAM_ID,
                "the rotations that key policies make",
            ),
            (crate::EXPIRY_IAM_ID, "recording that keys have expired"),
        ] {
            if principal.iam_id == reserved {
                return Err(ApiError::invalid(format!(
                    "{reserved} is reserved for {for_what}"
                )));
            }
        }
        // The IAM id names the caller in every audit row and log line it makes; a blank one,
        // or one padded or broken with control characters, would make those rows unreadable.
        let id = &principal.iam_id;
        if id.trim().is_empty() || id.trim() != id || id.chars().any(char::is_control) {
            return Err(ApiError::invalid(
                "an IAM id must not be blank, begin or end with a space, or hold control characters",
            ));
        }
        let now = self.clock.now();
        let event = |action: &str, target: &str| AuditEvent {
            at: now,
            instance: String::new(),
            initiator: initiator.into(),
            action: action.into(),
            target: target.into(),
            outcome: Outcome::Success,
            correlation_id: String::new(),
            key_version: String::new(),
            source: String::new(),
        };
        self.store
            .create_principal(principal, &event("iam.identity.create", &principal.iam_id))
            .map_err(storage)?;
        let key = generate_api_key()?;
        let record = ApiKeyRecord {
            id: random_id()?,
            iam_id: principal.iam_id.clone(),
            name: name.into(),
            created_at: now,
            revoked_at: None,
        };
        self.store
            .create_api_key(
                &record,
                &digest_of(&key),
                &event("iam.apikey.create", &record.id),
            )
            .map_err(storage)?;
        Ok((record, key))
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

    fn issue(&self, iam_id: &str, api_key_id: &str) -> Result<IamToken, ApiError> {
        let now = self.clock.now().unix_timestamp();
        let claims = Claims {
            iam_id: iam_id.to_owned(),
            api_key_id: api_key_id.to_owned(),
            sub: iam_id.to_owned(),
            iss: "strongroom".into(),
            iat: now,
            exp: now + TOKEN_LIFETIME_SECS,
            account: Account {
                bss: self.account.clone(),
            },
        };
        let signing_input = format!("{TOKEN_HEADER}.{}", encode_json(&claims)?);
        let signature = URL_SAFE_NO_PAD.encode(self.sign(signing_input.as_bytes())?);
        Ok(IamToken {
            access_token: SecretString::new(format!("{signing_input}.{signature}")),
            token_type: "Bearer".into(),
            expires_in: TOKEN_LIFETIME_SECS as u64,
            expiration: claims.exp,
        })
    }

    /// What a token proves, from its MAC and claims: what [`VerifiedTokens`] remembers.
    fn check_signature(
        &self,
        signed: &str,
        claims_part: &str,
        signature: &[u8; 32],
    ) -> Result<Verified, ApiError> {
        let invalid = || unauthenticated("the access token is not valid");
        let mut mac =
            Hmac::<Sha256>::new_from_slice(&self.signing_key).map_err(|_| ApiError::internal())?;
        mac.update(signed.as_bytes());
        mac.verify_slice(signature).map_err(|_| invalid())?;
        let claims: Claims = decode_json(claims_part).ok_or_else(invalid)?;
        if claims.account.bss != self.account {
            return Err(invalid());
        }
        Ok(Verified {
            iam_id: claims.iam_id,
            api_key_id: claims.api_key_id.into(),
            exp: claims.exp,
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
        // Every token this keystore issues has the same header, so comparing its encoding
        // replaces decoding it on every request.
        if header_part != TOKEN_HEADER {
            return Err(invalid());
        }
        let signature: [u8; 32] = URL_SAFE_NO_PAD
            .decode(signature)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(invalid)?;
        let signed = &token[..header_part.len() + 1 + claims_part.len()];
        let verified = match self.verified.get(&signature, token) {
            Some(verified) => verified,
            None => {
                let verified = self.check_signature(signed, claims_part, &signature)?;
                self.verified.insert(signature, token, verified.clone());
                verified
            }
        };
        if verified.exp <= self.clock.now().unix_timestamp() {
            return Err(unauthenticated("the access token has expired"));
        }
        if !self
            .store
            .api_key_live(&verified.api_key_id)
            .map_err(storage)?
        {
            return Err(unauthenticated("the API key behind this token was revoked"));
        }
        Ok(Principal {
            iam_id: verified.iam_id,
        })
    }
}

fn digest_of(key: &SecretString) -> [u8; 32] {
    Sha256::digest(key.expose().trim()).into()
}

fn digest_array(bytes: &[u8]) -> Result<[u8; 32], ApiError> {
    bytes.try_into().map_err(|_| ApiError::internal())
}

fn generate_api_key() -> Result<SecretString, ApiError> {
    Ok(SecretString::new(format!(
        "sr-{}",
        URL_SAFE_NO_PAD.encode(random_bytes::<32>()?.as_ref())
    )))
}

fn random_id() -> Result<String, ApiError> {
    let bytes = random_bytes::<16>()?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
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
        let digest = digest_of(api_key);
        let principal = self
            .store
            .principal_for_api_key(&digest)
            .map_err(storage)?
            .ok_or_else(|| unauthenticated("the API key is not valid"))?;
        let key_id = self
            .store
            .api_key_id(&digest)
            .map_err(storage)?
            .ok_or_else(|| unauthenticated("the API key is not valid"))?;
        self.issue(&principal.iam_id, &key_id)
    }

    async fn authenticate(&self, token: &str) -> Result<Principal, ApiError> {
        self.verify(token)
    }
}

#[cfg(test)]
mod tests {
    use strongroom_core::FixedClock;
    use strongroom_store::MasterKeySource;
    use time::OffsetDateTime;

    use super::*;

    fn open() -> (tempfile::TempDir, LocalIam) {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let (iam, generated) =
            LocalIam::open(store, Some(SecretString::new("unit-admin-key".into()))).unwrap();
        assert!(generated.is_none());
        (dir, iam)
    }

    async fn admin_token(iam: &LocalIam) -> IamToken {
        iam.token(&SecretString::new("unit-admin-key".into()))
            .await
            .unwrap()
    }

    #[test]
    fn a_blank_or_padded_iam_id_gets_no_api_key() {
        let (_dir, iam) = open();
        for id in ["", "   ", " alice", "alice ", "al\nice"] {
            let principal = PrincipalRecord {
                iam_id: id.into(),
                name: "someone".into(),
                service: None,
                created_at: OffsetDateTime::UNIX_EPOCH,
            };
            let refused = iam.create_api_key(&principal, "k", ADMIN_IAM_ID);
            assert!(refused.is_err(), "{id:?} was given a key");
        }
    }

    #[test]
    fn the_names_of_the_periodic_checks_are_not_given_to_anyone() {
        let (_dir, iam) = open();
        for reserved in [crate::ROTATION_POLICY_IAM_ID, crate::EXPIRY_IAM_ID] {
            let principal = PrincipalRecord {
                iam_id: reserved.into(),
                name: "impostor".into(),
                service: None,
                created_at: OffsetDateTime::UNIX_EPOCH,
            };
            let refused = iam
                .create_api_key(&principal, "k", ADMIN_IAM_ID)
                .unwrap_err();
            assert_eq!(refused.code, ErrorCode::InvalidInput, "{reserved}");
        }
    }

    #[test]
    fn the_token_header_says_hs256() {
        let header: serde_json::Value = decode_json(TOKEN_HEADER).unwrap();
        assert_eq!(header, serde_json::json!({"alg": "HS256", "typ": "JWT"}));
    }

    #[tokio::test]
    async fn a_token_with_another_header_is_refused_even_if_signed() {
        let (_dir, iam) = open();
        let token = admin_token(&iam).await;
        let claims = token.access_token.expose().split('.').nth(1).unwrap();
        let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        let input = format!("{header}.{claims}");
        let signature = URL_SAFE_NO_PAD.encode(iam.sign(input.as_bytes()).unwrap());
        let refused = iam.authenticate(&format!("{input}.{signature}")).await;
        assert_eq!(refused.err().unwrap().code, ErrorCode::Unauthenticated);
        let token = token.access_token.expose().to_owned();
        assert!(
            iam.authenticate(&token).await.is_ok(),
            "the issued one passes"
        );
    }

    #[tokio::test]
    async fn a_token_is_refused_from_its_expiry_on() {
        let (_dir, mut iam) = open();
        let issued_at = OffsetDateTime::now_utc();
        let clock = Arc::new(FixedClock::new(issued_at));
        iam.clock = clock.clone();
        let token = admin_token(&iam).await;
        let token = token.access_token.expose();
        clock.advance(time::Duration::seconds(TOKEN_LIFETIME_SECS - 1));
        assert_eq!(
            iam.authenticate(token).await.unwrap().iam_id,
            ADMIN_IAM_ID,
            "valid until its last second"
        );
        clock.advance(time::Duration::seconds(1));
        let refused = iam.authenticate(token).await.err().unwrap();
        assert_eq!(refused.code, ErrorCode::Unauthenticated);
        assert!(refused.message.contains("expired"), "{}", refused.message);
    }

    #[tokio::test]
    async fn revoking_the_api_key_refuses_its_live_tokens_at_once() {
        let (_dir, iam) = open();
        let token = admin_token(&iam).await;
        let token = token.access_token.expose();
        iam.authenticate(token).await.unwrap();
        let key = &iam.store.api_keys(Some(ADMIN_IAM_ID)).unwrap()[0];
        let event = AuditEvent {
            at: OffsetDateTime::now_utc(),
            instance: String::new(),
            initiator: ADMIN_IAM_ID.into(),
            action: "iam.apikey.revoke".into(),
            target: key.id.clone(),
            outcome: Outcome::Success,
            correlation_id: String::new(),
            key_version: String::new(),
            source: String::new(),
        };
        assert!(iam.store.revoke_api_key(&key.id, &event).unwrap());
        let refused = iam.authenticate(token).await.err().unwrap();
        assert_eq!(refused.code, ErrorCode::Unauthenticated);
        assert!(
            iam.token(&SecretString::new("unit-admin-key".into()))
                .await
                .is_err(),
            "a revoked key gets no new token"
        );
    }
}
