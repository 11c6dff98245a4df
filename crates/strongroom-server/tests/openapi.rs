//! `/api/openapi.json` and the router agree: every documented operation reaches a handler
//! (never the "no such endpoint" fallback, never 405), and undocumented paths do not.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{reason, Server, INSTANCE};
use serde_json::Value;

#[tokio::test]
async fn every_documented_operation_is_routed() {
    let server = Server::start().await;
    let served = server
        .raw(
            Request::get("/api/openapi.json")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(served.status, StatusCode::OK);
    let doc: Value = serde_json::from_str(strongroom_server::OPENAPI).unwrap();
    assert_eq!(served.body, doc, "the served document is the committed one");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));

    let mut checked = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, _) in item.as_object().unwrap() {
            if method == "parameters" {
                continue;
            }
            let concrete = path
                .replace("{id}", "00000000-0000-4000-8000-000000000000")
                .replace("{alias}", "some-alias")
                .replace("{ring}", "some-ring")
                .replace("{action}", "wrap");
            let request = Request::builder()
                .method(Method::from_bytes(method.to_uppercase().as_bytes()).unwrap())
                .uri(&concrete)
                .header(header::AUTHORIZATION, format!("Bearer {}", server.token))
                .header("bluemix-instance", INSTANCE)
                .body(Body::from("{}"))
                .unwrap();
            let reply = server.raw(request).await;
            assert_ne!(
                reply.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {path} is documented but not routed"
            );
            assert!(
                reply.status != StatusCode::NOT_FOUND || reason(&reply) != "NOT_FOUND_ERR",
                "{method} {path} is documented but falls through to 'no such endpoint'"
            );
            checked += 1;
        }
    }
    assert!(checked > 30, "only {checked} operations documented");

    let missing = server.call(Method::GET, "/api/v2/not_a_route", None).await;
    assert_eq!(reason(&missing), "NOT_FOUND_ERR");
}
