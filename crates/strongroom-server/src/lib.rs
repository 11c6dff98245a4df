//! The Key Protect v2–compatible REST API, so the unmodified IBM SDKs can use Strongroom.
//!
//! Handlers parse the Key Protect wire format, call the [`Keystore`] and [`Iam`] facades and
//! map their `{code, message}` errors to Key Protect's error envelope. Nothing here knows
//! about SQLite or the domain core; tests run the router against the real embedded keystore.
#![deny(missing_docs)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used, clippy::panic))]

mod audit;
mod auth;
mod body;
mod clock;
mod console;
mod error;
mod extract;
mod iam;
mod iam_policy;
mod import_token;
mod keys;
mod policies;
mod registrations;
mod trace;

use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::routing::{delete, get, post};
use axum::Router;
use strongroom_api::{Iam, Instances, Keystore, PolicyAdmin};

/// The largest request body accepted; Key Protect bodies are small (a 7,500-byte payload,
/// base64, is the biggest legitimate one).
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// The log filter of a binary serving this API when `STRONGROOM_LOG` is not set: Strongroom's
/// INFO lines (one access line per request) and everyone's warnings. With `spans` (the binary
/// was asked to log its spans), the request spans too, which are at DEBUG because formatting
/// them costs as much as the access line (`trace.rs`).
pub fn default_log_filter(spans: bool) -> &'static str {
    if spans {
        "strongroom=info,strongroom_server::trace=debug,warn"
    } else {
        "strongroom=info,warn"
    }
}

/// What every handler reaches.
#[derive(Clone)]
pub struct ServerState {
    /// The KMS instances served; each request opens one as its caller.
    pub instances: Arc<dyn Instances>,
    /// Token exchange and verification.
    pub iam: Arc<dyn Iam>,
    /// IAM access and authorization policies.
    pub policies: Arc<dyn PolicyAdmin>,
    /// The account id in CRNs.
    pub account_id: String,
}

/// The instance a Key Protect request addresses, opened for its authenticated caller by
/// [`auth::require_token`]. Handlers take it as an `Extension`.
#[derive(Clone)]
pub(crate) struct Kms {
    pub(crate) keystore: Arc<dyn Keystore>,
    pub(crate) instance_id: Arc<str>,
    server: Arc<ServerState>,
}

impl Kms {
    /// A key's cloud resource name, as Key Protect writes it: account, instance, key.
    pub(crate) fn key_crn(&self, key_id: &str) -> String {
        format!(
            "crn:v1:bluemix:public:kms:local:a/{}:{}:key:{key_id}",
            self.server.account_id, self.instance_id
        )
    }
}

/// The OpenAPI 3 document of everything [`router`] serves. A test walks it against the router
/// so a route cannot be added or removed without the document following.
pub const OPENAPI: &str = include_str!("../api/openapi.json");

async fn openapi() -> impl axum::response::IntoResponse {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        OPENAPI,
    )
}

/// The whole API: IAM token endpoints (unauthenticated) and the Key Protect v2 routes.
pub fn router(state: ServerState) -> Router {
    // Shared, not copied: the middleware and handlers take the state per request, and
    // cloning its fields each time was 2 % of a wrap's CPU.
    let state = Arc::new(state);
    let kp = Router::new()
        .route("/keys", get(keys::list).head(keys::head).post(keys::create))
        .route("/keys_with_policy_overrides", post(keys::create))
        .route(
            "/keys/{id}",
            get(keys::get)
                .delete(keys::delete)
                .post(keys::action_query)
                .patch(keys::patch),
        )
        .route("/keys/{id}/metadata", get(keys::metadata))
        .route("/keys/{id}/versions", get(keys::versions))
        .route("/keys/{id}/restore", post(keys::restore))
        .route("/keys/{id}/purge", delete(keys::purge))
        .route("/keys/{id}/actions/{action}", post(keys::action_path))
        .route(
            "/keys/{id}/aliases/{alias}",
            post(keys::create_alias).delete(keys::delete_alias),
        )
        .route(
            "/keys/{id}/policies",
            get(policies::key_policies).put(policies::set_key_policies),
        )
        .route(
            "/instance/policies",
            get(policies::instance_policies).put(policies::set_instance_policies),
        )
        .route("/keys/registrations", get(registrations::all))
        .route("/keys/{id}/registrations", get(registrations::of_key))
        .route(
            "/keys/{id}/registrations/{crn}",
            post(registrations::create)
                .put(registrations::replace)
                .patch(registrations::update)
                .delete(registrations::remove),
        )
        .route("/audit_events", get(audit::list))
        .route("/aliases", get(audit::aliases))
        .route("/caller", get(audit::caller))
        .route("/usage", get(audit::usage))
        .route("/activity", get(audit::activity))
        .route("/clock", get(clock::read).post(clock::advance))
        .route("/authorization_checks", post(audit::check_authorization))
        .route("/key_rings", get(registrations::key_rings))
        .route(
            "/key_rings/{ring}",
            post(registrations::create_key_ring).delete(registrations::delete_key_ring),
        )
        .route(
            "/import_token",
            get(import_token::get).post(import_token::create),
        )
        .route("/import_token/status", get(import_token::status))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_token,
        ));
    let policies = Router::new()
        .route(
            "/v1/policies",
            get(iam_policy::list).post(iam_policy::create),
        )
        .route(
            "/v1/policies/{id}",
            get(iam_policy::get)
                .put(iam_policy::replace)
                .delete(iam_policy::delete),
        )
        .route("/v2/roles", get(iam_policy::roles))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            iam_policy::require_principal,
        ));
    Router::new()
        .route("/identity/token", post(iam::token))
        .merge(policies)
        .route("/api/openapi.json", get(openapi))
        .route("/ui", get(console::root))
        .route("/ui/", get(console::index))
        .route("/ui/{*path}", get(console::asset))
        .route("/oidc/token", post(iam::token))
        .nest("/api/v2", kp)
        .fallback(error::not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn(trace::span))
        .with_state(state)
}
