//! `GET /api/v2/clock`: the time the keystore's rules run on. `POST /api/v2/clock` with
//! `{"by": "31d"}`: on a server started with `--virtual-clock`, moves it ahead, so a test
//! crosses a restore window or an expiration date at once. Strongroom's own; Key Protect
//! has no such call.

use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use strongroom_api::AdvanceClockRequest;

use crate::body::{Fields, RawBody};
use crate::error::Failure;
use crate::keys::typed_json;
use crate::Kms;

const CLOCK_TYPE: &str = "application/vnd.strongroom.clock+json";

pub(crate) async fn read(Extension(state): Extension<Kms>) -> Result<Response, Failure> {
    let clock = state.keystore.clock().await?;
    Ok(typed_json(StatusCode::OK, CLOCK_TYPE, &clock))
}

pub(crate) async fn advance(
    Extension(state): Extension<Kms>,
    RawBody(body): RawBody,
) -> Result<Response, Failure> {
    // A body without a readable `by` is judged with the rest, after who may move the clock
    // at all, so a refusal for the caller comes first and is audited.
    let by = Fields::parse(&body)
        .ok()
        .flatten()
        .and_then(|fields| fields.string("by").ok().flatten())
        .unwrap_or_default();
    let clock = state
        .keystore
        .advance_clock(AdvanceClockRequest { by })
        .await?;
    Ok(typed_json(StatusCode::OK, CLOCK_TYPE, &clock))
}
