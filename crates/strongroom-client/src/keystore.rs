use async_trait::async_trait;
use reqwest::{Method, Response, StatusCode, Url};
use serde::de::DeserializeOwned;
use serde_json::{json, Map, Value};
use strongroom_api::kp::{Collection, KpKey, KpKeyVersion, KEY_TYPE};
use strongroom_api::{
    ActivityReport, AdvanceClockRequest, AliasInfo, AliasList, ApiError, AuditEventInfo,
    AuditQueryRequest, AuthorizationCheck, AuthorizationCheckRequest, AuthorizationInfo,
    CallerInfo, ClockInfo, CreateAuthorizationRequest, CreateImportTokenRequest, CreateKeyRequest,
    ErrorCode, ImportTokenInfo, InstancePolicy, KeyInfo, KeyList, KeyPolicies, KeyRingInfo,
    KeySort, KeyStateName, KeyType, KeyVersionInfo, KeyVersionRef, Keystore, KeystoreInfo,
    KeystoreMode, ListAliasesRequest, ListKeysRequest, RegistrationInfo, RegistrationRequest,
    RegistrationWrite, RewrapRequest, RewrapResponse, Rewrapped, RotateKeyRequest, SecretString,
    SecureImport, SetKeyPoliciesRequest, TlsFacts, UnwrapRequest, UnwrapResponse, UsageReport,
    WrapRequest, WrapResponse, EXTENSION_FILTERS_HEADER,
};

use crate::iam::TokenSource;
use crate::transport::{keystore_failure, Replay, Transport};
use crate::wire::{self, key_info, version_info};
use crate::{ClientError, RemoteConfig};

/// Key Protect's largest page.
const MAX_PAGE: u32 = 5000;

/// Pages of registrations read at most (100,000 registrations).
const MAX_REGISTRATION_PAGES: usize = 20;

/// The [`Keystore`] of a remote instance, reached over the Key Protect v2 API.
pub struct RemoteKeystore {
    transport: Transport,
    tokens: TokenSource,
    /// The endpoint with `/api/v2` appended.
    api: Url,
    /// The IAM host (origin of the token URL), where `/v1/policies` lives.
    iam: Url,
    instance_id: String,
    location: String,
    /// What the first answer said about the server, for a connection test.
    peer: std::sync::Mutex<Option<Peer>>,
}

/// What the instance's first answer showed about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peer {
    /// Its `Server` header.
    pub server: Option<String>,
    /// The TLS it answered over; `None` for plain HTTP.
    pub tls: Option<TlsFacts>,
}

impl Peer {
    fn of(response: &Response) -> Self {
        let server = response
            .headers()
            .get(reqwest::header::SERVER)
            .and_then(|value| value.to_str().ok())
            // A header is the peer's to choose; a screen shows a line of it, not a page.
            .map(|value| value.chars().take(120).collect());
        let tls = response
            .extensions()
            .get::<reqwest::tls::TlsInfo>()
            .map(|info| TlsFacts {
                protocol: protocol_name(info.version()),
                certificate_sha256: info.peer_certificate().map(fingerprint),
            });
        Self { server, tls }
    }
}

fn protocol_name(version: Option<reqwest::tls::Version>) -> String {
    match version {
        Some(v) if v == reqwest::tls::Version::TLS_1_3 => "TLS 1.3".to_owned(),
        Some(v) if v == reqwest::tls::Version::TLS_1_2 => "TLS 1.2".to_owned(),
        _ => "TLS".to_owned(),
    }
}

/// SHA-256 as `AB:CD:…`, the way browsers and `openssl x509 -fingerprint` print it.
fn fingerprint(der: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(der)
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}

/// One call: method, path below `/api/v2`, query, body, and whether it may be replayed.
struct Call<'a> {
    method: Method,
    path: &'a [&'a str],
    query: Vec<(&'static str, String)>,
    body: Option<Value>,
    replay: Replay,
    representation: bool,
    /// Another base than `/api/v2` (the IAM policy API lives beside the token endpoint).
    base: Option<&'a Url>,
    /// `X-Kms-Key-Ring`: how Key Protect narrows a listing to one ring.
    key_ring: Option<String>,
    /// `If-Match`: the ETag an IAM policy update is conditional on.
    if_match: Option<String>,
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
            base: None,
            key_ring: None,
            if_match: None,
        }
    }

    fn with_method(mut self, method: Method, replay: Replay) -> Self {
        self.method = method;
        self.replay = replay;
        self
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
            .tls_info(true)
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
            iam: {
                let mut iam = token_url.clone();
                iam.set_path("/");
                iam.set_query(None);
                iam
            },
            tokens: TokenSource::new(token_url, config.api_key),
            api,
            instance_id: config.instance_id.trim().to_owned(),
            location: endpoint.to_string(),
            peer: std::sync::Mutex::new(None),
        })
    }

    /// What the instance's first answer showed about it (its `Server` header, its TLS), once
    /// any call has reached it.
    pub fn peer(&self) -> Option<Peer> {
        self.peer
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn url(&self, base: Option<&Url>, path: &[&str], query: &[(&'static str, String)]) -> Url {
        let mut url = base.unwrap_or(&self.api).clone();
        if let Ok(mut segments) = url.path_segments_mut() {
            segments.pop_if_empty().extend(path);
        }
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        url
    }

    /// Sends `call` with a token; a 401 is answered by one fresh token and one more try
    /// (the server refused it before doing anything, so even a create may be repeated).
    async fn send(&self, call: Call<'_>) -> Result<Response, ClientError> {
        let url = self.url(call.base, call.path, &call.query);
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
                    if let Some(ring) = &call.key_ring {
                        request = request.header("X-Kms-Key-Ring", ring);
                    }
                    if let Some(etag) = &call.if_match {
                        request = request.header(reqwest::header::IF_MATCH, etag);
                    }
                    match &call.body {
                        Some(body) => request.json(body),
                        None => request,
                    }
                })
                .await?;
            {
                let mut peer = self
                    .peer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if peer.is_none() {
                    *peer = Some(Peer::of(&response));
                }
            }
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
        Self::body(response, &self.transport).await
    }

    async fn body<T: DeserializeOwned>(
        response: Response,
        transport: &Transport,
    ) -> Result<T, ClientError> {
        let bytes = response
            .bytes()
            .await
            .map_err(|err| transport.failure(&err))?;
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

const POLICY_TYPE: &str = "application/vnd.ibm.kms.policy+json";
const REGISTRATION_INPUT_TYPE: &str = "application/vnd.ibm.kms.registration_input+json";

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A registration as Key Protect (or `strongroom serve`) sends it.
fn registration(r: &Value) -> RegistrationInfo {
    let created_by = text(&r["createdBy"]);
    let updated_by = text(&r["updatedBy"]);
    RegistrationInfo {
        key_id: text(&r["keyId"]),
        key_name: text(&r["keyName"]),
        resource_crn: text(&r["resourceCrn"]),
        service: if updated_by.is_empty() {
            created_by.clone()
        } else {
            updated_by
        },
        created_by,
        key_version: text(&r["keyVersion"]["id"]),
        created_at: text(&r["creationDate"]),
        updated_at: text(&r["lastUpdated"]),
        description: text(&r["description"]),
        prevent_key_deletion: r["preventKeyDeletion"].as_bool().unwrap_or(false),
        registration_metadata: r["registrationMetadata"].as_str().map(str::to_owned),
    }
}

fn key_policies(resources: &[Value]) -> KeyPolicies {
    let mut policies = KeyPolicies::default();
    for resource in resources {
        if let Some(rotation) = resource.get("rotation") {
            policies.rotation = wire::rotation(rotation);
        }
        if let Some(dual) = resource.get("dualAuthDelete") {
            policies.dual_auth_delete = dual["enabled"].as_bool().unwrap_or(false);
        }
    }
    policies
}

fn instance_policy(resource: &Value) -> InstancePolicy {
    let data = &resource["policy_data"];
    InstancePolicy {
        policy_type: text(&resource["policy_type"]),
        enabled: data["enabled"].as_bool().unwrap_or(false),
        attributes: data.get("attributes").filter(|a| !a.is_null()).cloned(),
        updated_at: resource["lastUpdated"].as_str().map(str::to_owned),
        updated_by: resource["updatedBy"].as_str().map(str::to_owned),
    }
}

/// An IAM authorization policy back into the facade's shape.
fn authorization(policy: &Value) -> AuthorizationInfo {
    let attribute = |list: &Value, name: &str| {
        list[0]["attributes"]
            .as_array()
            .and_then(|attrs| attrs.iter().find(|a| a["name"] == name))
            .and_then(|a| a["value"].as_str())
            .map(str::to_owned)
    };
    let subjects = &policy["subjects"];
    let resources = &policy["resources"];
    AuthorizationInfo {
        id: text(&policy["id"]),
        source_service: attribute(subjects, "serviceName").unwrap_or_default(),
        source_instance: attribute(subjects, "serviceInstance"),
        target_instance: attribute(resources, "serviceInstance").unwrap_or_default(),
        key_ring: attribute(resources, "keyRing"),
        key_id: attribute(resources, "resource"),
        roles: policy["roles"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|r| r["display_name"].as_str().map(str::to_owned))
            .collect(),
        created_at: text(&policy["created_at"]),
        created_by: text(&policy["created_by_id"]),
        // `strongroom serve` adds it; IBM IAM keeps no record of use.
        last_used_at: policy["last_used_at"].as_str().map(str::to_owned),
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
    /// Asks the instance for one key, so the answer proves the endpoint, the credentials and
    /// the instance id together: the console's health check and connection switch rely on it.
    #[tracing::instrument(name = "remote_info", skip_all)]
    async fn info(&self) -> Result<KeystoreInfo, ApiError> {
        let mut call = Call::get(&["keys"]);
        call.query.push(("limit", "1".to_owned()));
        let _: Collection<KpKey> = self.json(call).await?;
        Ok(KeystoreInfo {
            mode: KeystoreMode::Remote,
            location: self.location.clone(),
            schema_version: None,
        })
    }

    /// Strongroom's `GET /api/v2/caller`. IBM Key Protect has no such endpoint and answers
    /// 404 (`not_found`); the console then leaves every control enabled.
    #[tracing::instrument(name = "remote_caller", skip_all)]
    async fn caller(&self) -> Result<CallerInfo, ApiError> {
        Ok(self.json(Call::get(&["caller"])).await?)
    }

    /// Strongroom's `GET /api/v2/usage` (IBM Key Protect has none: 404, `NOT_FOUND`).
    #[tracing::instrument(name = "remote_usage", skip_all)]
    async fn usage(&self) -> Result<UsageReport, ApiError> {
        Ok(self.json(Call::get(&["usage"])).await?)
    }

    /// Strongroom's `GET /api/v2/activity` (IBM Key Protect has none: 404, `NOT_FOUND`).
    #[tracing::instrument(name = "remote_activity", skip_all, fields(hours = hours))]
    async fn activity(&self, hours: u32) -> Result<ActivityReport, ApiError> {
        let mut call = Call::get(&["activity"]);
        call.query.push(("hours", hours.to_string()));
        Ok(self.json(call).await?)
    }

    /// Strongroom's `GET /api/v2/clock` (IBM Key Protect has none: 404, `NOT_FOUND`).
    #[tracing::instrument(name = "remote_clock", skip_all)]
    async fn clock(&self) -> Result<ClockInfo, ApiError> {
        Ok(self.json(Call::get(&["clock"])).await?)
    }

    /// Strongroom's `POST /api/v2/clock` on a server started with `--virtual-clock`.
    #[tracing::instrument(name = "remote_advance_clock", skip_all)]
    async fn advance_clock(&self, request: AdvanceClockRequest) -> Result<ClockInfo, ApiError> {
        let body = serde_json::to_value(&request).map_err(|_| ApiError::internal())?;
        // Sent twice, the clock would move twice.
        Ok(self
            .json(Call::post(&["clock"], body, Replay::Unsent))
            .await?)
    }

    /// Strongroom's `POST /api/v2/authorization_checks` (IBM Key Protect has none: 404).
    #[tracing::instrument(name = "remote_check_authorization", skip_all, fields(key_id = %request.key_id))]
    async fn check_authorization(
        &self,
        request: AuthorizationCheckRequest,
    ) -> Result<AuthorizationCheck, ApiError> {
        let body = serde_json::to_value(&request).map_err(|_| ApiError::internal())?;
        // A dry run changes nothing, so a retry after a dropped answer is harmless.
        Ok(self
            .json(Call::post(&["authorization_checks"], body, Replay::Safe))
            .await?)
    }

    #[tracing::instrument(name = "remote_list_keys", skip_all, fields(offset = request.offset))]
    async fn list_keys(&self, request: ListKeysRequest) -> Result<KeyList, ApiError> {
        let asked = request.extension_filters();
        let mut call = Call::get(&["keys"]);
        for (name, value) in request.extension_params() {
            call.query.push((name, value.to_string()));
        }
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
        if !request.sort.is_empty() {
            call.query
                .push(("sort", KeySort::format_list(&request.sort)));
        }

        call.key_ring = request.key_ring;
        call.query.push(("totalCount", "true".to_owned()));
        let response = self.send(call).await?;
        // Every line of the header: a proxy may split one list into several.
        let applied = response
            .headers()
            .get_all(EXTENSION_FILTERS_HEADER)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .collect::<Vec<_>>();
        if let Some(missing) = asked.iter().find(|name| !applied.contains(name)) {
            // Key Protect ignores parameters it does not know; showing its unfiltered page as
            // the filter's result would be wrong.
            return Err(ClientError::NotSupported(format!(
                "This instance cannot filter keys by `{missing}`; only a Strongroom server can."
            ))
            .into());
        }
        let page: Collection<KpKey> = Self::body(response, &self.transport).await?;
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
        if !request.aliases.is_empty() {
            resource.insert("aliases".into(), request.aliases.clone().into());
        }
        if let Some(ring) = &request.key_ring {
            resource.insert("keyRingID".into(), ring.clone().into());
        }
        if let Some(enabled) = request.dual_auth_delete {
            resource.insert("dualAuthDelete".into(), json!({ "enabled": enabled }));
        }
        if let Some(rotation) = request.rotation {
            resource.insert(
                "rotation".into(),
                json!({ "enabled": rotation.enabled, "interval_month": rotation.interval_month }),
            );
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

    async fn sync_key(&self, id: &str) -> Result<(), ApiError> {
        let path = ["keys", key_id(id)?, "actions", "sync"];
        self.send(Call::post(&path, json!({}), Replay::Unsent))
            .await?;
        Ok(())
    }

    #[tracing::instrument(name = "remote_delete_key", skip(self))]
    async fn delete_key(&self, id: &str, force: bool) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?];
        let mut call = Call::get(&path).with_method(Method::DELETE, Replay::Unsent);
        call.representation = true;
        if force {
            call.query.push(("force", "true".to_owned()));
        }
        Ok(self.one_key(call).await?)
    }

    #[tracing::instrument(name = "remote_set_key_for_deletion", skip(self))]
    async fn set_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.act(id, "setKeyForDeletion", json!({})).await
    }

    #[tracing::instrument(name = "remote_unset_key_for_deletion", skip(self))]
    async fn unset_key_for_deletion(&self, id: &str) -> Result<KeyInfo, ApiError> {
        self.act(id, "unsetKeyForDeletion", json!({})).await
    }

    #[tracing::instrument(name = "remote_purge_key", skip(self))]
    async fn purge_key(&self, id: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?, "purge"];
        let call = Call::get(&path).with_method(Method::DELETE, Replay::Unsent);
        Ok(self.one_key(call).await?)
    }

    #[tracing::instrument(name = "remote_move_key", skip(self))]
    async fn move_key(&self, id: &str, key_ring: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?];
        let mut call = Call::post(&path, json!({ "keyRingID": key_ring }), Replay::Unsent);
        call.method = Method::PATCH;
        Ok(self.one_key(call).await?)
    }

    #[tracing::instrument(name = "remote_create_alias", skip(self))]
    async fn create_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?, "aliases", alias];
        self.send(Call::post(&path, json!({}), Replay::Unsent))
            .await?;
        Ok(self.metadata(id).await?)
    }

    #[tracing::instrument(name = "remote_delete_alias", skip(self))]
    async fn delete_alias(&self, id: &str, alias: &str) -> Result<KeyInfo, ApiError> {
        let path = ["keys", key_id(id)?, "aliases", alias];
        self.send(Call::get(&path).with_method(Method::DELETE, Replay::Unsent))
            .await?;
        Ok(self.metadata(id).await?)
    }

    #[tracing::instrument(name = "remote_list_aliases", skip_all, fields(offset = request.offset))]
    async fn list_aliases(&self, request: ListAliasesRequest) -> Result<AliasList, ApiError> {
        let mut call = Call::get(&["aliases"]);
        if let Some(prefix) = request.prefix {
            call.query.push(("prefix", prefix));
        }
        call.query.push(("offset", request.offset.to_string()));
        if let Some(limit) = request.limit {
            call.query.push(("limit", limit.to_string()));
        }
        let page: Collection<AliasInfo> = self.json(call).await?;
        let total = page
            .metadata
            .total_count
            .unwrap_or(page.resources.len() as u64);
        Ok(AliasList {
            aliases: page.resources,
            total: u32::try_from(total).unwrap_or(u32::MAX),
        })
    }

    #[tracing::instrument(name = "remote_key_policies", skip(self))]
    async fn key_policies(&self, id: &str) -> Result<KeyPolicies, ApiError> {
        let page: Collection<Value> = self
            .json(Call::get(&["keys", key_id(id)?, "policies"]))
            .await?;
        Ok(key_policies(&page.resources))
    }

    #[tracing::instrument(name = "remote_set_key_policies", skip_all, fields(key_id = %request.key_id))]
    async fn set_key_policies(
        &self,
        request: SetKeyPoliciesRequest,
    ) -> Result<KeyPolicies, ApiError> {
        let mut resources = Vec::new();
        if let Some(rotation) = request.rotation {
            resources.push(json!({ "type": POLICY_TYPE, "rotation": {
                "enabled": rotation.enabled, "interval_month": rotation.interval_month } }));
        }
        if let Some(enabled) = request.dual_auth_delete {
            resources
                .push(json!({ "type": POLICY_TYPE, "dualAuthDelete": { "enabled": enabled } }));
        }
        let body = json!({
            "metadata": { "collectionType": POLICY_TYPE, "collectionTotal": resources.len() },
            "resources": resources,
        });
        let path = ["keys", key_id(&request.key_id)?, "policies"];
        let call = Call::post(&path, body, Replay::Safe).with_method(Method::PUT, Replay::Safe);
        let page: Collection<Value> = self.json(call).await?;
        Ok(key_policies(&page.resources))
    }

    #[tracing::instrument(name = "remote_key_rings", skip_all)]
    async fn key_rings(&self) -> Result<Vec<KeyRingInfo>, ApiError> {
        let page: Collection<Value> = self.json(Call::get(&["key_rings"])).await?;
        Ok(page
            .resources
            .iter()
            .map(|ring| KeyRingInfo {
                id: ring["id"].as_str().unwrap_or_default().to_owned(),
                created_at: ring["creationDate"].as_str().unwrap_or_default().to_owned(),
                created_by: ring["createdBy"].as_str().unwrap_or_default().to_owned(),
            })
            .collect())
    }

    #[tracing::instrument(name = "remote_create_key_ring", skip(self))]
    async fn create_key_ring(&self, id: &str) -> Result<KeyRingInfo, ApiError> {
        self.send(Call::post(
            &["key_rings", key_id(id)?],
            json!({}),
            Replay::Unsent,
        ))
        .await?;
        self.key_rings()
            .await?
            .into_iter()
            .find(|ring| ring.id == id)
            .ok_or_else(|| ClientError::Unexpected("the new key ring is not listed".into()).into())
    }

    #[tracing::instrument(name = "remote_delete_key_ring", skip(self))]
    async fn delete_key_ring(&self, id: &str, force: bool) -> Result<(), ApiError> {
        let path = ["key_rings", key_id(id)?];
        let mut call = Call::get(&path).with_method(Method::DELETE, Replay::Unsent);
        if force {
            call.query.push(("force", "true".to_owned()));
        }
        self.send(call).await?;
        Ok(())
    }

    #[tracing::instrument(name = "remote_instance_policies", skip_all)]
    async fn instance_policies(&self) -> Result<Vec<InstancePolicy>, ApiError> {
        let page: Collection<Value> = self.json(Call::get(&["instance", "policies"])).await?;
        Ok(page.resources.iter().map(instance_policy).collect())
    }

    #[tracing::instrument(name = "remote_set_instance_policies", skip_all)]
    async fn set_instance_policies(
        &self,
        policies: Vec<InstancePolicy>,
    ) -> Result<Vec<InstancePolicy>, ApiError> {
        let resources: Vec<Value> = policies
            .iter()
            .map(|p| {
                let mut data = json!({ "enabled": p.enabled });
                if let Some(attributes) = &p.attributes {
                    data["attributes"] = attributes.clone();
                }
                json!({ "policy_type": p.policy_type, "policy_data": data })
            })
            .collect();
        let body = json!({
            "metadata": { "collectionType": POLICY_TYPE, "collectionTotal": resources.len() },
            "resources": resources,
        });
        let call = Call::post(&["instance", "policies"], body, Replay::Safe)
            .with_method(Method::PUT, Replay::Safe);
        self.send(call).await?;
        self.instance_policies().await
    }

    #[tracing::instrument(name = "remote_registrations", skip(self))]
    async fn registrations(&self, id: Option<&str>) -> Result<Vec<RegistrationInfo>, ApiError> {
        let path: Vec<&str> = match id {
            Some(id) => vec!["keys", key_id(id)?, "registrations"],
            None => vec!["keys", "registrations"],
        };
        // The facade answers every registration; Key Protect pages them (200 by default), so
        // they are read a page at a time until a page comes back short, up to a bound a
        // remote peer cannot push the console past.
        let mut all = Vec::new();
        for _ in 0..MAX_REGISTRATION_PAGES {
            let mut call = Call::get(&path);
            call.query.push(("limit", MAX_PAGE.to_string()));
            call.query.push(("offset", all.len().to_string()));
            let page: Collection<Value> = self.json(call).await?;
            // Exactly a page: a server that ignores `limit` and answers everything is read once.
            let full = page.resources.len() == MAX_PAGE as usize;
            all.extend(page.resources.iter().map(registration));
            if !full {
                return Ok(all);
            }
        }
        tracing::warn!(
            registrations = all.len(),
            "stopped reading registrations at the console's limit"
        );
        Ok(all)
    }

    #[tracing::instrument(name = "remote_write_registration", skip(self, request))]
    async fn write_registration(
        &self,
        id: &str,
        resource_crn: &str,
        write: RegistrationWrite,
        request: RegistrationRequest,
    ) -> Result<RegistrationInfo, ApiError> {
        let path = ["keys", key_id(id)?, "registrations", resource_crn];
        let mut input = serde_json::Map::new();
        if let Some(description) = request.description {
            input.insert("description".into(), description.into());
        }
        if let Some(prevent) = request.prevent_key_deletion {
            input.insert("preventKeyDeletion".into(), prevent.into());
        }
        if let Some(notes) = request.registration_metadata {
            input.insert("registrationMetadata".into(), notes.into());
        }
        let body = json!({
            "metadata": { "collectionType": REGISTRATION_INPUT_TYPE, "collectionTotal": 1 },
            "resources": [input],
        });
        // A replace sets the same fields however often it is sent; a create or an update may
        // not be repeated blindly (a second create is a conflict).
        let call = match write {
            RegistrationWrite::Create => Call::post(&path, body, Replay::Unsent),
            RegistrationWrite::Replace => {
                Call::post(&path, body, Replay::Safe).with_method(Method::PUT, Replay::Safe)
            }
            RegistrationWrite::Update => {
                Call::post(&path, body, Replay::Unsent).with_method(Method::PATCH, Replay::Unsent)
            }
        };
        let page: Collection<Value> = self.json(call).await?;
        page.resources.first().map(registration).ok_or_else(|| {
            ApiError::new(
                ErrorCode::Internal,
                "the remote instance answered a registration without it",
            )
        })
    }

    #[tracing::instrument(name = "remote_delete_registration", skip(self))]
    async fn delete_registration(&self, id: &str, resource_crn: &str) -> Result<(), ApiError> {
        let path = ["keys", key_id(id)?, "registrations", resource_crn];
        self.send(Call::get(&path).with_method(Method::DELETE, Replay::Unsent))
            .await?;
        Ok(())
    }

    #[tracing::instrument(name = "remote_authorizations", skip_all)]
    async fn authorizations(&self) -> Result<Vec<AuthorizationInfo>, ApiError> {
        let mut call = Call::get(&["v1", "policies"]);
        call.base = Some(&self.iam);
        call.query.push(("type", "authorization".to_owned()));
        let list: Value = self.json(call).await?;
        Ok(list["policies"]
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .map(authorization)
            .filter(|a| a.target_instance == self.instance_id)
            .collect())
    }

    #[tracing::instrument(name = "remote_create_authorization", skip_all, fields(source = %request.source_service))]
    async fn create_authorization(
        &self,
        request: CreateAuthorizationRequest,
    ) -> Result<AuthorizationInfo, ApiError> {
        let mut subject = vec![json!({ "name": "serviceName", "value": request.source_service })];
        if let Some(instance) = &request.source_instance {
            subject.push(json!({ "name": "serviceInstance", "value": instance }));
        }
        let mut resource = vec![
            json!({ "name": "serviceName", "value": "kms", "operator": "stringEquals" }),
            json!({ "name": "serviceInstance", "value": self.instance_id, "operator": "stringEquals" }),
        ];
        if let Some(ring) = &request.key_ring {
            resource.push(json!({ "name": "keyRing", "value": ring, "operator": "stringEquals" }));
        }
        if let Some(key) = &request.key_id {
            resource.push(
                json!({ "name": "resourceType", "value": "key", "operator": "stringEquals" }),
            );
            resource.push(json!({ "name": "resource", "value": key, "operator": "stringEquals" }));
        }
        // No roles at all means Reader; roles given but all blank are a mistake, as embedded.
        let names = if request.roles.is_empty() {
            vec!["Reader"]
        } else {
            strongroom_api::authorization_roles(&request.roles)?
        };
        let roles: Vec<Value> = names
            .iter()
            .map(|r| json!({ "role_id": strongroom_api::role_crn(r) }))
            .collect();
        let body = json!({
            "type": "authorization",
            "subjects": [{ "attributes": subject }],
            "roles": roles,
            "resources": [{ "attributes": resource }],
        });
        let mut call = Call::post(&["v1", "policies"], body, Replay::Unsent);
        call.base = Some(&self.iam);
        let created: Value = self.json(call).await?;
        Ok(authorization(&created))
    }

    #[tracing::instrument(name = "remote_delete_authorization", skip(self))]
    async fn delete_authorization(&self, id: &str) -> Result<(), ApiError> {
        let path = ["v1", "policies", key_id(id)?];
        let mut call = Call::get(&path).with_method(Method::DELETE, Replay::Safe);
        call.base = Some(&self.iam);
        self.send(call).await?;
        Ok(())
    }

    /// IAM's edit: read the policy for its ETag, then replace it with the new roles under
    /// `If-Match`, so a change made meanwhile is refused (412) rather than overwritten.
    #[tracing::instrument(name = "remote_set_authorization_roles", skip_all, fields(authorization = %id))]
    async fn set_authorization_roles(
        &self,
        id: &str,
        roles: Vec<String>,
    ) -> Result<AuthorizationInfo, ApiError> {
        let roles = strongroom_api::authorization_roles(&roles)?;
        let path = ["v1", "policies", key_id(id)?];
        let mut read = Call::get(&path);
        read.base = Some(&self.iam);
        let response = self.send(read).await?;
        let etag = response
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .ok_or_else(|| ClientError::Unexpected("an IAM policy without an ETag".into()))?;
        let policy: Value = Self::body(response, &self.transport).await?;
        // Only an authorization of this instance: the id could name any IAM policy.
        let found = authorization(&policy);
        if policy["type"] != "authorization" || found.target_instance != self.instance_id {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("authorization {id} was not found"),
            ));
        }
        let mut body = json!({
            "type": policy["type"],
            "subjects": policy["subjects"],
            "resources": policy["resources"],
            "roles": roles
                .iter()
                .map(|r| json!({ "role_id": strongroom_api::role_crn(r) }))
                .collect::<Vec<_>>(),
        });
        if let Some(description) = policy.get("description").filter(|d| d.is_string()) {
            body["description"] = description.clone();
        }
        let mut write =
            Call::post(&path, body, Replay::Unsent).with_method(Method::PUT, Replay::Unsent);
        write.base = Some(&self.iam);
        write.if_match = Some(etag);
        let updated: Value = self.json(write).await?;
        Ok(authorization(&updated))
    }

    #[tracing::instrument(name = "remote_audit_events", skip_all)]
    async fn audit_events(
        &self,
        query: AuditQueryRequest,
    ) -> Result<Vec<AuditEventInfo>, ApiError> {
        let mut call = Call::get(&["audit_events"]);
        if let Some(initiator) = query.initiator {
            call.query.push(("initiator", initiator));
        }
        if let Some(action) = query.action {
            call.query.push(("action", action));
        }
        if let Some(target) = query.target {
            call.query.push(("target", target));
        }
        if query.failures_only {
            call.query.push(("failuresOnly", "true".to_owned()));
        }
        if let Some(correlation_id) = query.correlation_id {
            call.query.push(("correlationId", correlation_id));
        }
        if let Some(before) = query.before {
            call.query.push(("before", before.to_string()));
        }
        if let Some(rows) = query.within_latest {
            call.query.push(("withinLatest", rows.to_string()));
        }
        if let Some(since) = query.since {
            call.query.push(("since", since));
        }
        if let Some(until) = query.until {
            call.query.push(("until", until));
        }
        if let Some(limit) = query.limit {
            call.query.push(("limit", limit.to_string()));
        }
        let page: Collection<AuditEventInfo> = self.json(call).await?;
        Ok(page.resources)
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

    async fn import_token_status(&self) -> Result<ImportTokenInfo, ApiError> {
        // `strongroom serve`'s read; IBM Key Protect answers 404, which is the documented
        // "no such read" too.
        Ok(self.json(Call::get(&["import_token", "status"])).await?)
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
