//! The floor of the HTTP comparison. It does what any JSON-over-HTTP wrap endpoint must:
//! route the path, read the body, parse the same fields Strongroom parses, serialise a reply
//! of the same shape. Nothing else: no token, no store, no crypto, no audit.

use std::net::SocketAddr;

use axum::body::Bytes;
use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

/// The fields of Strongroom's wrap and unwrap bodies.
#[derive(Deserialize)]
struct ActionBody {
    #[serde(default)]
    plaintext: Option<String>,
    #[serde(default)]
    ciphertext: Option<String>,
    #[serde(default)]
    aad: Vec<String>,
}

const WRAPPED: &str = r#"{"ciphertext":"U1IBAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA","keyVersion":{"id":"00000000-0000-4000-8000-000000000000"}}"#;
const UNWRAPPED: &str = r#"{"plaintext":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=","keyVersion":{"id":"00000000-0000-4000-8000-000000000000"}}"#;

pub(crate) async fn serve(listen: SocketAddr) -> anyhow::Result<()> {
    let router = Router::new()
        .route("/api/v2/keys/{id}/actions/wrap", post(wrap))
        .route("/api/v2/keys/{id}/actions/unwrap", post(unwrap));
    let listener = tokio::net::TcpListener::bind(listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, router).await?;
    Ok(())
}

async fn wrap(Path(id): Path<String>, body: Bytes) -> Response {
    reply(&id, &body, WRAPPED)
}

async fn unwrap(Path(id): Path<String>, body: Bytes) -> Response {
    reply(&id, &body, UNWRAPPED)
}

fn reply(id: &str, body: &[u8], fixed: &'static str) -> Response {
    match serde_json::from_slice::<ActionBody>(body) {
        // Touch what was parsed, so the parse cannot be optimised away.
        Ok(parsed)
            if !id.is_empty()
                && parsed
                    .plaintext
                    .as_ref()
                    .or(parsed.ciphertext.as_ref())
                    .is_some()
                && parsed.aad.len() <= 126 =>
        {
            ([(header::CONTENT_TYPE, "application/json")], fixed).into_response()
        }
        _ => StatusCode::BAD_REQUEST.into_response(),
    }
}
