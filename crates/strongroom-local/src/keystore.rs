use std::path::Path;
use std::sync::Arc;

use strongroom_api::{
    ApiError, CreateImportTokenRequest, CreateKeyRequest, ErrorCode, ImportTokenInfo, KeyInfo,
    KeyList, KeyType, KeyVersionInfo, Keystore, KeystoreInfo, KeystoreMode, ListKeysRequest,
    RewrapRequest, RewrapResponse, Rewrapped, RotateKeyRequest, SecretString, UnwrapRequest,
    UnwrapResponse, WrapRequest, WrapResponse,
};
use strongroom_core::envelope::{self, Envelope};
use strongroom_core::import_token::{ImportAlgorithm, ImportToken, SealedImport};
use strongroom_core::{
    Change, Clock, CoreError, Description, Expiry, Key, KeyAction, KeyId, KeyKind, KeyMaterial,
    KeyName, KeyQuery, KeyRepository, KeyVersionId, NewKey, Secret, SystemClock,
};
use strongroom_store::{MasterKeySource, SqliteStore};

use crate::convert::{
    api_error, decode, decode_secret, encode, key_info, key_state, parse_time, version_info,
    version_ref,
};
use crate::import;

/// The keystore on this computer: domain rules from the core, persistence from a repository.
#[derive(Clone)]
pub struct LocalKeystore {
    inner: Arc<Inner>,
}

struct Inner {
    repo: Arc<dyn KeyRepository>,
    /// Keystore-wide settings (the import token). SQLite-specific until a second backend
    /// needs a settings port.
    settings: Arc<SqliteStore>,
    /// Import-token reads and writes are read-modify-write; one at a time.
    import_token: std::sync::Mutex<()>,
    clock: Arc<dyn Clock>,
    location: String,
}

impl LocalKeystore {
    /// A keystore over an opened store and a clock (tests drive time through the clock).
    pub fn new(store: Arc<SqliteStore>, clock: Arc<dyn Clock>) -> Self {
        Self {
            inner: Arc::new(Inner {
                location: store.path().display().to_string(),
                repo: Arc::clone(&store) as Arc<dyn KeyRepository>,
                settings: store,
                import_token: std::sync::Mutex::new(()),
                clock,
            }),
        }
    }

    /// Opens the embedded SQLite keystore in `dir`. Failure (keyring locked, key file
    /// missing, newer schema) is [`ErrorCode::KeystoreUnavailable`] with a sentence that says
    /// how to fix it.
    pub fn open_embedded(dir: &Path, source: &MasterKeySource) -> Result<Self, ApiError> {
        Ok(Self::over(Arc::new(open_store(dir, source)?)))
    }

    /// The keystore over an already opened store (shared with [`crate::LocalIam`]).
    pub fn over(store: Arc<SqliteStore>) -> Self {
        Self::new(store, Arc::new(SystemClock))
    }

    /// Runs blocking storage work off the async runtime.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Inner) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let inner = Arc::clone(&self.inner);
        tokio::task::spawn_blocking(move || work(&inner))
            .await
            .map_err(|err| {
                tracing::error!(error = %err, "keystore task failed");
                ApiError::internal()
            })?
    }

    async fn transition(
        &self,
        id: &str,
        step: fn(&mut Key, time::OffsetDateTime) -> Result<(), CoreError>,
    ) -> Result<KeyInfo, ApiError> {
        let id = key_id(id)?;
        self.run(move |inner| {
            let now = inner.clock.now();
            let key = inner
                .repo
                .update(id, &mut |key| step(key, now).map(|()| Change::Metadata))
                .map_err(api_error)?;
            Ok(key_info(&key, now))
        })
        .await
    }
}

impl Inner {
    /// Opens root-key material that arrived encrypted under the import token.
    fn secure_import(
        &self,
        sealed: &SecureImportFields<'_>,
        now: time::OffsetDateTime,
    ) -> Result<KeyMaterial, ApiError> {
        let missing = || ApiError::invalid("secure import needs payload, encryptedNonce and iv");
        let payload = decode("payload", sealed.payload.ok_or_else(missing)?.expose())?;
        let encrypted_nonce = decode(
            "encryptedNonce",
            sealed.encrypted_nonce.ok_or_else(missing)?,
        )?;
        let iv = decode("iv", sealed.iv.ok_or_else(missing)?)?;
        let algorithm = ImportAlgorithm::parse(sealed.algorithm).map_err(api_error)?;
        let _guard = self.import_token.lock().unwrap_or_else(|p| p.into_inner());
        let token = import::load(&self.settings)?;
        let sealed = SealedImport {
            payload: &payload,
            encrypted_nonce: &encrypted_nonce,
            iv: &iv,
            algorithm,
        };
        token.open(&sealed, now).map_err(api_error)
    }

    /// New material for a create or rotate: generated, imported in plain base64, or
    /// imported under the import token. Returns whether it was imported.
    fn new_material(
        &self,
        key_type: KeyType,
        sealed: &SecureImportFields<'_>,
        now: time::OffsetDateTime,
    ) -> Result<(KeyMaterial, bool), ApiError> {
        if sealed.encrypted_nonce.is_none() && sealed.iv.is_none() {
            return material(key_type, sealed.payload);
        }
        if key_type != KeyType::Root {
            return Err(ApiError::invalid("secure import is for root keys"));
        }
        Ok((self.secure_import(sealed, now)?, true))
    }

    fn usable_key(&self, id: KeyId, action: KeyAction) -> Result<Key, ApiError> {
        let key = self.repo.key(id).map_err(api_error)?;
        key.check(action, self.clock.now()).map_err(api_error)?;
        Ok(key)
    }

    /// Unwraps `ciphertext` with `key`; the error for a version of another key is a plain
    /// "not produced by this key", never a hint about which key it was.
    fn open(
        &self,
        key: &Key,
        ciphertext: &str,
        aad: &[String],
    ) -> Result<(Secret, KeyVersionId), ApiError> {
        let bytes = decode("ciphertext", ciphertext)?;
        let envelope = Envelope::parse(&bytes).map_err(api_error)?;
        let material = self
            .repo
            .material(key.id, envelope.version())
            .map_err(api_error)?;
        let plaintext = envelope.open(&material, aad).map_err(api_error)?;
        Ok((plaintext, envelope.version()))
    }

    fn seal(&self, key: &Key, plaintext: &[u8], aad: &[String]) -> Result<String, ApiError> {
        let material = self
            .repo
            .material(key.id, key.current_version.id)
            .map_err(api_error)?;
        envelope::wrap(&material, key.current_version.id, plaintext, aad)
            .map(|bytes| encode(&bytes))
            .map_err(api_error)
    }
}

/// Opens the embedded store, turning every failure into a sentence that says how to fix it.
pub fn open_store(dir: &Path, source: &MasterKeySource) -> Result<SqliteStore, ApiError> {
    SqliteStore::open(dir, source)
        .map_err(|err| ApiError::new(ErrorCode::KeystoreUnavailable, err.to_string()))
}

/// The import fields of a create or rotate request.
struct SecureImportFields<'a> {
    payload: Option<&'a SecretString>,
    encrypted_nonce: Option<&'a str>,
    iv: Option<&'a str>,
    algorithm: Option<&'a str>,
}

fn key_id(text: &str) -> Result<KeyId, ApiError> {
    text.trim().parse().map_err(api_error)
}

fn material(
    key_type: KeyType,
    payload: Option<&SecretString>,
) -> Result<(KeyMaterial, bool), ApiError> {
    match payload {
        None => Ok((KeyMaterial::generate().map_err(api_error)?, false)),
        Some(payload) => {
            let bytes = decode_secret("payload", payload.expose())?;
            let material = match key_type {
                KeyType::Root => KeyMaterial::root(bytes),
                KeyType::Standard => KeyMaterial::standard(bytes),
            };
            Ok((material.map_err(api_error)?, true))
        }
    }
}

#[async_trait::async_trait]
impl Keystore for LocalKeystore {
    async fn info(&self) -> Result<KeystoreInfo, ApiError> {
        Ok(KeystoreInfo {
            mode: KeystoreMode::Embedded,
            location: self.inner.location.clone(),
        })
    }

    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError> {
        let query = KeyQuery {
            offset: request.offset,
            limit: request.limit.unwrap_or(KeyQuery::default().limit),
            states: request.states.into_iter().map(key_state).collect(),
            search: request.search,
            kind: request.key_type.map(|t| match t {
                KeyType::Root => KeyKind::Root,
                KeyType::Standard => KeyKind::Standard,
            }),
        };
        self.run(move |inner| {
            let page = inner.repo.list(&query).map_err(api_error)?;
            let now = inner.clock.now();
            Ok(KeyList {
                keys: page.keys.iter().map(|k| key_info(k, now)).collect(),
                total: u32::try_from(page.total).unwrap_or(u32::MAX),
            })
        })
        .await
    }

    async fn create_key(&self, request: CreateKeyRequest) -> Result<KeyInfo, ApiError> {
        self.run(move |inner| {
            let now = inner.clock.now();
            let new = NewKey {
                name: KeyName::parse(&request.name).map_err(api_error)?,
                description: request
                    .description
                    .as_deref()
                    .filter(|d| !d.is_empty())
                    .map(Description::parse)
                    .transpose()
                    .map_err(api_error)?,
                kind: match request.key_type {
                    KeyType::Root => KeyKind::Root,
                    KeyType::Standard => KeyKind::Standard,
                },
                expiry: request
                    .expires_at
                    .as_deref()
                    .map(|text| parse_time("expiresAt", text))
                    .transpose()?
                    .map(|at| Expiry::parse(at, now))
                    .transpose()
                    .map_err(api_error)?,
            };
            let sealed = SecureImportFields {
                payload: request.payload.as_ref(),
                encrypted_nonce: request.secure_import.encrypted_nonce.as_deref(),
                iv: request.secure_import.iv.as_deref(),
                algorithm: request.secure_import.encryption_algorithm.as_deref(),
            };
            let (material, imported) = inner.new_material(request.key_type, &sealed, now)?;
            let key = Key::create(new, imported, now);
            inner.repo.insert(&key, &material).map_err(api_error)?;
            tracing::info!(key_id = %key.id, imported, "created key");
            Ok(key_info(&key, now))
        })
        .await
    }

    async fn key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let id = key_id(id)?;
        self.run(move |inner| {
            let key = inner.repo.key(id).map_err(api_error)?;
            Ok(key_info(&key, inner.clock.now()))
        })
        .await
    }

    async fn key_payload(&self, id: &str) -> Result<SecretString, ApiError> {
        let id = key_id(id)?;
        self.run(move |inner| {
            let key = inner.repo.key(id).map_err(api_error)?;
            if key.kind != KeyKind::Standard {
                return Err(ApiError::invalid(
                    "only standard keys have a retrievable payload; root key material never leaves the keystore",
                ));
            }
            if key.state == strongroom_core::KeyState::Destroyed {
                return Err(ApiError::new(ErrorCode::InvalidState, format!("key {id} is destroyed")));
            }
            let material = inner.repo.material(id, key.current_version.id).map_err(api_error)?;
            tracing::info!(key_id = %id, "standard key payload read");
            Ok(SecretString::new(encode(material.expose())))
        })
        .await
    }

    async fn key_versions(&self, id: &str) -> Result<Vec<KeyVersionInfo>, ApiError> {
        let id = key_id(id)?;
        self.run(move |inner| {
            inner.repo.key(id).map_err(api_error)?;
            let versions = inner.repo.versions(id).map_err(api_error)?;
            Ok(versions.iter().map(version_info).collect())
        })
        .await
    }

    async fn rotate_key(&self, request: RotateKeyRequest) -> Result<KeyInfo, ApiError> {
        let id = key_id(&request.key_id)?;
        self.run(move |inner| {
            let now = inner.clock.now();
            let current = inner.repo.key(id).map_err(api_error)?;
            let key_type = match current.kind {
                KeyKind::Root => KeyType::Root,
                KeyKind::Standard => KeyType::Standard,
            };
            let sealed = SecureImportFields {
                payload: request.payload.as_ref(),
                encrypted_nonce: request.secure_import.encrypted_nonce.as_deref(),
                iv: request.secure_import.iv.as_deref(),
                algorithm: request.secure_import.encryption_algorithm.as_deref(),
            };
            let (material, imported) = inner.new_material(key_type, &sealed, now)?;
            let mut material = Some(material);
            let key = inner
                .repo
                .update(id, &mut |key| {
                    let version = key.rotate(now, imported)?;
                    let material = material.take().ok_or(CoreError::Conflict(id))?;
                    Ok(Change::NewVersion(version, material))
                })
                .map_err(api_error)?;
            tracing::info!(key_id = %id, version = %key.current_version.id, "rotated key");
            Ok(key_info(&key, now))
        })
        .await
    }

    async fn disable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.transition(id, Key::disable).await
    }

    async fn enable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.transition(id, Key::enable).await
    }

    async fn delete_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.transition(id, Key::delete).await
    }

    async fn restore_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.transition(id, Key::restore).await
    }

    async fn create_import_token(
        &self,
        request: CreateImportTokenRequest,
    ) -> Result<ImportTokenInfo, ApiError> {
        self.run(move |inner| {
            let token = ImportToken::create(
                inner.clock.now(),
                request.expiration.map(i64::from),
                request.max_allowed_retrievals,
            )
            .map_err(api_error)?;
            let _guard = inner.import_token.lock().unwrap_or_else(|p| p.into_inner());
            import::save(&inner.settings, &token)?;
            tracing::info!(expires = %token.expires_at, "created an import token");
            import::info(&token, false)
        })
        .await
    }

    async fn import_token(&self) -> Result<ImportTokenInfo, ApiError> {
        self.run(move |inner| {
            let _guard = inner.import_token.lock().unwrap_or_else(|p| p.into_inner());
            let mut token = import::load(&inner.settings)?;
            token.retrieve(inner.clock.now()).map_err(api_error)?;
            import::save_counters(&inner.settings, &token)?;
            import::info(&token, true)
        })
        .await
    }

    async fn wrap(&self, request: WrapRequest) -> Result<WrapResponse, ApiError> {
        let id = key_id(&request.key_id)?;
        self.run(move |inner| {
            let key = inner.usable_key(id, KeyAction::Wrap)?;
            let (plaintext, generated) = match &request.plaintext {
                Some(text) => (
                    Secret::from(decode_secret("plaintext", text.expose())?),
                    false,
                ),
                None => (Secret::generate_dek().map_err(api_error)?, true),
            };
            let ciphertext = inner.seal(&key, plaintext.expose(), &request.aad)?;
            Ok(WrapResponse {
                ciphertext,
                key_version: version_ref(key.current_version.id),
                plaintext: generated.then(|| SecretString::new(encode(plaintext.expose()))),
            })
        })
        .await
    }

    async fn unwrap(&self, request: UnwrapRequest) -> Result<UnwrapResponse, ApiError> {
        let id = key_id(&request.key_id)?;
        self.run(move |inner| {
            let key = inner.usable_key(id, KeyAction::Unwrap)?;
            let (plaintext, wrapped_by) = inner.open(&key, &request.ciphertext, &request.aad)?;
            let rewrapped = if wrapped_by == key.current_version.id {
                None
            } else {
                Some(Rewrapped {
                    ciphertext: inner.seal(&key, plaintext.expose(), &request.aad)?,
                    key_version: version_ref(key.current_version.id),
                })
            };
            Ok(UnwrapResponse {
                plaintext: SecretString::new(encode(plaintext.expose())),
                key_version: version_ref(wrapped_by),
                rewrapped,
            })
        })
        .await
    }

    async fn rewrap(&self, request: RewrapRequest) -> Result<RewrapResponse, ApiError> {
        let id = key_id(&request.key_id)?;
        self.run(move |inner| {
            let key = inner.usable_key(id, KeyAction::Rewrap)?;
            let (plaintext, wrapped_by) = inner.open(&key, &request.ciphertext, &request.aad)?;
            Ok(RewrapResponse {
                ciphertext: inner.seal(&key, plaintext.expose(), &request.aad)?,
                key_version: version_ref(wrapped_by),
                rewrapped_key_version: version_ref(key.current_version.id),
            })
        })
        .await
    }
}
