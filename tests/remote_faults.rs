//! RemoteKeystore against a small misbehaving server on loopback: throttling, outages,
//! dropped and stalled connections, rejected credentials. Counts are taken on the server side,
//! so "not retried" means the server saw one request.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};
use strongroom_api::{ErrorCode, Keystore, ListKeysRequest, SecretString};
use strongroom_client::{RemoteConfig, RemoteKeystore, RetryPolicy};
use strongroom_tests::root_key;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const KEY: &str = "3f1c8a2e-5b7d-4e9f-8a1b-2c3d4e5f6a7b";
const GOOD_API_KEY: &str = "fault-test-api-key";

/// A planned failure: its status and `Retry-After` header.
type Planned = (StatusCode, Option<&'static str>);

/// What the fake server saw and how it should answer.
#[derive(Clone, Default)]
struct Fake {
    tokens: Arc<AtomicUsize>,
    calls: Arc<Mutex<Vec<Instant>>>,
    /// Statuses for the first calls; later calls succeed.
    failures: Arc<Mutex<Vec<Planned>>>,
    token_lifetime: u64,
}

impl Fake {
    fn failing(failures: Vec<Planned>) -> Self {
        Self {
            failures: Arc::new(Mutex::new(failures)),
            token_lifetime: 3600,
            ..Default::default()
        }
    }

    fn calls(&self) -> usize {
        self.calls.lock().unwrap().len()
    }

    fn tokens(&self) -> usize {
        self.tokens.load(Ordering::SeqCst)
    }

    /// Records a call and returns the failure planned for it, if any.
    fn next_failure(&self) -> Option<Response> {
        self.calls.lock().unwrap().push(Instant::now());
        let mut failures = self.failures.lock().unwrap();
        if failures.is_empty() {
            return None;
        }
        let (status, retry_after) = failures.remove(0);
        let body = json!({
            "metadata": {"collectionType": "application/vnd.ibm.kms.error+json", "collectionTotal": 1},
            "resources": [{"errorMsg": "planned", "reasons": [{
                "code": "PLANNED_ERR", "message": "a planned failure", "status": status.as_u16(),
                "moreInfo": "https://cloud.ibm.com/apidocs/key-protect"}]}]
        });
        let mut response = (status, Json(body)).into_response();
        if let Some(after) = retry_after {
            response
                .headers_mut()
                .insert("retry-after", after.parse().unwrap());
        }
        Some(response)
    }
}

fn key_resource() -> Value {
    json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
        "resources": [{
            "type": "application/vnd.ibm.kms.key+json", "id": KEY, "name": "fault",
            "state": 1, "extractable": false, "imported": false, "crn": "crn:v1:test",
            "keyRingID": "default", "creationDate": "2026-01-01T00:00:00Z",
            "lastUpdateDate": "2026-01-01T00:00:00Z", "deleted": false, "algorithmType": "AES",
            "keyVersion": {"id": KEY, "creationDate": "2026-01-01T00:00:00Z"},
            "createdBy": "test", "aliases": []
        }]
    })
}

async fn token(State(fake): State<Fake>, Form(form): Form<Vec<(String, String)>>) -> Response {
    let n = fake.tokens.fetch_add(1, Ordering::SeqCst) + 1;
    if n == 1 && fake.token_lifetime == 11 {
        // The lifetime 11 marks the test where the first exchange never answers.
        std::future::pending::<()>().await;
    }
    // Slow enough that concurrent callers overlap with the exchange in flight.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let good = form.iter().any(|(k, v)| k == "apikey" && v == GOOD_API_KEY);
    if !good {
        let body = json!({"errorCode": "BXNIM0415E", "errorMessage": "Provided API key could not be found."});
        return (StatusCode::BAD_REQUEST, Json(body)).into_response();
    }
    Json(json!({
        "access_token": format!("token-{n}"), "token_type": "Bearer",
        "expires_in": fake.token_lifetime, "expiration": 0
    }))
    .into_response()
}

async fn metadata(State(fake): State<Fake>, headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok()) == Some("Bearer token-1")
        && fake.token_lifetime == 7
    {
        // The lifetime 7 marks the test where the first token is refused.
        fake.calls.lock().unwrap().push(Instant::now());
        return StatusCode::UNAUTHORIZED.into_response();
    }
    match fake.next_failure() {
        Some(failure) => failure,
        None => Json(key_resource()).into_response(),
    }
}

async fn create(State(fake): State<Fake>) -> Response {
    match fake.next_failure() {
        Some(failure) => failure,
        None => (StatusCode::CREATED, Json(key_resource())).into_response(),
    }
}

/// Key Protect's listing: it ignores query parameters it does not know, so Strongroom's
/// filters reach it and change nothing.
async fn list(State(fake): State<Fake>) -> Response {
    fake.calls.lock().unwrap().push(Instant::now());
    Json(key_resource()).into_response()
}

const DEK: &str = "ZGVrLXRoYXQtbXVzdC1uZXZlci1iZS1sb2dnZWQ=";

async fn wrap(State(fake): State<Fake>) -> Response {
    fake.calls.lock().unwrap().push(Instant::now());
    let body = json!({"ciphertext": "c2VhbGVk", "keyVersion": {"id": KEY}, "plaintext": DEK});
    Json(body).into_response()
}

/// The fake IAM and Key Protect API, on a loopback port.
async fn serve(fake: Fake) -> String {
    let app = Router::new()
        .route("/identity/token", post(token))
        .route("/api/v2/keys/{id}/actions/wrap", post(wrap))
        .route("/api/v2/keys/{id}/metadata", get(metadata))
        .route("/api/v2/keys", post(create).get(list))
        .with_state(fake);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    url
}

fn config(endpoint: &str, iam: &str) -> RemoteConfig {
    let mut config = RemoteConfig::new(
        endpoint,
        format!("{iam}/identity/token"),
        "a-test-instance",
        SecretString::new(GOOD_API_KEY.into()),
    );
    config.timeout = Duration::from_secs(5);
    config.retry = RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_secs(5),
    };
    config
}

async fn client(fake: &Fake) -> RemoteKeystore {
    let url = serve(fake.clone()).await;
    RemoteKeystore::new(config(&url, &url)).unwrap()
}

#[tokio::test]
async fn a_429_is_retried_after_the_time_retry_after_asks_for() {
    let fake = Fake::failing(vec![(StatusCode::TOO_MANY_REQUESTS, Some("1"))]);
    let key = client(&fake).await.key(KEY).await.unwrap();
    assert_eq!(key.id, KEY);
    let calls = fake.calls.lock().unwrap().clone();
    assert_eq!(calls.len(), 2);
    assert!(
        calls[1] - calls[0] >= Duration::from_secs(1),
        "Retry-After: 1 was honoured (the backoff alone would be about a millisecond)"
    );
}

#[tokio::test]
async fn a_503_is_retried_even_for_a_create_because_it_was_not_processed() {
    let fake = Fake::failing(vec![(StatusCode::SERVICE_UNAVAILABLE, None)]);
    let ks = client(&fake).await;
    ks.key(KEY).await.unwrap();
    assert_eq!(fake.calls(), 2);

    fake.failures
        .lock()
        .unwrap()
        .push((StatusCode::SERVICE_UNAVAILABLE, None));
    ks.create_key(root_key("after-503")).await.unwrap();
    assert_eq!(fake.calls(), 4);
}

#[tokio::test]
async fn a_create_that_got_a_500_is_not_sent_again() {
    let fake = Fake::failing(vec![(StatusCode::INTERNAL_SERVER_ERROR, None); 5]);
    let ks = client(&fake).await;
    let err = ks.create_key(root_key("maybe-created")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(
        fake.calls(),
        1,
        "the key may exist: a second create could make two"
    );

    let err = ks.key(KEY).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(fake.calls(), 1 + 3, "a read is retried up to max_attempts");
}

#[tokio::test]
async fn a_501_is_not_retried() {
    let fake = Fake::failing(vec![(StatusCode::NOT_IMPLEMENTED, None); 3]);
    let err = client(&fake).await.key(KEY).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(fake.calls(), 1);
}

#[tokio::test]
async fn a_403_is_forbidden() {
    let fake = Fake::failing(vec![(StatusCode::FORBIDDEN, None)]);
    let err = client(&fake).await.key(KEY).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Forbidden);
}

#[tokio::test]
async fn a_bad_api_key_has_its_own_code_and_is_not_echoed() {
    let fake = Fake::failing(vec![]);
    let url = serve(fake.clone()).await;
    let mut config = config(&url, &url);
    config.api_key = SecretString::new("wrong-api-key-value".into());
    let err = RemoteKeystore::new(config)
        .unwrap()
        .key(KEY)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::BadApiKey);
    assert!(!err.message.contains("wrong-api-key-value"));
    assert!(!format!("{err:?}").contains("wrong-api-key-value"));
    assert_eq!(fake.calls(), 0, "no Key Protect call without a token");
}

#[tokio::test]
async fn concurrent_callers_share_one_token_exchange() {
    let fake = Fake::failing(vec![]);
    let ks = Arc::new(client(&fake).await);
    let calls = (0..8).map(|_| {
        let ks = Arc::clone(&ks);
        tokio::spawn(async move { ks.key(KEY).await })
    });
    for call in calls.collect::<Vec<_>>() {
        call.await.unwrap().unwrap();
    }
    assert_eq!(fake.tokens(), 1);
    assert_eq!(fake.calls(), 8);
}

#[tokio::test]
async fn a_token_near_its_end_is_refreshed_before_use() {
    let mut fake = Fake::failing(vec![]);
    fake.token_lifetime = 30;
    let ks = client(&fake).await;
    ks.key(KEY).await.unwrap();
    ks.key(KEY).await.unwrap();
    assert_eq!(
        fake.tokens(),
        2,
        "a 30 s token is within a minute of expiry at once"
    );
}

#[tokio::test]
async fn a_refused_token_is_replaced_once() {
    let mut fake = Fake::failing(vec![]);
    fake.token_lifetime = 7;
    client(&fake).await.key(KEY).await.unwrap();
    assert_eq!(fake.tokens(), 2);
    assert_eq!(fake.calls(), 2);
}

/// A raw TCP server whose first `drops` connections are closed after the request arrives
/// and whose later ones get `answer`; `stall` keeps connections open without answering.
async fn raw_server(drops: usize, stall: bool) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let seen = Arc::clone(&connections);
    tokio::spawn(async move {
        let mut held = Vec::new();
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            let n = seen.fetch_add(1, Ordering::SeqCst);
            let mut buffer = vec![0u8; 64 * 1024];
            let _ = socket.read(&mut buffer).await;
            if stall {
                held.push(socket);
            } else if n < drops {
                drop(socket);
            } else {
                let body = key_resource().to_string();
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        }
    });
    (url, connections)
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_a_read_but_not_for_a_create() {
    let iam = serve(Fake::failing(vec![])).await;
    let (url, connections) = raw_server(1, false).await;
    let ks = RemoteKeystore::new(config(&url, &iam)).unwrap();
    assert_eq!(ks.key(KEY).await.unwrap().id, KEY);
    assert_eq!(connections.load(Ordering::SeqCst), 2);

    let (url, connections) = raw_server(usize::MAX, false).await;
    let ks = RemoteKeystore::new(config(&url, &iam)).unwrap();
    let err = ks.create_key(root_key("lost")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::HostUnreachable, "{err:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_stalled_answer_is_a_timeout() {
    let iam = serve(Fake::failing(vec![])).await;
    let (url, connections) = raw_server(0, true).await;
    let mut config = config(&url, &iam);
    config.timeout = Duration::from_millis(300);
    let ks = RemoteKeystore::new(config).unwrap();
    let err = ks.key(KEY).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout, "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        3,
        "reads are retried after a timeout"
    );

    let err = ks.create_key(root_key("stalled")).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::Timeout, "{err:?}");
    assert_eq!(
        connections.load(Ordering::SeqCst),
        4,
        "a create that may have arrived is not"
    );
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let iam = serve(Fake::failing(vec![])).await;
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let err = RemoteKeystore::new(config(&url, &iam))
        .unwrap()
        .key(KEY)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::HostUnreachable, "{err:?}");
}

#[tokio::test]
async fn a_caller_that_gives_up_mid_exchange_does_not_block_the_next_one() {
    let mut fake = Fake::failing(vec![]);
    fake.token_lifetime = 11;
    let ks = client(&fake).await;
    let abandoned = tokio::time::timeout(Duration::from_millis(300), ks.key(KEY)).await;
    assert!(abandoned.is_err(), "the first exchange never answers");
    assert_eq!(ks.key(KEY).await.unwrap().id, KEY);
    assert_eq!(fake.tokens(), 2, "the dropped exchange released the lock");
}

/// Collects formatted log lines for one test.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn trace_logs_name_the_key_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let fake = Fake::failing(vec![(StatusCode::SERVICE_UNAVAILABLE, None)]);
    let ks = client(&fake).await;
    let wrapped = ks
        .wrap(strongroom_tests::wrap(KEY, &["tenant"]))
        .await
        .unwrap();
    assert_eq!(wrapped.plaintext.unwrap().expose(), DEK);
    ks.key(KEY).await.unwrap();

    let log = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(log.contains(KEY), "spans name the key id:\n{log}");
    for secret in [DEK, GOOD_API_KEY, "token-1"] {
        assert!(
            !log.contains(secret),
            "{secret} leaked into the log:\n{log}"
        );
    }
}

#[tokio::test]
async fn a_strongroom_filter_is_refused_by_an_instance_that_ignores_it() {
    let fake = Fake::failing(Vec::new());
    let ks = client(&fake).await;
    let plain = ks.list_keys(Default::default()).await.unwrap();
    assert_eq!(plain.keys.len(), 1, "an unfiltered listing works as before");

    for request in [
        ListKeysRequest {
            imported: Some(true),
            ..Default::default()
        },
        ListKeysRequest {
            dual_auth_delete: Some(true),
            ..Default::default()
        },
        ListKeysRequest {
            rotation_due: Some(false),
            ..Default::default()
        },
    ] {
        let err = ks.list_keys(request).await.unwrap_err();
        assert_eq!(err.code, ErrorCode::NotSupported, "{err:?}");
        assert!(err.message.contains("only a Strongroom server"), "{err:?}");
    }
}
