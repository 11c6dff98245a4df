use async_trait::async_trait;
use reqwest::{Method, Response, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use strongroom_api::kp::{Collection, KpKey, KpKeyVersion, KEY_TYPE};
use strongroom_api::{
    ApiError, CreateImportTokenRequest, CreateKeyRequest, ErrorCode, ImportTokenInfo, KeyInfo,
    KeyList, KeyStateName, KeyType, KeyVersionInfo, KeyVersionRef, Keystore, KeystoreInfo,
    KeystoreMode, ListKeysRequest, RewrapRequest, RewrapResponse, Rewrapped, RotateKeyRequest,
    SecretString, SecureImport, UnwrapRequest, UnwrapResponse, WrapRequest, WrapResponse,
};

use crate::iam::TokenSource;
use crate::transport::{keystore_failure, Replay, Transport};
use crate::wire::{self, key_info, version_info};
use crate::{ClientError, RemoteConfig};

/// Key Protect's largest page.
const MAX_PAGE: u32 = 5000;

/// The [`Keystore`] of a remote instance, reached over the Key Protect v2 API.
pub struct RemoteKeystore {
    transport: Transport,
    tokens: TokenSource,
    /// The endpoint with `/api/v2` appended.
    api: Url,
    instance_id: String,
    location: String,
}

/// One call: method, path below `/api/v2`, query, body, and whether it may be replayed.
struct Call<'a> {
    method: Method,
    path: &'a [&'a str],
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    replay: Replay,
    representation: bool,
}

impl<'a> Call<'a> {
    fn get(path: &'a [&'a str]) -> Self {
        Self {
            method: Method::GET,
            path,
            query: Vec::new(),
            body: None,
            replay: Replay::Safe,
            representation: false,
        }
    }

    fn post(path: &'a [&'a str], body: Value, replay: Replay) -> Self {
        Self {
            method: Method::POST,
            body: Some(body),
            replay,
            ..Self::get(path)
        }
    }
}

impl RemoteKeystore {
    /// A client for the instance `config` describes. Makes no request: a wrong endpoint or
    /// API key shows on the first call, with its own [`ErrorCode`].
    pub fn new(config: RemoteConfig) -> Result<Self, ClientError> {
        let endpoint = parse_url("endpoint", &config.endpoint)?;
        let token_url = parse_url("token URL", &config.token_url)?;
        let mut api = endpoint.clone();
        api.path_segments_mut()
            .map_err(|()| ClientError::Config("the endpoint must be an http(s) URL".into()))?
            .pop_if_empty()
            .extend(["api", "v2"]);
        let tls = crate::tls::client_config(
            config.extra_ca.as_deref(),
            config.danger_accept_invalid_certs,
        )?;
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .connect_timeout(config.timeout)
            .build()
            .map_err(|err| ClientError::Config(format!("cannot build the HTTP client: {err}")))?;
        let host = match (endpoint.host_str(), endpoint.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            _ => config.endpoint.clone(),
        };
        Ok(Self {
            transport: Transport {
                http,
                host,
                timeout: config.timeout,
                retry: config.retry,
            },
            tokens: TokenSource::new(token_url, config.api_key),
            api,
            instance_id: config.instance_id.trim().to_owned(),
            location: endpoint.to_string(),
        })
    }

    fn url(&self, path: &[&str], query: &[(&'static str, String)]) -> Url {
        let mut url = self.api.clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.extend(path);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends `call` with a token; a 401 is answered by one fresh token and one more try
    /// (the server refused it before doing anything, so even a create may be repeated).
    async fn send(&self, call: Call<'_>) -> Result<Response, ClientError> {
        let url = self.url(call.path, &call.query);
        let mut refreshed = false;
        loop {
            let token = self.tokens.token(&self.transport).await?;
            let response = self
                .transport
                .send(call.replay, || {
                    let mut request = self
                        .transport
                        .http
                        .request(call.method.clone(), url.clone())
                        .bearer_auth(token.expose())
                        .header("Bluemix-Instance", &self.instance_id)
                        .header(reqwest::header::ACCEPT, "application/json");
                    if call.representation {
                        request = request.header("Prefer", "return=representation");
                    }
                    match &call.body {
                        Some(body) => request.json(body),
                        None => request,
                    }
                })
                .await?;
            let status = response.status();
            tracing::debug!(method = %call.method, path = url.path(), status = status.as_u16(), "answer");
            if status.is_success() {
                return Ok(response);
            }
            if status != StatusCode::UNAUTHORIZED {
                return Err(keystore_failure(&self.transport, response).await);
            }
            if refreshed {
                return Err(ClientError::WrongInstance {
                    instance: self.instance_id.clone(),
                });
            }
            self.tokens.forget(&token).await;
            refreshed = true;
        }
    }

    async fn json<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ClientError> {
        let response = self.send(call).await?;
        let bytes = response
            .bytes()
            .await
            .map_err(|err| self.transport.failure(&err))?;
        serde_json::from_slice(&bytes)
            .map_err(|err| ClientError::Unexpected(format!("a malformed body ({err})")))
    }

    async fn one_key(&self, call: Call<'_>) -> Result<KeyInfo, ClientError> {
        let collection: Collection<KpKey> = self.json(call).await?;
        let key = collection
            .resources
            .into_iter()
            .next()
            .ok_or_else(|| ClientError::Unexpected("an empty key collection".into()))?;
        key_info(key)
    }

    async fn metadata(&self, id: &str) -> Result<KeyInfo, ClientError> {
        self.one_key(Call::get(&["keys", id, "metadata"])).await
    }

    /// A key action answered with 204, then the key as it is now.
    async fn act(&self, id: &str, action: &str, body: Value) -> Result<KeyInfo, ApiError> {
        let id = key_id(id)?;
        self.send(Call::post(
            &["keys", id, "actions", action],
            body,
            Replay::Unsent,
        ))
        .await?;
        Ok(self.metadata(id).await?)
    }
}

fn parse_url(what: &str, text: &str) -> Result<Url, ClientError> {
    let url = Url::parse(text.trim())
        .map_err(|err| ClientError::Config(format!("the {what} {text:?} is not a URL: {err}")))?;
    match url.scheme() {
        "http" | "https" => Ok(url),
        other => Err(ClientError::Config(format!(
            "the {what} must be http or https, not {other}"
        ))),
    }
}

/// An empty id would address the collection instead of a key; the embedded keystore calls
/// that invalid input, and so does this.
fn key_id(id: &str) -> Result<&str, ApiError> {
    if id.trim().is_empty() {
        return Err(ApiError::invalid("a key id is required"));
    }
    Ok(id)
}

fn state_number(state: KeyStateName) -> &'static str {
    match state {
        KeyStateName::Active => "1",
        KeyStateName::Suspended => "2",
        KeyStateName::Deactivated => "3",
        KeyStateName::Destroyed => "5",
    }
}

/// The secure-import fields and payload of a create or rotate, under their wire names.
fn material_fields(payload: Option<&SecretString>, sealed: &SecureImport) -> Map<String, Value> {
    let mut fields = Map::new();
    let mut put = |name: &str, value: Option<&str>| {
        if let Some(value) = value {
            fields.insert(name.to_owned(), Value::from(value));
        }
    };
    put("payload", payload.map(SecretString::expose));
    put("encryptedNonce", sealed.encrypted_nonce.as_deref());
    put("iv", sealed.iv.as_deref());
    put(
        "encryptionAlgorithm",
        sealed.encryption_algorithm.as_deref(),
    );
    fields
}

#[async_trait]
impl Keystore for RemoteKeystore {
    async fn info(&self) -> Result<KeystoreInfo, ApiError> {
        Ok(KeystoreInfo {
            mode: KeystoreMode::Remote,
            location: self.location.clone(),
        })
    }

    #[tracing::instrument(name = "remote_list_keys", skip_all, fields(offset = request.offset))]
    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError> {
        let mut call = Call::get(&["keys"]);
        call.query.push(("offset", request.offset.to_string()));
        if let Some(limit) = request.limit {
            // The facade caps a page at 5,000 where Key Protect refuses a larger limit.
            call.query.push(("limit", limit.min(MAX_PAGE).to_string()));
        }
        if !request.states.is_empty() {
            let states: Vec<&str> = request.states.iter().map(|s| state_number(*s)).collect();
            call.query.push(("state", states.join(",")));
        }
        if let Some(key_type) = request.key_type {
            let extractable = key_type == KeyType::Standard;
            call.query.push(("extractable", extractable.to_string()));
        }
        if let Some(search) = request.search {
            call.query.push(("search", search));
        }
        call.query.push(("totalCount", "true".to_owned()));
        let page: Collection<KpKey> = self.json(call).await?;
        let total = page
            .metadata
            .total_count
            .unwrap_or(page.resources.len() as u64);
        let keys = page
            .resources
            .into_iter()
            .map(key_info)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(KeyList {
            keys,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    #[tracing::instrument(name = "remote_create_key", skip_all, fields(key_id))]
    async fn create_key(&self, request: CreateKeyRequest) -> Result<KeyInfo, ApiError> {
        let mut resource = material_fields(request.payload.as_ref(), &request.secure_import);
        resource.insert("type".into(), KEY_TYPE.into());
        resource.insert("name".into(), request.name.into());
        resource.insert(
            "extractable".into(),
            (request.key_type == KeyType::Standard).into(),
        );
        if let Some(description) = request.description {
            resource.insert("description".into(), description.into());
        }
        if let Some(expires_at) = request.expires_at {
            resource.insert("expirationDate".into(), expires_at.into());
        }
        let body = json!({
            "metadata": {"collectionType": KEY_TYPE, "collectionTotal": 1},
            "resources": [resource],
        });
        let key = self
            .one_key(Call::post(&["keys"], body, Replay::Unsent))
            .await?;
        tracing::Span::current().record("key_id", key.id.as_str());
        Ok(key)
    }

    #[tracing::instrument(name = "remote_key", skip(self))]
    async fn key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        Ok(self.metadata(key_id(id)?).await?)
    }

    #[tracing::instrument(name = "remote_key_payload", skip(self))]
    async fn key_payload(&self, id: &str) -> Result<SecretString, ApiError> {
        let collection: Collection<KpKey> = self.json(Call::get(&["keys", key_id(id)?])).await?;
        let key = collection
            .resources
            .into_iter()
            .next()
            .ok_or_else(|| ClientError::Unexpected("an empty key collection".into()))?;
        if !key.extractable {
            return Err(ApiError::invalid(
                "only standard keys have a retrievable payload; root key material never leaves the keystore",
            ));
        }
        if key.state == 5 {
            return Err(ApiError::new(
                ErrorCode::InvalidState,
                format!("key {} is destroyed", key.id),
            ));
        }
        key.payload.map(SecretString::new).ok_or_else(|| {
            ClientError::Unexpected("the standard key came without its payload".into()).into()
        })
    }

    #[tracing::instrument(name = "remote_key_versions", skip(self))]
    async fn key_versions(&self, id: &str) -> Result<Vec<KeyVersionInfo>, ApiError> {
        let page: Collection<KpKeyVersion> = self
            .json(Call::get(&["keys", key_id(id)?, "versions"]))
            .await?;
        // Key Protect lists newest first; the facade promises oldest first.
        Ok(page.resources.into_iter().rev().map(version_info).collect())
    }

    #[tracing::instrument(name = "remote_rotate_key", skip_all, fields(key_id = %request.key_id))]
    async fn rotate_key(&self, request: RotateKeyRequest) -> Result<KeyInfo, ApiError> {
        let body = material_fields(request.payload.as_ref(), &request.secure_import);
        self.act(&request.key_id, "rotate", Value::Object(body))
            .await
    }

    #[tracing::instrument(name = "remote_disable_key", skip(self))]
    async fn disable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.act(id, "disable", json!({})).await
    }

    #[tracing::instrument(name = "remote_enable_key", skip(self))]
    async fn enable_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.act(id, "enable", json!({})).await
    }

    #[tracing::instrument(name = "remote_delete_key", skip(self))]
    async fn delete_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?];
        let mut call = Call::get(&path);
        call.method = Method::DELETE;
        call.replay = Replay::Unsent;
        call.representation = true;
        Ok(self.one_key(call).await?)
    }

    #[tracing::instrument(name = "remote_restore_key", skip(self))]
    async fn restore_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?, "restore"];
        Ok(self
            .one_key(Call::post(&path, json!({}), Replay::Unsent))
            .await?)
    }

    #[tracing::instrument(name = "remote_create_import_token", skip_all)]
    async fn create_import_token(
        &self,
        request: CreateImportTokenRequest,
    ) -> Result<ImportTokenInfo, ApiError> {
        let mut body = Map::new();
        if let Some(expiration) = request.expiration {
            body.insert("expiration".into(), expiration.into());
        }
        if let Some(retrievals) = request.max_allowed_retrievals {
            body.insert("maxAllowedRetrievals".into(), retrievals.into());
        }
        let call = Call::post(&["import_token"], Value::Object(body), Replay::Unsent);
        Ok(self.json(call).await?)
    }

    #[tracing::instrument(name = "remote_import_token", skip_all)]
    async fn import_token(&self) -> Result<ImportTokenInfo, ApiError> {
        let mut call = Call::get(&["import_token"]);
        // Each retrieval is counted: a lost answer must not spend a second one.
        call.replay = Replay::Unsent;
        Ok(self.json(call).await?)
    }

    #[tracing::instrument(name = "remote_wrap", skip_all, fields(key_id = %request.key_id, aad = request.aad.len()))]
    async fn wrap(&self, request: WrapRequest) -> Result<WrapResponse, ApiError> {
        let mut body = json!({ "aad": request.aad });
        if let Some(plaintext) = &request.plaintext {
            body["plaintext"] = Value::from(plaintext.expose());
        }
        let path = ["keys", key_id(&request.key_id)?, "actions", "wrap"];
        let wrapped: wire::Wrapped = self.json(Call::post(&path, body, Replay::Safe)).await?;
        Ok(WrapResponse {
            ciphertext: wrapped.ciphertext,
            key_version: KeyVersionRef {
                id: wrapped.key_version.id,
            },
            plaintext: wrapped.plaintext,
        })
    }

    #[tracing::instrument(name = "remote_unwrap", skip_all, fields(key_id = %request.key_id, aad = request.aad.len()))]
    async fn unwrap(&self, request: UnwrapRequest) -> Result<UnwrapResponse, ApiError> {
        let body = json!({ "ciphertext": request.ciphertext, "aad": request.aad });
        let path = ["keys", key_id(&request.key_id)?, "actions", "unwrap"];
        let unwrapped: wire::Unwrapped = self.json(Call::post(&path, body, Replay::Safe)).await?;
        let rewrapped = match (unwrapped.ciphertext, unwrapped.rewrapped_key_version) {
            (Some(ciphertext), Some(version)) => Some(Rewrapped {
                ciphertext,
                key_version: KeyVersionRef { id: version.id },
            }),
            _ => None,
        };
        Ok(UnwrapResponse {
            plaintext: unwrapped.plaintext,
            key_version: KeyVersionRef {
                id: unwrapped.key_version.id,
            },
            rewrapped,
        })
    }

    #[tracing::instrument(name = "remote_rewrap", skip_all, fields(key_id = %request.key_id, aad = request.aad.len()))]
    async fn rewrap(&self, request: RewrapRequest) -> Result<RewrapResponse, ApiError> {
        let body = json!({ "ciphertext": request.ciphertext, "aad": request.aad });
        let path = ["keys", key_id(&request.key_id)?, "actions", "rewrap"];
        let rewrapped: wire::Rewrapped = self.json(Call::post(&path, body, Replay::Safe)).await?;
        Ok(RewrapResponse {
            ciphertext: rewrapped.ciphertext,
            key_version: KeyVersionRef {
                id: rewrapped.key_version.id,
            },
            rewrapped_key_version: KeyVersionRef {
                id: rewrapped.rewrapped_key_version.id,
            },
        })
    }
}
