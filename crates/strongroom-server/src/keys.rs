//! `/api/v2/keys...`: parse the Key Protect shape, call the facade, answer in the Key Protect
//! shape. Action results use vendor media types because IBM's Python SDK hands callers a
//! `Response` (on which they call `.json()`) only for non-`application/json` bodies.

use crate::extract::{Path, Query};
use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde::{Deserialize, Serialize};
use serde_json::json;
use strongroom_api::kp::{
    Collection, KpKey, KpKeyVersion, KEY_ACTION_TYPE, KEY_TYPE, KEY_VERSION_TYPE,
};
use strongroom_api::{
    CreateKeyRequest, KeyInfo, KeySort, KeyStateName, KeyType, ListKeysRequest, RotateKeyRequest,
    SecretString, SecureImport, UnwrapRequest, WrapRequest, EXTENSION_FILTERS_HEADER,
};

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::policies;
use crate::Kms;

type Outcome = Result<Response, Failure>;

fn record_key(id: &str) {
    crate::trace::note(crate::trace::Fact::KeyId, id);
}

pub(crate) fn typed_json<T: Serialize>(
    status: StatusCode,
    media_type: &'static str,
    value: &T,
) -> Response {
    let mut response = (status, axum::Json(value)).into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    response
}

fn kp_key(state: &Kms, key: KeyInfo) -> KpKey {
    let window = key.deletion_window;
    KpKey {
        resource_type: KEY_TYPE.to_owned(),
        crn: state.key_crn(&key.id),
        state: match key.state {
            KeyStateName::Active => 1,
            KeyStateName::Suspended => 2,
            KeyStateName::Deactivated => 3,
            KeyStateName::Destroyed => 5,
        },
        extractable: key.key_type == KeyType::Standard,
        deleted: key.state == KeyStateName::Destroyed,
        id: key.id,
        name: key.name,
        description: key.description,
        imported: key.imported,
        key_ring_id: key.key_ring,
        creation_date: key.created_at,
        last_update_date: key.updated_at,
        last_rotate_date: key.last_rotated_at,
        expiration_date: key.expires_at,
        deletion_date: key.deleted_at,
        algorithm_type: "AES".to_owned(),
        key_version: KpKeyVersion {
            id: key.key_version.id,
            creation_date: Some(key.key_version.created_at),
            ..KpKeyVersion::default()
        },
        created_by: key.created_by,
        aliases: key.aliases,
        dual_auth_delete: Some(json!({
            "enabled": key.dual_auth_delete.enabled,
            "keySetForDeletion": key.dual_auth_delete.key_set_for_deletion,
            "authExpiration": key.dual_auth_delete.auth_expiration,
            "authID": key.dual_auth_delete.authorized_by,
        })),
        rotation: key
            .rotation
            .map(|r| json!({ "enabled": r.enabled, "interval_month": r.interval_month })),
        deleted_by: key.deleted_by,
        rotation_due: Some(key.rotation_due),
        restore_expiration_date: window.as_ref().map(|w| w.restorable_until.clone()),
        restore_allowed: window.as_ref().map(|w| w.restore_allowed),
        purge_allowed_from: window.as_ref().map(|w| w.purgeable_from.clone()),
        purge_allowed: window.as_ref().map(|w| w.purge_allowed),
        payload: None,
    }
}

fn one_key(state: &Kms, status: StatusCode, key: KeyInfo) -> Response {
    typed_json(
        status,
        KEY_TYPE,
        &Collection::new(KEY_TYPE, vec![kp_key(state, key)]),
    )
}

/// Query parameters of GET/HEAD /keys. Numbers arrive as text so a bad one is a KP error.
#[derive(Deserialize)]
pub(crate) struct ListQuery {
    limit: Option<String>,
    offset: Option<String>,
    state: Option<String>,
    extractable: Option<String>,
    search: Option<String>,
    sort: Option<String>,
    #[serde(rename = "totalCount")]
    total_count: Option<String>,
    // Strongroom's own filters, echoed in `EXTENSION_FILTERS_HEADER` when applied.
    imported: Option<String>,
    #[serde(rename = "dualAuthDelete")]
    dual_auth_delete: Option<String>,
    #[serde(rename = "rotationDue")]
    rotation_due: Option<String>,
}

/// A `true`/`false` query parameter; anything else is Key Protect's query error. Any case:
/// Python's clients send a `True` they were given as `True`.
pub(crate) fn flag(name: &str, text: Option<&str>) -> Result<Option<bool>, Failure> {
    match text.map(str::trim) {
        None => Ok(None),
        Some(text) if text.eq_ignore_ascii_case("true") => Ok(Some(true)),
        Some(text) if text.eq_ignore_ascii_case("false") => Ok(Some(false)),
        Some(_) => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY_PARAM_ERR",
            format!("`{name}` must be true or false"),
        )),
    }
}

/// The ring a request names in `X-Kms-Key-Ring`, if any.
fn key_ring_header(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-kms-key-ring")
        .and_then(|v| v.to_str().ok())
        .map(|v| v.trim().to_owned())
        .filter(|v| !v.is_empty())
}

pub(crate) fn number(
    name: &str,
    text: Option<&str>,
    default: u32,
    max: u32,
) -> Result<u32, Failure> {
    match text {
        None => Ok(default),
        Some(text) => text
            .trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= max)
            .ok_or_else(|| {
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAM_ERR",
                    format!("`{name}` must be a whole number from 0 to {max}"),
                )
            }),
    }
}

fn states(text: &str) -> Result<Vec<KeyStateName>, Failure> {
    text.split(',')
        .filter(|s| !s.trim().is_empty())
        .map(|s| match s.trim() {
            "1" => Ok(KeyStateName::Active),
            "2" => Ok(KeyStateName::Suspended),
            "3" => Ok(KeyStateName::Deactivated),
            "5" => Ok(KeyStateName::Destroyed),
            other => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "INVALID_QUERY_PARAM_ERR",
                format!("`state` must list key states 1, 2, 3 or 5, not {other:?}"),
            )),
        })
        .collect()
}

impl ListQuery {
    /// The listing asked for, and the `totalCount` parameter (the total in the body too).
    fn parse(self, headers: &HeaderMap) -> Result<(ListKeysRequest, Option<bool>), Failure> {
        let query = self;
        let total_count = flag("totalCount", query.total_count.as_deref())?;
        let key_type = flag("extractable", query.extractable.as_deref())?.map(|extractable| {
            if extractable {
                KeyType::Standard
            } else {
                KeyType::Root
            }
        });
        let request = ListKeysRequest {
            offset: number("offset", query.offset.as_deref(), 0, u32::MAX)?,
            limit: Some(number("limit", query.limit.as_deref(), 200, 5000)?),
            states: query
                .state
                .as_deref()
                .map(states)
                .transpose()?
                .unwrap_or_default(),
            search: query.search,
            key_type,
            key_ring: key_ring_header(headers),
            imported: flag("imported", query.imported.as_deref())?,
            dual_auth_delete: flag("dualAuthDelete", query.dual_auth_delete.as_deref())?,
            rotation_due: flag("rotationDue", query.rotation_due.as_deref())?,
            sort: KeySort::parse_list(query.sort.as_deref().unwrap_or_default()).map_err(
                |field| {
                    Failure::new(
                        StatusCode::BAD_REQUEST,
                        "INVALID_QUERY_PARAM_ERR",
                        format!("`sort` cannot order keys by {field:?}"),
                    )
                },
            )?,
        };
        Ok((request, total_count))
    }
}

pub(crate) async fn list(
    Extension(state): Extension<Kms>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Outcome {
    let (request, total_count) = query.parse(&headers)?;
    let applied = request.extension_filters().join(",");
    let page = state.keystore.list_keys(request).await?;
    let keys: Vec<KpKey> = page.keys.into_iter().map(|k| kp_key(&state, k)).collect();
    let mut collection = Collection::new(KEY_TYPE, keys);
    if total_count == Some(true) {
        collection.metadata.total_count = Some(u64::from(page.total));
    }
    let response = typed_json(StatusCode::OK, KEY_TYPE, &collection);
    Ok(with_totals(response, page.total, &applied))
}

/// HEAD /keys: the count alone, in `Key-Total`, without reading a page of keys.
pub(crate) async fn head(
    Extension(state): Extension<Kms>,
    Query(query): Query<ListQuery>,
    headers: HeaderMap,
) -> Outcome {
    let (request, _) = query.parse(&headers)?;
    let applied = request.extension_filters().join(",");
    let total = state.keystore.count_keys(request).await?;
    let response = ([(header::CONTENT_TYPE, KEY_TYPE)], StatusCode::OK).into_response();
    Ok(with_totals(response, total, &applied))
}

fn with_totals(mut response: Response, total: u32, applied: &str) -> Response {
    response
        .headers_mut()
        .insert("key-total", HeaderValue::from(total));
    if let Ok(applied) = HeaderValue::from_str(applied) {
        if !applied.is_empty() {
            response
                .headers_mut()
                .insert(EXTENSION_FILTERS_HEADER, applied);
        }
    }
    response
}

pub(crate) async fn create(
    Extension(state): Extension<Kms>,
    headers: HeaderMap,
    RawBody(body): RawBody,
) -> Outcome {
    let fields = Fields::parse(&body)?.ok_or_else(|| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "NO_BODY_ERR",
            "a key resource is required",
        )
    })?;
    let resource = fields.first_resource()?;
    let name = resource
        .string("name")?
        .ok_or_else(|| Failure::invalid_field("the field `name` is required"))?;
    let request = CreateKeyRequest {
        name,
        description: resource.string("description")?,
        key_type: if resource.bool("extractable")?.unwrap_or(false) {
            KeyType::Standard
        } else {
            KeyType::Root
        },
        expires_at: resource.string("expirationDate")?,
        payload: resource.string("payload")?.map(SecretString::new),
        secure_import: SecureImport {
            encrypted_nonce: resource.string("encryptedNonce")?,
            iv: resource.string("iv")?,
            encryption_algorithm: resource.string("encryptionAlgorithm")?,
        },
        key_ring: key_ring_header(&headers).or(resource.string("keyRingID")?),
        aliases: resource.strings("aliases")?,
        dual_auth_delete: resource
            .object("dualAuthDelete")?
            .map(|policy| policy.bool("enabled"))
            .transpose()?
            .flatten(),
        rotation: resource
            .object("rotation")?
            .map(|policy| policies::rotation(&policy))
            .transpose()?,
    };
    let key = state.keystore.create_key(request).await?;
    record_key(&key.id);
    Ok(one_key(&state, StatusCode::CREATED, key))
}

/// GET /keys/{id}: a standard key comes with its payload, as Key Protect returns it.
pub(crate) async fn get(Extension(state): Extension<Kms>, Path(id): Path<String>) -> Outcome {
    record_key(&id);
    let (key, payload) = state.keystore.read_key(&id).await?;
    let mut resource = kp_key(&state, key);
    resource.payload = payload.map(|p| p.expose().to_owned());
    Ok(typed_json(
        StatusCode::OK,
        KEY_TYPE,
        &Collection::new(KEY_TYPE, vec![resource]),
    ))
}

/// GET /keys/{id}/metadata: never a payload.
pub(crate) async fn metadata(Extension(state): Extension<Kms>, Path(id): Path<String>) -> Outcome {
    record_key(&id);
    let key = state.keystore.key(&id).await?;
    Ok(one_key(&state, StatusCode::OK, key))
}

/// Query parameters of GET /keys/{id}/versions.
#[derive(Deserialize)]
pub(crate) struct VersionsQuery {
    limit: Option<String>,
    offset: Option<String>,
    #[serde(rename = "totalCount")]
    total_count: Option<String>,
    /// Key Protect lists a key that is not active only with this set; Strongroom lists
    /// versions in every state, so it is only checked.
    #[serde(rename = "allKeyStates")]
    all_key_states: Option<String>,
}

/// GET /keys/{id}/versions, newest first. Without `limit`, every version: a key has few, and
/// a client that does not page still sees them all (Key Protect's default page is 200).
pub(crate) async fn versions(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<VersionsQuery>,
) -> Outcome {
    record_key(&id);
    let offset = number("offset", query.offset.as_deref(), 0, u32::MAX)?;
    let limit = number("limit", query.limit.as_deref(), u32::MAX, 5000)?;
    let total_count = flag("totalCount", query.total_count.as_deref())?;
    flag("allKeyStates", query.all_key_states.as_deref())?;
    let mut versions = state.keystore.key_versions(&id).await?;
    versions.reverse();
    let total = versions.len();
    let resources: Vec<KpKeyVersion> = versions
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|v| KpKeyVersion {
            id: v.id,
            creation_date: Some(v.created_at),
            wraps: v.wraps,
            unwraps: v.unwraps,
            last_used_date: v.last_used_at,
        })
        .collect();
    let mut collection = Collection::new(KEY_VERSION_TYPE, resources);
    if total_count == Some(true) {
        collection.metadata.total_count = Some(total as u64);
    }
    Ok(typed_json(StatusCode::OK, KEY_VERSION_TYPE, &collection))
}

fn wants_representation(headers: &HeaderMap) -> bool {
    headers
        .get("prefer")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().contains("return=representation"))
}

#[derive(Deserialize)]
pub(crate) struct ForceQuery {
    force: Option<String>,
}

impl ForceQuery {
    /// A `force` that is neither true nor false is refused: read as false, a typo would delete
    /// without the force its sender meant, or the other way round.
    pub(crate) fn force(&self) -> Result<bool, Failure> {
        Ok(flag("force", self.force.as_deref())?.unwrap_or(false))
    }
}

pub(crate) async fn delete(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<ForceQuery>,
    headers: HeaderMap,
) -> Outcome {
    record_key(&id);
    let key = state.keystore.delete_key(&id, query.force()?).await?;
    if wants_representation(&headers) {
        Ok(one_key(&state, StatusCode::OK, key))
    } else {
        Ok(StatusCode::NO_CONTENT.into_response())
    }
}

/// DELETE /keys/{id}/purge.
pub(crate) async fn purge(Extension(state): Extension<Kms>, Path(id): Path<String>) -> Outcome {
    record_key(&id);
    let key = state.keystore.purge_key(&id).await?;
    Ok(one_key(&state, StatusCode::OK, key))
}

/// PATCH /keys/{id} with `{"keyRingID": "<ring>"}`: move the key to another ring.
pub(crate) async fn patch(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    RawBody(body): RawBody,
) -> Outcome {
    record_key(&id);
    let fields = Fields::parse(&body)?.ok_or_else(|| {
        Failure::new(
            StatusCode::BAD_REQUEST,
            "NO_BODY_ERR",
            "a body with `keyRingID` is required",
        )
    })?;
    let ring = fields
        .string("keyRingID")?
        .ok_or_else(|| Failure::invalid_field("the field `keyRingID` is required"))?;
    let key = state.keystore.move_key(&id, &ring).await?;
    Ok(one_key(&state, StatusCode::OK, key))
}

const ALIAS_TYPE: &str = "application/vnd.ibm.kms.alias+json";

/// POST /keys/{id}/aliases/{alias}.
pub(crate) async fn create_alias(
    Extension(state): Extension<Kms>,
    Path((id, alias)): Path<(String, String)>,
) -> Outcome {
    record_key(&id);
    let key = state.keystore.create_alias(&id, &alias).await?;
    // The alias is the caller's, whoever created the key.
    let added_by = state.keystore.caller().await?.iam_id;
    Ok(typed_json(
        StatusCode::CREATED,
        ALIAS_TYPE,
        &Collection::new(
            ALIAS_TYPE,
            vec![json!({
                "keyId": key.id,
                "alias": alias,
                "creationDate": key.updated_at,
                "createdBy": added_by,
            })],
        ),
    ))
}

/// DELETE /keys/{id}/aliases/{alias}: 204 with no body (the Go client passes no target).
pub(crate) async fn delete_alias(
    Extension(state): Extension<Kms>,
    Path((id, alias)): Path<(String, String)>,
) -> Outcome {
    record_key(&id);
    state.keystore.delete_alias(&id, &alias).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

pub(crate) async fn restore(Extension(state): Extension<Kms>, Path(id): Path<String>) -> Outcome {
    record_key(&id);
    let key = state.keystore.restore_key(&id).await?;
    Ok(one_key(&state, StatusCode::CREATED, key))
}

#[derive(Deserialize)]
pub(crate) struct ActionQuery {
    action: Option<String>,
}

/// The deprecated form `POST /keys/{id}?action=wrap`.
pub(crate) async fn action_query(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<ActionQuery>,
    RawBody(body): RawBody,
) -> Outcome {
    let action = query.action.unwrap_or_default();
    act(&state, &id, &action, &body).await
}

/// `POST /keys/{id}/actions/{action}`.
pub(crate) async fn action_path(
    Extension(state): Extension<Kms>,
    Path((id, action)): Path<(String, String)>,
    RawBody(body): RawBody,
) -> Outcome {
    act(&state, &id, &action, &body).await
}

/// The fields any key action may carry; which are required depends on the action.
#[derive(Default)]
struct ActionBody {
    aad: Vec<String>,
    plaintext: Option<String>,
    ciphertext: Option<String>,
    payload: Option<String>,
    secure_import: SecureImport,
}

impl ActionBody {
    fn parse(body: &Bytes) -> Result<Self, Failure> {
        let Some(fields) = Fields::parse(body)? else {
            return Ok(Self::default());
        };
        Ok(Self {
            aad: fields.strings("aad")?,
            plaintext: fields.string("plaintext")?,
            ciphertext: fields.string("ciphertext")?,
            payload: fields.string("payload")?,
            secure_import: SecureImport {
                encrypted_nonce: fields.string("encryptedNonce")?,
                iv: fields.string("iv")?,
                encryption_algorithm: fields.string("encryptionAlgorithm")?,
            },
        })
    }

    /// Unwrap and rewrap need the ciphertext from wrap.
    fn unwrap_request(self, key_id: &str) -> Result<UnwrapRequest, Failure> {
        let ciphertext = self.ciphertext.ok_or_else(|| {
            Failure::new(
                StatusCode::BAD_REQUEST,
                "NO_BODY_ERR",
                "the field `ciphertext` is required",
            )
        })?;
        Ok(UnwrapRequest {
            key_id: key_id.to_owned(),
            ciphertext,
            aad: self.aad,
        })
    }
}

fn action_result(body: &serde_json::Value) -> Outcome {
    Ok(typed_json(StatusCode::OK, KEY_ACTION_TYPE, body))
}

fn no_content() -> Outcome {
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn act(state: &Kms, id: &str, action: &str, body: &Bytes) -> Outcome {
    record_key(id);
    let input = ActionBody::parse(body)?;
    let keystore = &state.keystore;
    match action {
        "wrap" => {
            let request = WrapRequest {
                key_id: id.to_owned(),
                plaintext: input.plaintext.map(SecretString::new),
                aad: input.aad,
            };
            let wrapped = keystore.wrap(request).await?;
            let mut body = json!({
                "ciphertext": wrapped.ciphertext,
                "keyVersion": { "id": wrapped.key_version.id },
            });
            if let Some(plaintext) = &wrapped.plaintext {
                body["plaintext"] = json!(plaintext.expose());
            }
            action_result(&body)
        }
        "unwrap" => {
            let unwrapped = keystore.unwrap(input.unwrap_request(id)?).await?;
            let mut body = json!({
                "plaintext": unwrapped.plaintext.expose(),
                "keyVersion": { "id": unwrapped.key_version.id },
            });
            if let Some(rewrapped) = unwrapped.rewrapped {
                body["ciphertext"] = json!(rewrapped.ciphertext);
                body["rewrappedKeyVersion"] = json!({ "id": rewrapped.key_version.id });
            }
            action_result(&body)
        }
        "rewrap" => {
            let rewrapped = keystore.rewrap(input.unwrap_request(id)?).await?;
            action_result(&json!({
                "ciphertext": rewrapped.ciphertext,
                "keyVersion": { "id": rewrapped.key_version.id },
                "rewrappedKeyVersion": { "id": rewrapped.rewrapped_key_version.id },
            }))
        }
        "rotate" => {
            let request = RotateKeyRequest {
                key_id: id.to_owned(),
                payload: input.payload.map(SecretString::new),
                secure_import: input.secure_import,
            };
            keystore.rotate_key(request).await?;
            no_content()
        }
        "disable" => keystore.disable_key(id).await.map(|_| no_content())?,
        "enable" => keystore.enable_key(id).await.map(|_| no_content())?,
        "restore" => {
            let key = keystore.restore_key(id).await?;
            Ok(one_key(state, StatusCode::CREATED, key))
        }
        "setKeyForDeletion" => keystore
            .set_key_for_deletion(id)
            .await
            .map(|_| no_content())?,
        "unsetKeyForDeletion" => keystore
            .unset_key_for_deletion(id)
            .await
            .map(|_| no_content())?,
        "sync" => keystore.sync_key(id).await.map(|()| no_content())?,
        other => Err(Failure::new(
            StatusCode::BAD_REQUEST,
            "INVALID_QUERY_PARAM_ERR",
            format!("{other:?} is not a key action"),
        )),
    }
}
