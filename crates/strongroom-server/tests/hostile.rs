//! Hostile input through the router over the real keystore: oversized and malformed bodies,
//! absurd numbers, path tricks, forged and misdirected tokens. Every case must end in a 4xx —
//! never a 5xx or a panic — and every `/api/v2` answer must be Key Protect's error envelope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{header, HeaderValue, Method, Request, StatusCode};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{reason, Server, INSTANCE};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use strongroom_server::MAX_BODY_BYTES;
use tower::ServiceExt;

/// One hostile request and what it must get: a 4xx, this exact status when given, and this
/// Key Protect reason code when given.
struct Case {
    name: String,
    request: Request<Body>,
    status: Option<StatusCode>,
    reason: Option<&'static str>,
}

fn case(name: impl Into<String>, request: Request<Body>) -> Case {
    Case {
        name: name.into(),
        request,
        status: None,
        reason: None,
    }
}

impl Case {
    fn status(mut self, status: StatusCode) -> Self {
        self.status = Some(status);
        self
    }

    fn reason(mut self, reason: &'static str) -> Self {
        self.reason = Some(reason);
        self
    }
}

/// A Key Protect call as the administrator with an arbitrary body.
fn kp(server: &Server, method: Method, path: &str, body: impl Into<Body>) -> Request<Body> {
    Request::builder()
        .method(method)
        .uri(path)
        .header(header::AUTHORIZATION, format!("Bearer {}", server.token))
        .header("bluemix-instance", INSTANCE)
        .body(body.into())
        .unwrap()
}

/// A Key Protect call with the given Authorization and Bluemix-Instance header values.
fn kp_with(authorization: Option<&[u8]>, instance: Option<&[u8]>) -> Request<Body> {
    let mut request = Request::get("/api/v2/keys");
    if let Some(value) = authorization {
        request = request.header(
            header::AUTHORIZATION,
            HeaderValue::from_bytes(value).unwrap(),
        );
    }
    if let Some(value) = instance {
        request = request.header("bluemix-instance", HeaderValue::from_bytes(value).unwrap());
    }
    request.body(Body::empty()).unwrap()
}

/// Sends every case and checks the answer; collects every failure so one run shows them all.
async fn run(server: &Server, cases: Vec<Case>) {
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in cases {
        let is_kp = case.request.uri().path().starts_with("/api/v2");
        let response = server.app.clone().oneshot(case.request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes);
        let shown: String = text.chars().take(300).collect();
        let mut problems = Vec::new();
        if !status.is_client_error() {
            problems.push(format!("status {status}, not a 4xx"));
        }
        if let Some(expected) = case.status {
            if status != expected {
                problems.push(format!("status {status}, expected {expected}"));
            }
        }
        if is_kp {
            match serde_json::from_slice::<Value>(&bytes) {
                Err(_) => problems.push("the body is not JSON".to_owned()),
                Ok(body) => {
                    if body["metadata"]["collectionType"] != "application/vnd.ibm.kms.error+json" {
                        problems.push("not the Key Protect error envelope".to_owned());
                    }
                    let reason = &body["resources"][0]["reasons"][0];
                    match reason["code"].as_str() {
                        Some(code) if !code.is_empty() => {
                            if let Some(expected) = case.reason {
                                if code != expected {
                                    problems.push(format!("reason {code}, expected {expected}"));
                                }
                            }
                        }
                        _ => problems.push("no reasons[0].code".to_owned()),
                    }
                    if reason["status"] != status.as_u16() {
                        problems.push("reasons[0].status differs from the status".to_owned());
                    }
                }
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{}: {} — {shown}", case.name, problems.join("; ")));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

async fn root_key(server: &Server) -> String {
    server.create_root_key("hostile-target").await
}

#[tokio::test]
async fn oversized_malformed_and_deeply_nested_bodies_get_a_key_protect_4xx() {
    let server = Server::start().await;
    let id = root_key(&server).await;
    let wrap = format!("/api/v2/keys/{id}/actions/wrap");
    let oversized_name = format!(
        r#"{{"resources":[{{"name":"{}"}}]}}"#,
        "a".repeat(MAX_BODY_BYTES + 1)
    );
    let nested_arrays = "[".repeat(10_000);
    let nested_objects = r#"{"a":"#.repeat(10_000);
    let nested_closed = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let key = |resource: Value| json!({ "resources": [resource] }).to_string();

    let cases = vec![
        case(
            "a create body over the limit",
            kp(&server, Method::POST, "/api/v2/keys", oversized_name.clone()),
        )
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .reason("BODY_TOO_LARGE_ERR"),
        case(
            "a wrap body over the limit",
            kp(&server, Method::POST, &wrap, vec![b' '; MAX_BODY_BYTES + 1]),
        )
        .status(StatusCode::PAYLOAD_TOO_LARGE)
        .reason("BODY_TOO_LARGE_ERR"),
        case(
            "a token request over the limit",
            Request::post("/identity/token")
                .body(Body::from(format!(
                    "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={}",
                    "k".repeat(MAX_BODY_BYTES)
                )))
                .unwrap(),
        )
        .status(StatusCode::PAYLOAD_TOO_LARGE),
        case(
            "10,000 nested arrays",
            kp(&server, Method::POST, "/api/v2/keys", nested_arrays.clone()),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "10,000 nested arrays, closed",
            kp(&server, Method::POST, &wrap, nested_closed),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "10,000 nested objects",
            kp(&server, Method::POST, &wrap, nested_objects),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "nested arrays as a policy",
            kp(
                &server,
                Method::PUT,
                &format!("/api/v2/keys/{id}/policies"),
                nested_arrays.clone(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "nested arrays as a PATCH",
            kp(
                &server,
                Method::PATCH,
                &format!("/api/v2/keys/{id}"),
                nested_arrays.clone(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a body of invalid UTF-8",
            kp(&server, Method::POST, "/api/v2/keys", vec![0xff, 0xfe, 0xfd]),
        )
        .status(StatusCode::BAD_REQUEST)
        .reason("BAD_BODY_ERR"),
        case(
            "invalid UTF-8 inside a JSON string",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                b"{\"resources\":[{\"name\":\"k\xff\xfe\xc0\"}]}".to_vec(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a lone surrogate escape in a JSON string",
            kp(
                &server,
                Method::POST,
                &wrap,
                r#"{"plaintext":"\ud800"}"#.to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a NUL in a key name",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                key(json!({"name": "evil\u{0}name"})),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a key name of 10,000 characters",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                key(json!({"name": "n".repeat(10_000)})),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a JSON array instead of an object",
            kp(&server, Method::POST, "/api/v2/keys", "[1,2,3]".to_owned()),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "truncated JSON",
            kp(&server, Method::POST, &wrap, r#"{"plaintext":"#.to_owned()),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a name that is a number",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                key(json!({"name": 12})),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "`extractable` as an overflowing number",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                r#"{"resources":[{"name":"ok-name","extractable":99999999999999999999999}]}"#
                    .to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a number beyond f64 in a body",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                r#"{"resources":[{"name":"ok-name","rotation":{"interval_month":1e999}}]}"#
                    .to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "an interval beyond i64",
            kp(
                &server,
                Method::PUT,
                &format!("/api/v2/keys/{id}/policies"),
                r#"{"resources":[{"type":"application/vnd.ibm.kms.policy+json","rotation":{"interval_month":99999999999999999999}}]}"#
                    .to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a negative interval",
            kp(
                &server,
                Method::PUT,
                &format!("/api/v2/keys/{id}/policies"),
                r#"{"resources":[{"type":"application/vnd.ibm.kms.policy+json","rotation":{"interval_month":-1}}]}"#
                    .to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "an interval of i64::MIN",
            kp(
                &server,
                Method::PUT,
                &format!("/api/v2/keys/{id}/policies"),
                r#"{"resources":[{"type":"application/vnd.ibm.kms.policy+json","rotation":{"interval_month":-9223372036854775808}}]}"#
                    .to_owned(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "an expiration date that is not a date",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                key(json!({"name": "ok-name", "expirationDate": "+999999999-01-01T00:00:00Z"})),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a payload that is not base64",
            kp(
                &server,
                Method::POST,
                "/api/v2/keys",
                key(json!({"name": "ok-name", "payload": "%%%not base64%%%"})),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
    ];
    run(&server, cases).await;
}

#[tokio::test]
async fn huge_aad_plaintexts_and_ciphertexts_get_a_key_protect_4xx() {
    let server = Server::start().await;
    let id = root_key(&server).await;
    let wrap = format!("/api/v2/keys/{id}/actions/wrap");
    let unwrap = format!("/api/v2/keys/{id}/actions/unwrap");
    let rewrap = format!("/api/v2/keys/{id}/actions/rewrap");
    let reply = server.call(Method::POST, &wrap, None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let ciphertext = reply.body["ciphertext"].as_str().unwrap().to_owned();
    let many: Vec<String> = (0..5_000).map(|i| format!("a{i}")).collect();
    let enormous = "x".repeat(60_000);
    let dek = STANDARD.encode([7u8; 32]);

    let cases = vec![
        case(
            "5,000 AAD entries on wrap",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"plaintext": dek, "aad": many}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "5,000 AAD entries on unwrap",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": ciphertext, "aad": many}).to_string(),
            ),
        ),
        case(
            "5,000 AAD entries on rewrap",
            kp(
                &server,
                Method::POST,
                &rewrap,
                json!({"ciphertext": ciphertext, "aad": many}).to_string(),
            ),
        ),
        case(
            "one AAD item of 60,000 bytes",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"plaintext": dek, "aad": [enormous]}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "AAD items that are not strings",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"aad": [1, {"a": 2}, null]}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "AAD that is a string",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"aad": "solo"}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a plaintext that is not base64",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"plaintext": "not base64 at all!"}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a plaintext of 40,000 bytes",
            kp(
                &server,
                Method::POST,
                &wrap,
                json!({"plaintext": STANDARD.encode(vec![1u8; 40_000])}).to_string(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a ciphertext that is not base64",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": "*** not base64 ***"}).to_string(),
            ),
        ),
        case(
            "an empty ciphertext",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": ""}).to_string(),
            ),
        ),
        case(
            "a ciphertext of 40,000 random-looking bytes",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": STANDARD.encode((0..40_000u32).map(|i| (i * 31 % 251) as u8).collect::<Vec<_>>())})
                    .to_string(),
            ),
        ),
        case(
            "a ciphertext with our magic and a truncated header",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": STANDARD.encode(b"SR\x01abc")}).to_string(),
            ),
        ),
        case(
            "the right ciphertext with one extra AAD item",
            kp(
                &server,
                Method::POST,
                &unwrap,
                json!({"ciphertext": ciphertext, "aad": ["extra"]}).to_string(),
            ),
        ),
        case(
            "unwrap without a ciphertext",
            kp(&server, Method::POST, &unwrap, Body::empty()),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "an unknown action",
            kp(
                &server,
                Method::POST,
                &format!("/api/v2/keys/{id}/actions/..%2F..%2Fpurge"),
                Body::empty(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
        case(
            "a deprecated action query naming nothing",
            kp(
                &server,
                Method::POST,
                &format!("/api/v2/keys/{id}?action=%00"),
                Body::empty(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
    ];
    run(&server, cases).await;
}

#[tokio::test]
async fn absurd_numbers_and_malformed_queries_get_a_key_protect_400() {
    let server = Server::start().await;
    let id = root_key(&server).await;
    let list = |query: &str| {
        kp(
            &server,
            Method::GET,
            &format!("/api/v2/keys?{query}"),
            Body::empty(),
        )
    };
    let mut cases = Vec::new();
    for query in [
        "limit=99999999999999999999",
        "limit=-1",
        "limit=NaN",
        "limit=1e3",
        "limit=5001",
        "limit=%00",
        "limit=%FF",
        "offset=-5",
        "offset=99999999999999999999",
        "offset=inf",
        "state=NaN",
        "state=-1",
        "state=99999999999999999999",
        "extractable=maybe",
        "imported=yes",
        "dualAuthDelete=1",
        "rotationDue=",
        "limit=1&limit=2",
    ] {
        cases.push(case(format!("GET /keys?{query}"), list(query)).status(StatusCode::BAD_REQUEST));
    }
    for query in [
        "limit=99999999999999999999",
        "limit=-1",
        "limit=NaN",
        "before=NaN",
        "before=99999999999999999999",
        "failuresOnly=maybe",
        // Out of range is refused, not clamped: `limit=0` answered with one event.
        "limit=0",
        "limit=1001",
    ] {
        cases.push(
            case(
                format!("GET /audit_events?{query}"),
                kp(
                    &server,
                    Method::GET,
                    &format!("/api/v2/audit_events?{query}"),
                    Body::empty(),
                ),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    for query in ["limit=0", "limit=1001", "offset=-1"] {
        cases.push(
            case(
                format!("GET /aliases?{query}"),
                kp(
                    &server,
                    Method::GET,
                    &format!("/api/v2/aliases?{query}"),
                    Body::empty(),
                ),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    for query in [
        "hours=0",
        "hours=745",
        "hours=-1",
        "hours=NaN",
        "hours=24&hours=1",
    ] {
        cases.push(
            case(
                format!("GET /activity?{query}"),
                kp(
                    &server,
                    Method::GET,
                    &format!("/api/v2/activity?{query}"),
                    Body::empty(),
                ),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    cases.push(
        case(
            "a policy query twice",
            kp(
                &server,
                Method::GET,
                &format!("/api/v2/keys/{id}/policies?policy=rotation&policy=dualAuthDelete"),
                Body::empty(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
    );
    cases.push(
        case(
            "force twice on delete",
            kp(
                &server,
                Method::DELETE,
                &format!("/api/v2/keys/{id}?force=true&force=false"),
                Body::empty(),
            ),
        )
        .status(StatusCode::BAD_REQUEST),
    );
    // Read as false, a typo would delete without the force its sender meant.
    for path in [
        format!("/api/v2/keys/{id}?force=yes"),
        "/api/v2/key_rings/default?force=1".to_owned(),
    ] {
        cases.push(
            case(
                format!("force neither true nor false: {path}"),
                kp(&server, Method::DELETE, &path, Body::empty()),
            )
            .status(StatusCode::BAD_REQUEST)
            .reason("INVALID_QUERY_PARAM_ERR"),
        );
    }
    cases.push(
        case(
            "totalCount neither true nor false on the key list",
            kp(
                &server,
                Method::GET,
                "/api/v2/keys?totalCount=maybe",
                Body::empty(),
            ),
        )
        .status(StatusCode::BAD_REQUEST)
        .reason("INVALID_QUERY_PARAM_ERR"),
    );
    run(&server, cases).await;
    // None of that touched the key.
    let reply = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["resources"][0]["state"], 1);
}

#[tokio::test]
async fn force_is_true_or_false_in_any_case() {
    let server = Server::start().await;
    let created = server
        .call(Method::POST, "/api/v2/key_rings/emptied", None)
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let ring = server
        .call(Method::DELETE, "/api/v2/key_rings/emptied?force=TRUE", None)
        .await;
    assert_eq!(ring.status, StatusCode::NO_CONTENT, "{}", ring.body);
    let id = root_key(&server).await;
    let key = server
        .call(
            Method::DELETE,
            &format!("/api/v2/keys/{id}?force=False"),
            None,
        )
        .await;
    assert_eq!(key.status, StatusCode::NO_CONTENT, "{}", key.body);
    let gone = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    assert_eq!(gone.body["resources"][0]["state"], 5, "{}", gone.body);
}

#[tokio::test]
async fn numbers_and_dates_out_of_range_are_refused_naming_the_field_as_sent() {
    let server = Server::start().await;
    for (body, range) in [
        (r#"{"expiration": -5}"#, "300 to 86400 seconds"),
        (r#"{"expiration": 99999999999}"#, "300 to 86400 seconds"),
        (r#"{"maxAllowedRetrievals": -1}"#, "1 to 500"),
    ] {
        let reply = server
            .call(Method::POST, "/api/v2/import_token", Some(body))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        let message = reply.body["resources"][0]["errorMsg"].to_string();
        assert!(message.contains(range), "{body}: {message}");
    }
    let reply = server
        .call(
            Method::POST,
            "/api/v2/keys",
            Some(r#"{"resources": [{"name": "dated", "expirationDate": "tomorrow"}]}"#),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    let message = reply.body["resources"][0]["errorMsg"].to_string();
    assert!(
        message.contains("the expiration date must be an RFC 3339 date"),
        "{message}"
    );
}

#[tokio::test]
async fn only_root_keys_rotate_and_a_generated_one_takes_no_material() {
    let server = Server::start().await;
    let standard = server
        .call(
            Method::POST,
            "/api/v2/keys",
            Some(r#"{"resources": [{"name": "holder", "extractable": true}]}"#),
        )
        .await;
    assert_eq!(standard.status, StatusCode::CREATED, "{}", standard.body);
    let standard = standard.body["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reply = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{standard}/actions/rotate"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);

    let root = root_key(&server).await;
    let before = server
        .call(Method::GET, &format!("/api/v2/keys/{root}/metadata"), None)
        .await;
    // Rotated to material the caller chose, the caller would know the key while it still said
    // it was generated here.
    let reply = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{root}/actions/rotate"),
            Some(r#"{"payload": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}"#),
        )
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{}", reply.body);
    assert!(
        reply.body["resources"][0]["errorMsg"]
            .to_string()
            .contains("takes no payload"),
        "{}",
        reply.body
    );
    let after = server
        .call(Method::GET, &format!("/api/v2/keys/{root}/metadata"), None)
        .await;
    assert_eq!(
        after.body["resources"][0]["keyVersion"],
        before.body["resources"][0]["keyVersion"]
    );
    let generated = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{root}/actions/rotate"),
            None,
        )
        .await;
    assert_eq!(
        generated.status,
        StatusCode::NO_CONTENT,
        "{}",
        generated.body
    );
}

#[tokio::test]
async fn a_collection_says_how_many_it_holds_and_a_create_holds_one_key() {
    let server = Server::start().await;
    let key = |name: &str| json!({"name": name, "extractable": false});
    for (body, reason_code) in [
        (
            json!({"metadata": {"collectionTotal": 5}, "resources": [key("mm-a"), key("mm-b")]}),
            "COLLECTION_TOTAL_MISMATCH_ERR",
        ),
        (
            json!({"metadata": {"collectionTotal": 2}, "resources": [key("mm-c"), key("mm-d")]}),
            "BAD_BODY_ERR",
        ),
    ] {
        let reply = server
            .call(Method::POST, "/api/v2/keys", Some(&body.to_string()))
            .await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{body}: {}",
            reply.body
        );
        assert_eq!(reason(&reply), reason_code, "{body}");
    }
    let listed = server.call(Method::GET, "/api/v2/keys", None).await;
    assert_eq!(
        listed.body["metadata"]["collectionTotal"], 0,
        "{}",
        listed.body
    );
    let id = root_key(&server).await;
    let reply = server
        .call(
            Method::PUT,
            &format!("/api/v2/keys/{id}/policies"),
            Some(
                &json!({"metadata": {"collectionTotal": 3},
                    "resources": [{"dualAuthDelete": {"enabled": true}}]})
                .to_string(),
            ),
        )
        .await;
    assert_eq!(
        reason(&reply),
        "COLLECTION_TOTAL_MISMATCH_ERR",
        "{}",
        reply.body
    );
}

#[tokio::test]
async fn a_second_delete_is_gone_not_a_conflict() {
    let server = Server::start().await;
    let id = root_key(&server).await;
    let first = server
        .call(Method::DELETE, &format!("/api/v2/keys/{id}"), None)
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT, "{}", first.body);
    let second = server
        .call(Method::DELETE, &format!("/api/v2/keys/{id}"), None)
        .await;
    assert_eq!(second.status, StatusCode::GONE, "{}", second.body);
    assert_eq!(reason(&second), "KEY_DELETED_ERR");
    // Other actions a deleted key refuses stay conflicts.
    let disable = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/disable"),
            None,
        )
        .await;
    assert_eq!(
        reason(&disable),
        "KEY_ACTION_INVALID_STATE_ERR",
        "{}",
        disable.body
    );
}

#[tokio::test]
async fn path_tricks_in_ids_aliases_and_rings_get_a_key_protect_4xx() {
    let server = Server::start().await;
    let id = root_key(&server).await;
    let reply = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/aliases/payroll"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    let long = "k".repeat(10_000);
    let get = |path: &str| kp(&server, Method::GET, path, Body::empty());
    let post = |path: &str| kp(&server, Method::POST, path, Body::empty());

    let mut cases = Vec::new();
    for trick in [
        "..",
        "..%2F..%2Fetc%2Fpasswd",
        "%2E%2E",
        "%2e%2e%2fkeys",
        "%00",
        &format!("{id}%00"),
        "%FF%FE",
        "%C0%AE%C0%AE",
        "payroll%2F..",
        "%E2%80%AEllorayp",
        "p%D0%B0yroll",
        &long,
    ] {
        cases.push(case(
            format!("GET /keys/{}", &trick[..trick.len().min(40)]),
            get(&format!("/api/v2/keys/{trick}/metadata")),
        ));
        cases.push(case(
            format!("wrap with /keys/{}", &trick[..trick.len().min(40)]),
            post(&format!("/api/v2/keys/{trick}/actions/wrap")),
        ));
    }
    for alias in [
        "..",
        "..%2F..",
        "a%2Fb",
        "a%00b",
        "%00%00",
        "%FF%FE",
        // Cyrillic а (U+0430): looks like "payroll", which exists.
        "p%D0%B0yroll",
        // Full-width and a zero-width joiner.
        "%EF%BD%90ayroll",
        "pay%E2%80%8Droll",
        &"a".repeat(91),
        &long,
        "metadata",
        "0b0b6d2a-61f5-4d5c-9c1f-2b7f8f6c9a10",
    ] {
        cases.push(
            case(
                format!("alias {}", &alias[..alias.len().min(40)]),
                post(&format!("/api/v2/keys/{id}/aliases/{alias}")),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    for ring in ["..", "a%2Fb", "%00x", "%FF%FE", "r%D0%B0ng", &long] {
        cases.push(
            case(
                format!("key ring {}", &ring[..ring.len().min(40)]),
                post(&format!("/api/v2/key_rings/{ring}")),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    cases.push(
        case(
            "a key created into ring ../default",
            Request::post("/api/v2/keys")
                .header(header::AUTHORIZATION, format!("Bearer {}", server.token))
                .header("bluemix-instance", INSTANCE)
                .header("x-kms-key-ring", "../default")
                .body(Body::from(
                    json!({"resources": [{"name": "ringed"}]}).to_string(),
                ))
                .unwrap(),
        )
        .status(StatusCode::BAD_REQUEST),
    );
    cases.push(case(
        "a key moved into ring ../default",
        kp(
            &server,
            Method::PATCH,
            &format!("/api/v2/keys/{id}"),
            json!({"keyRingID": "../default"}).to_string(),
        ),
    ));
    run(&server, cases).await;

    // The lookalike aliases did not attach to the key, and the real one still resolves.
    let reply = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["resources"][0]["aliases"], json!(["payroll"]));
    let reply = server
        .call(Method::GET, "/api/v2/keys/payroll/metadata", None)
        .await;
    assert_eq!(reply.body["resources"][0]["id"], id.as_str());
}

fn jwt_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

#[tokio::test]
async fn forged_edited_and_misdirected_tokens_are_refused_with_401() {
    let server = Server::start().await;
    let elsewhere = Server::start().await;
    let mut parts = server.token.split('.');
    let (header_part, claims_part, signature) = (
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
        parts.next().unwrap().to_owned(),
    );
    let claims: Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(&claims_part).unwrap()).unwrap();
    let edited = |change: &dyn Fn(&mut Value)| {
        let mut c = claims.clone();
        change(&mut c);
        jwt_part(&c)
    };
    let expired = edited(&|c| c["exp"] = json!(c["iat"].as_i64().unwrap() - 1));
    let extended = edited(&|c| c["exp"] = json!(c["exp"].as_i64().unwrap() + 365 * 86_400));
    let overflowing = edited(&|c| c["exp"] = json!(u64::MAX));
    let other_account = edited(&|c| c["account"]["bss"] = json!("someone-else"));
    let header_with = |alg: &str| jwt_part(&json!({"alg": alg, "typ": "JWT"}));
    let bearer = |token: &str| format!("Bearer {token}").into_bytes();

    let forged: Vec<(&str, String)> = vec![
        (
            "exp moved into the past",
            format!("{header_part}.{expired}.{signature}"),
        ),
        (
            "exp extended a year",
            format!("{header_part}.{extended}.{signature}"),
        ),
        (
            "exp beyond i64",
            format!("{header_part}.{overflowing}.{signature}"),
        ),
        (
            "another account",
            format!("{header_part}.{other_account}.{signature}"),
        ),
        (
            "alg none, no signature",
            format!("{}.{claims_part}.", header_with("none")),
        ),
        (
            "alg None, the real signature",
            format!("{}.{claims_part}.{signature}", header_with("None")),
        ),
        (
            "alg HS512",
            format!("{}.{claims_part}.{signature}", header_with("HS512")),
        ),
        (
            "alg RS256",
            format!("{}.{claims_part}.{signature}", header_with("RS256")),
        ),
        (
            "alg hs256 in lower case",
            format!("{}.{claims_part}.{signature}", header_with("hs256")),
        ),
        ("an extra dot segment", format!("{}.extra", server.token)),
        ("an empty extra segment", format!("{}.", server.token)),
        ("two segments", format!("{header_part}.{claims_part}")),
        ("signature dropped", format!("{header_part}.{claims_part}.")),
        (
            "signature truncated",
            format!("{header_part}.{claims_part}.{}", &signature[..10]),
        ),
        (
            "signature not base64",
            format!("{header_part}.{claims_part}.!!!"),
        ),
        (
            "header not JSON",
            format!(
                "{}.{claims_part}.{signature}",
                URL_SAFE_NO_PAD.encode("nope")
            ),
        ),
        ("a token of another Strongroom", elsewhere.token.clone()),
        (
            "a 30,000-character token",
            "a.b.".to_owned() + &"c".repeat(30_000),
        ),
        ("dots only", "..".to_owned()),
    ];
    let mut cases: Vec<Case> = forged
        .iter()
        .map(|(name, token)| {
            case(
                *name,
                kp_with(Some(&bearer(token)), Some(INSTANCE.as_bytes())),
            )
            .status(StatusCode::UNAUTHORIZED)
            .reason("UNAUTHORIZED_ERR")
        })
        .collect();
    let token = server.token.as_bytes();
    for (name, authorization) in [
        ("no Authorization", None),
        ("an empty bearer", Some(b"Bearer ".to_vec())),
        ("a bare Bearer", Some(b"Bearer".to_vec())),
        ("Basic credentials", Some(b"Basic dXNlcjpwYXNz".to_vec())),
        ("the token without a scheme", Some(token.to_vec())),
        (
            "a bearer with non-ASCII bytes",
            Some(b"Bearer \xff\xfe".to_vec()),
        ),
    ] {
        cases.push(
            case(
                name,
                kp_with(authorization.as_deref(), Some(INSTANCE.as_bytes())),
            )
            .status(StatusCode::UNAUTHORIZED)
            .reason("UNAUTHORIZED_ERR"),
        );
    }
    let auth = bearer(&server.token);
    for (name, instance, status) in [
        (
            "an unknown instance",
            b"11111111-2222-3333-4444-555555555555".to_vec(),
            StatusCode::UNAUTHORIZED,
        ),
        (
            "a path as the instance",
            b"../default".to_vec(),
            StatusCode::UNAUTHORIZED,
        ),
        ("an empty instance", Vec::new(), StatusCode::UNAUTHORIZED),
        (
            "an instance of 8,000 characters",
            vec![b'i'; 8_000],
            StatusCode::UNAUTHORIZED,
        ),
        (
            "an instance with non-ASCII bytes",
            b"\xff\xfe".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        cases.push(case(name, kp_with(Some(&auth), Some(&instance))).status(status));
    }
    cases.push(
        case("no Bluemix-Instance", kp_with(Some(&auth), None))
            .status(StatusCode::BAD_REQUEST)
            .reason("BAD_REQUEST_ERR"),
    );
    cases.push(
        case(
            "the other Strongroom's token on its own instance id",
            kp_with(Some(&bearer(&elsewhere.token)), Some(INSTANCE.as_bytes())),
        )
        .status(StatusCode::UNAUTHORIZED),
    );
    for (name, token) in forged.iter().take(6) {
        cases.push(
            case(
                format!("IAM policies with {name}"),
                Request::get("/v1/policies?account_id=x")
                    .header(header::AUTHORIZATION, bearer(token))
                    .body(Body::empty())
                    .unwrap(),
            )
            .status(StatusCode::UNAUTHORIZED),
        );
    }
    for body in [
        b"grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=%FF%FE".to_vec(),
        b"grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=\xff\xfe".to_vec(),
        b"grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=".to_vec(),
        b"grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=%00".to_vec(),
        b"grant_type=password&apikey=test-admin-api-key".to_vec(),
        b"apikey=test-admin-api-key".to_vec(),
        vec![0xff; 100],
    ] {
        cases.push(
            case(
                format!("token exchange {:?}", String::from_utf8_lossy(&body)),
                Request::post("/identity/token")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .status(StatusCode::BAD_REQUEST),
        );
    }
    run(&server, cases).await;

    // The genuine token still works: nothing above disturbed the server.
    let reply = server.call(Method::GET, "/api/v2/keys", None).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
}

#[tokio::test]
async fn iam_policy_routes_refuse_hostile_input_with_a_4xx() {
    let server = Server::start().await;
    let iam = |method: Method, path: &str, body: Body| {
        Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", server.token))
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .unwrap()
    };
    let mut cases = vec![
        case(
            "a policy over the body limit",
            iam(
                Method::POST,
                "/v1/policies",
                Body::from(vec![b'{'; MAX_BODY_BYTES + 1]),
            ),
        )
        .status(StatusCode::PAYLOAD_TOO_LARGE),
        case(
            "10,000 nested arrays as a policy",
            iam(Method::POST, "/v1/policies", Body::from("[".repeat(10_000))),
        ),
        case(
            "a policy of invalid UTF-8",
            iam(Method::POST, "/v1/policies", Body::from(vec![0xff, 0xfe])),
        ),
        case(
            "a policy with 5,000 subjects' attributes",
            iam(
                Method::POST,
                "/v1/policies",
                Body::from(
                    json!({
                        "type": "access",
                        "subjects": [{"attributes": (0..5_000)
                            .map(|i| json!({"name": format!("n{i}"), "value": "v"}))
                            .collect::<Vec<_>>()}],
                        "roles": [{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Reader"}],
                        "resources": [{"attributes": [{"name": "serviceName", "value": "kms"}]}]
                    })
                    .to_string(),
                ),
            ),
        ),
        case(
            "a policy granting a role that does not exist",
            iam(
                Method::POST,
                "/v1/policies",
                Body::from(
                    json!({
                        "type": "access",
                        "subjects": [{"attributes": [{"name": "iam_id", "value": "IBMid-x"}]}],
                        "roles": [{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Root"}],
                        "resources": [{"attributes": [
                            {"name": "serviceName", "value": "kms"},
                            {"name": "serviceInstance", "value": INSTANCE}
                        ]}]
                    })
                    .to_string(),
                ),
            ),
        ),
    ];
    for path in [
        "/v1/policies/..",
        "/v1/policies/%00",
        "/v1/policies/%FF%FE",
        "/v1/policies/..%2F..%2Fv2%2Froles",
    ] {
        cases.push(case(
            format!("GET {path}"),
            iam(Method::GET, path, Body::empty()),
        ));
        cases.push(case(
            format!("DELETE {path}"),
            iam(Method::DELETE, path, Body::empty()),
        ));
    }
    run(&server, cases).await;
}
