//! Key rings and registrations.

use crate::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use serde_json::{json, Value};
use strongroom_api::kp::Collection;
use strongroom_api::RegistrationInfo;

use crate::error::Failure;
use crate::keys::ForceQuery;
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
    json!({
        "keyId": r.key_id,
        "keyName": r.key_name,
        "resourceCrn": r.resource_crn,
        "createdBy": r.service,
        "creationDate": r.created_at,
        "updatedBy": r.service,
        "lastUpdated": r.updated_at,
        "preventKeyDeletion": false,
        "keyVersion": { "id": r.key_version },
        "instance": &*state.instance_id,
    })
}

pub(crate) async fn of_key(
    Extension(state): Extension<Kms>,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    let rows = state.keystore.registrations(Some(&id)).await?;
    Ok(collection(
        REGISTRATION_TYPE,
        rows.into_iter().map(|r| registration(&state, r)).collect(),
    ))
}

pub(crate) async fn all(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let rows = state.keystore.registrations(None).await?;
    Ok(collection(
        REGISTRATION_TYPE,
        rows.into_iter().map(|r| registration(&state, r)).collect(),
    ))
}
