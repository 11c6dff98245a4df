//! The router over the real embedded keystore in a temporary directory, driven without a
//! socket, with helpers for extra users and service identities.
#![allow(dead_code, unreachable_pub)]

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use serde_json::{json, Value};
use strongroom_api::SecretString;
use strongroom_core::FixedClock;
use strongroom_local::{LocalIam, LocalInstances};
use strongroom_server::{router, ServerState};
use strongroom_store::{MasterKeySource, PrincipalRecord, SqliteStore};
use tower::ServiceExt;

pub const INSTANCE: &str = "0b0b6d2a-61f5-4d5c-9c1f-2b7f8f6c9a10";
pub const API_KEY: &str = "test-admin-api-key";

pub struct Server {
    pub app: Router,
    pub token: String,
    pub iam: Arc<LocalIam>,
    pub store: Arc<SqliteStore>,
    pub clock: Arc<FixedClock>,
    _dir: tempfile::TempDir,
}

pub struct Reply {
    pub status: StatusCode,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
    pub body: Value,
}

impl Server {
    pub async fn start() -> Self {
        Self::start_on(false).await
    }

    /// A server whose Managers may move the clock ahead (`serve --virtual-clock`), on the
    /// store's clock rather than [`Server::clock`].
    pub async fn start_with_virtual_clock() -> Self {
        Self::start_on(true).await
    }

    async fn start_on(virtual_clock: bool) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let source = MasterKeySource::File(dir.path().join("master.key"));
        let store = Arc::new(SqliteStore::open(&dir.path().join("data"), &source).unwrap());
        let clock = Arc::new(FixedClock::new(time::OffsetDateTime::now_utc()));
        let (iam, generated) =
            LocalIam::open(Arc::clone(&store), Some(SecretString::new(API_KEY.into()))).unwrap();
        assert!(generated.is_none(), "a bootstrap key was given");
        let iam = Arc::new(iam);
        let instances = Arc::new(if virtual_clock {
            LocalInstances::with_virtual_clock(Arc::clone(&store))
        } else {
            LocalInstances::new(Arc::clone(&store), clock.clone())
        });
        instances.ensure_default(Some(INSTANCE)).unwrap();
        let app = router(ServerState {
            account_id: iam.account().to_owned(),
            instances: Arc::clone(&instances) as _,
            policies: instances,
            iam: iam.clone(),
        });
        let mut server = Server {
            app,
            token: String::new(),
            iam,
            store,
            clock,
            _dir: dir,
        };
        let reply = server
            .raw(
                Request::post("/identity/token")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(format!(
                        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey={API_KEY}&response_type=cloud_iam"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        server.token = reply.body["access_token"].as_str().unwrap().to_owned();
        server
    }

    /// Exchanges an API key for a token.
    pub async fn login(&self, api_key: &str) -> String {
        let reply = self
            .raw(
                Request::post("/identity/token")
                    .body(Body::from(format!(
                        "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={api_key}"
                    )))
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body["access_token"].as_str().unwrap().to_owned()
    }

    /// A user or service identity with an API key; returns its token.
    pub async fn identity(&self, iam_id: &str, service: Option<(&str, &str)>) -> String {
        let principal = PrincipalRecord {
            iam_id: iam_id.into(),
            name: iam_id.into(),
            service: service.map(|(s, i)| (s.to_owned(), i.to_owned())),
            created_at: time::OffsetDateTime::now_utc(),
        };
        let (_, key) = self
            .iam
            .create_api_key(&principal, "test", "IBMid-test")
            .unwrap();
        self.login(key.expose()).await
    }

    /// A Key Protect call with another principal's token.
    pub async fn call_as(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<&str>,
    ) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header("bluemix-instance", INSTANCE)
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .unwrap();
        self.raw(request).await
    }

    /// A JSON call to the IAM API.
    pub async fn iam_call(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        etag: Option<&str>,
    ) -> Reply {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(etag) = etag {
            request = request.header(header::IF_MATCH, etag);
        }
        let request = request
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
            .unwrap();
        self.raw(request).await
    }

    pub async fn raw(&self, request: Request<Body>) -> Reply {
        let response = self.app.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let content_type = headers
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap()
        };
        Reply {
            status,
            content_type,
            headers,
            body,
        }
    }

    /// A Key Protect call as the Go client makes it: no Content-Type, lower-case instance header.
    pub async fn call(&self, method: Method, path: &str, body: Option<&str>) -> Reply {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::AUTHORIZATION, format!("Bearer {}", self.token))
            .header("bluemix-instance", INSTANCE)
            .header("correlation-id", "6d1f3e9e-corr")
            .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
            .unwrap();
        self.raw(request).await
    }

    pub async fn create_root_key(&self, name: &str) -> String {
        let body = json!({
            "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
            "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": name, "extractable": false}]
        });
        let reply = self
            .call(Method::POST, "/api/v2/keys", Some(&body.to_string()))
            .await;
        assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
        reply.body["resources"][0]["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

pub fn reason(reply: &Reply) -> &str {
    reply.body["resources"][0]["reasons"][0]["code"]
        .as_str()
        .unwrap_or("<none>")
}
