//! Key rings and registrations.

use crate::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use percent_encoding::percent_decode_str;
use serde::Deserialize;
use serde_json::{json, Value};
use strongroom_api::kp::Collection;
use strongroom_api::{RegistrationInfo, RegistrationQuery, RegistrationRequest, RegistrationWrite};

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::keys::{flag, number, ForceQuery};
use crate::Kms;

const KEY_RING_TYPE: &str = "application/vnd.ibm.kms.key_ring+json";
const REGISTRATION_TYPE: &str = "application/vnd.ibm.kms.registration+json";

fn collection(media_type: &'static str, resources: Vec<Value>) -> Response {
    crate::keys::typed_json(
        StatusCode::OK,
        media_type,
        &Collection::new(media_type, resources),
    )
}

pub(crate) async fn key_rings(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let rings = state.keystore.key_rings().await?;
    Ok(collection(
        KEY_RING_TYPE,
        rings
            .into_iter()
            .map(|r| json!({ "id": r.id, "creationDate": r.created_at, "createdBy": r.created_by }))
            .collect(),
    ))
}

/// POST /key_rings/{ring}: 201 with an empty body, as the Go client requires.
pub(crate) async fn create_key_ring(
    Extension(state): Extension<Kms>,
    Path(ring): Path<String>,
) -> Result<Response, Failure> {
    state.keystore.create_key_ring(&ring).await?;
    Ok(StatusCode::CREATED.into_response())
}

pub(crate) async fn delete_key_ring(
    Extension(state): Extension<Kms>,
    Path(ring): Path<String>,
    Query(query): Query<ForceQuery>,
) -> Result<Response, Failure> {
    state
        .keystore
        .delete_key_ring(&ring, query.force()?)
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

fn registration(state: &Kms, r: RegistrationInfo) -> Value {
    let mut value = json!({
        "keyId": r.key_id,
        "keyName": r.key_name,
        "resourceCrn": r.resource_crn,
        "createdBy": r.created_by,
        "creationDate": r.created_at,
        "updatedBy": r.service,
        "lastUpdated": r.updated_at,
        "description": r.description,
        "preventKeyDeletion": r.prevent_key_deletion,
        "keyVersion": { "id": r.key_version },
        "instance": &*state.instance_id,
    });
    if let Some(notes) = r.registration_metadata {
        value["registrationMetadata"] = notes.into();
    }
    value
}

/// POST /keys/{id}/registrations/{resourceCrn}: a service registers a resource (201).
pub(crate) async fn create(
    Extension(state): Extension<Kms>,
    Path((id, crn)): Path<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    write(&state, &id, &crn, RegistrationWrite::Create, &body).await
}

/// PUT: the whole registration, created if absent.
pub(crate) async fn replace(
    Extension(state): Extension<Kms>,
    Path((id, crn)): Path<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    write(&state, &id, &crn, RegistrationWrite::Replace, &body).await
}

/// PATCH: the fields given, on a registration that exists.
pub(crate) async fn update(
    Extension(state): Extension<Kms>,
    Path((id, crn)): Path<(String, String)>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    write(&state, &id, &crn, RegistrationWrite::Update, &body).await
}

/// DELETE: the service no longer protects the resource with the key (204).
pub(crate) async fn remove(
    Extension(state): Extension<Kms>,
    Path((id, crn)): Path<(String, String)>,
) -> Result<Response, Failure> {
    state
        .keystore
        .delete_registration(&id, &resource_crn(crn))
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn write(
    state: &Kms,
    id: &str,
    crn: &str,
    write: RegistrationWrite,
    body: &axum::body::Bytes,
) -> Result<Response, Failure> {
    let request = registration_input(body)?;
    let crn = resource_crn(crn.to_owned());
    let written = state
        .keystore
        .write_registration(id, &crn, write, request)
        .await?;
    let status = match write {
        RegistrationWrite::Create => StatusCode::CREATED,
        RegistrationWrite::Replace | RegistrationWrite::Update => StatusCode::OK,
    };
    Ok(crate::keys::typed_json(
        status,
        REGISTRATION_TYPE,
        &Collection::new(REGISTRATION_TYPE, vec![registration(state, written)]),
    ))
}

/// Key Protect's `registration_input` collection; an empty body sets nothing.
fn registration_input(body: &axum::body::Bytes) -> Result<RegistrationRequest, Failure> {
    let Some(fields) = Fields::parse(body)? else {
        return Ok(RegistrationRequest::default());
    };
    let resource = fields.first_resource()?;
    Ok(RegistrationRequest {
        description: resource.string("description")?,
        prevent_key_deletion: resource.bool("preventKeyDeletion")?,
        registration_metadata: resource.string("registrationMetadata")?,
    })
}

/// The CRN from the path, which the router has decoded once. Clients that encode it
/// themselves before their HTTP library does send it encoded twice; such a CRN still reads
/// `crn%3A…` and is decoded again.
fn resource_crn(crn: String) -> String {
    if crn.starts_with("crn%3A") || crn.starts_with("crn%3a") {
        percent_decode_str(&crn).decode_utf8_lossy().into_owned()
    } else {
        crn
    }
}

/// Query parameters of both registration listings, as Key Protect's clients send them.
#[derive(Deserialize)]
pub(crate) struct RegistrationsQuery {
    #[serde(rename = "urlEncodedResourceCRNQuery")]
    crn: Option<String>,
    #[serde(rename = "preventKeyDeletion")]
    prevent_key_deletion: Option<String>,
    offset: Option<String>,
    limit: Option<String>,
    #[serde(rename = "totalCount")]
    total_count: Option<String>,
}

impl RegistrationsQuery {
    /// The selection, and whether the caller asked for the total.
    fn parse(self) -> Result<(RegistrationQuery, bool), Failure> {
        let query = RegistrationQuery {
            // IBM's SDK tests pass a CRN they have URL-encoded already, and the SDK encodes it
            // again. A `%` left after one decoding is taken both ways: encoded once more, or
            // part of the CRN (a service registered under a name with a `%` in it).
            crns: self
                .crn
                .filter(|crn| !crn.is_empty())
                .map(|crn| {
                    let decoded = crn
                        .contains('%')
                        .then(|| percent_decode_str(&crn).decode_utf8_lossy().into_owned());
                    std::iter::once(crn).chain(decoded).collect()
                })
                .unwrap_or_default(),
            prevent_key_deletion: flag("preventKeyDeletion", self.prevent_key_deletion.as_deref())?,
            offset: number("offset", self.offset.as_deref(), 0, u32::MAX)?,
            limit: number("limit", self.limit.as_deref(), 200, 5000)?,
        };
        let total_count = flag("totalCount", self.total_count.as_deref())? == Some(true);
        Ok((query, total_count))
    }
}

fn registrations(
    state: &Kms,
    (query, total_count): (RegistrationQuery, bool),
    rows: Vec<RegistrationInfo>,
) -> Result<Response, Failure> {
    let (page, total) = query.select(rows);
    let mut collection = Collection::new(
        REGISTRATION_TYPE,
        page.into_iter().map(|r| registration(state, r)).collect(),
    );
    if total_count {
        collection.metadata.total_count = Some(total as u64);
    }
    Ok(crate::keys::typed_json(
        StatusCode::OK,
        REGISTRATION_TYPE,
        &collection,
    ))
}

pub(crate) async fn of_key(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
    Query(query): Query<RegistrationsQuery>,
) -> Result<Response, Failure> {
    let query = query.parse()?;
    let rows = state.keystore.registrations(Some(&id)).await?;
    registrations(&state, query, rows)
}

pub(crate) async fn all(
    Extension(state): Extension<Kms>,
    Query(query): Query<RegistrationsQuery>,
) -> Result<Response, Failure> {
    let query = query.parse()?;
    let rows = state.keystore.registrations(None).await?;
    registrations(&state, query, rows)
}
