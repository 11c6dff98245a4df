//! Read-only views that are true today: every key lives in the `default` key ring, and no
//! service has registered a resource yet (service identities arrive with authorizations).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{json, Value};
use strongroom_api::kp::Collection;

use crate::error::Failure;
use crate::ServerState;

const KEY_RING_TYPE: &str = "application/vnd.ibm.kms.key_ring+json";
const REGISTRATION_TYPE: &str = "application/vnd.ibm.kms.registration+json";

fn collection(media_type: &'static str, resources: Vec<Value>) -> Response {
    crate::keys::typed_json(
        StatusCode::OK,
        media_type,
        &Collection::new(media_type, resources),
    )
}

pub(crate) async fn key_rings() -> Response {
    collection(
        KEY_RING_TYPE,
        vec![json!({ "id": "default", "createdBy": "IBMid-strongroom-admin" })],
    )
}

pub(crate) async fn of_key(
    State(state): State<ServerState>,
    Path(id): Path<String>,
) -> Result<Response, Failure> {
    state.keystore.key(&id).await?;
    Ok(collection(REGISTRATION_TYPE, Vec::new()))
}

pub(crate) async fn all() -> Response {
    collection(REGISTRATION_TYPE, Vec::new())
}
