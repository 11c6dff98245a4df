//! The router against the real embedded keystore, without a socket: every endpoint, the
//! odd bodies real clients send, and each error's Key Protect envelope.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use common::{reason, Reply, Server, API_KEY, INSTANCE};
use serde_json::{json, Value};

#[tokio::test]
async fn tokens_are_jwts_with_numeric_iat_and_exp_on_both_paths() {
    let server = Server::start().await;
    let parts: Vec<&str> = server.token.split('.').collect();
    assert_eq!(parts.len(), 3, "IBM's SDK cores decode the token as a JWT");
    use base64::Engine;
    let claims: Value = serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(parts[1])
            .unwrap(),
    )
    .unwrap();
    assert!(claims["iat"].is_i64() && claims["exp"].is_i64(), "{claims}");

    let reply = server
        .raw(
            Request::post("/oidc/token")
                .body(Body::from(format!(
                    "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={API_KEY}"
                )))
                .unwrap(),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["token_type"], "Bearer");
    assert_eq!(reply.body["expires_in"], 3600);
    assert!(reply.body["expiration"].is_i64());

    let wrong = server
        .raw(
            Request::post("/identity/token")
                .body(Body::from(
                    "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=nope",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.body["errorCode"], "BXNIM0415E");
    assert!(
        !wrong.body.to_string().contains("nope"),
        "errors never echo credentials"
    );
}

#[tokio::test]
async fn calls_without_a_valid_token_or_for_another_instance_are_refused() {
    let server = Server::start().await;
    let plain = server
        .raw(Request::get("/api/v2/keys").body(Body::empty()).unwrap())
        .await;
    assert_eq!(plain.status, StatusCode::UNAUTHORIZED);
    assert_eq!(reason(&plain), "UNAUTHORIZED_ERR");
    assert_eq!(
        plain.body["metadata"]["collectionType"],
        "application/vnd.ibm.kms.error+json"
    );

    let (header_part, rest) = server.token.split_once('.').unwrap();
    let claims = rest.split('.').next().unwrap();
    use base64::Engine;
    let none =
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let tampered_claims = {
        let mut c: Value = serde_json::from_slice(
            &base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(claims)
                .unwrap(),
        )
        .unwrap();
        c["iam_id"] = json!("IBMid-someone-else");
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(c.to_string())
    };
    let signature = server.token.rsplit('.').next().unwrap();
    for forged in [
        format!("{none}.{claims}."),
        format!("{header_part}.{tampered_claims}.{signature}"),
        "not-a-jwt".to_owned(),
    ] {
        let reply = server
            .raw(
                Request::get("/api/v2/keys")
                    .header(header::AUTHORIZATION, format!("Bearer {forged}"))
                    .header("Bluemix-Instance", INSTANCE)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNAUTHORIZED, "{forged}");
    }

    let other_instance = server
        .raw(
            Request::get("/api/v2/keys")
                .header(header::AUTHORIZATION, format!("bearer {}", server.token))
                .header("Bluemix-Instance", "11111111-2222-3333-4444-555555555555")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(other_instance.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn wrap_unwrap_rotate_rewrap_as_the_sdks_do() {
    let server = Server::start().await;
    let id = server.create_root_key("sdk-root").await;

    // `null` body: generate a DEK (Go sends null, Node and Python may send nothing).
    let wrapped = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some("null"),
        )
        .await;
    assert_eq!(wrapped.status, StatusCode::OK, "{}", wrapped.body);
    assert_eq!(
        wrapped.content_type,
        "application/vnd.ibm.kms.key_action+json"
    );
    assert!(
        wrapped.body["plaintext"].is_string(),
        "a generated DEK is returned"
    );

    let with_aad = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some(r#"{"Plaintext": "Zm91ciBzY29yZSBhbmQgc2V2ZW4geWVhcnMgYWdv", "AAD": ["tenant", "acme"]}"#),
        )
        .await;
    assert_eq!(
        with_aad.status,
        StatusCode::OK,
        "field names match case-insensitively"
    );
    assert!(
        with_aad.body.get("plaintext").is_none(),
        "a supplied plaintext is not echoed"
    );
    let ciphertext = with_aad.body["ciphertext"].as_str().unwrap().to_owned();
    let first_version = with_aad.body["keyVersion"]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let unwrap_body = json!({"ciphertext": ciphertext, "aad": ["tenant", "acme"]}).to_string();
    let unwrapped = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/unwrap"),
            Some(&unwrap_body),
        )
        .await;
    assert_eq!(unwrapped.status, StatusCode::OK);
    assert_eq!(
        unwrapped.body["plaintext"],
        "Zm91ciBzY29yZSBhbmQgc2V2ZW4geWVhcnMgYWdv"
    );
    assert!(unwrapped.body.get("rewrappedKeyVersion").is_none());

    let wrong_aad = json!({"ciphertext": ciphertext, "aad": ["tenant", "evil"]}).to_string();
    let refused = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/unwrap"),
            Some(&wrong_aad),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&refused), "UNPROCESSABLE_CIPHERTEXT_ERR");

    let rotated = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/rotate"),
            Some("null"),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::NO_CONTENT);
    assert!(rotated.body.is_null(), "204 has no body");
    let again = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/rotate"),
            None,
        )
        .await;
    assert_eq!(reason(&again), "KEY_ROTATION_NOT_PERMITTED");

    let after = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/unwrap"),
            Some(&unwrap_body),
        )
        .await;
    assert_eq!(after.status, StatusCode::OK);
    assert_eq!(after.body["keyVersion"]["id"], first_version.as_str());
    let newest = after.body["rewrappedKeyVersion"]["id"].as_str().unwrap();
    assert_ne!(newest, first_version);
    assert!(
        after.body["ciphertext"].is_string(),
        "the re-wrapped DEK comes back as `ciphertext`"
    );

    let rewrapped = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}?action=rewrap"),
            Some(&unwrap_body),
        )
        .await;
    assert_eq!(
        rewrapped.status,
        StatusCode::OK,
        "the deprecated ?action= form works"
    );
    assert_eq!(rewrapped.body["rewrappedKeyVersion"]["id"], newest);

    let versions = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/versions"), None)
        .await;
    assert_eq!(versions.body["metadata"]["collectionTotal"], 2);
    assert_eq!(versions.body["resources"][0]["id"], newest, "newest first");
    let paged = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{id}/versions?limit=1&offset=1&totalCount=true"),
            None,
        )
        .await;
    assert_eq!(paged.status, StatusCode::OK, "{}", paged.body);
    assert_eq!(paged.body["metadata"]["collectionTotal"], 1);
    assert_eq!(paged.body["metadata"]["totalCount"], 2);
    assert_ne!(paged.body["resources"][0]["id"], newest, "the older one");
    let bad = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{id}/versions?limit=abc"),
            None,
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn life_cycle_listing_and_errors() {
    let server = Server::start().await;
    let id = server.create_root_key("life").await;
    server.create_root_key("other").await;

    let disabled = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/disable"),
            Some("null"),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::NO_CONTENT);
    let wrap = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some("{}"),
        )
        .await;
    assert_eq!(wrap.status, StatusCode::CONFLICT);
    assert_eq!(reason(&wrap), "KEY_ACTION_INVALID_STATE_ERR");
    assert!(wrap.body["resources"][0]["errorMsg"]
        .as_str()
        .unwrap()
        .starts_with("Conflict: "));
    server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/enable"),
            None,
        )
        .await;

    let list = server
        .call(Method::GET, "/api/v2/keys?limit=1&totalCount=true", None)
        .await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.body["metadata"]["collectionTotal"], 1);
    assert_eq!(list.body["metadata"]["totalCount"], 2);
    let head = server.call(Method::HEAD, "/api/v2/keys", None).await;
    assert_eq!(head.status, StatusCode::OK);
    assert_eq!(head.headers["key-total"], "2");
    assert!(head.body.is_null(), "HEAD has no body");
    assert_eq!(
        head.headers["content-type"], "application/vnd.ibm.kms.key+json",
        "the headers a GET would have"
    );
    // Counted with the listing's filters, and audited under Key Protect's name for a HEAD.
    let filtered = server
        .call(Method::HEAD, "/api/v2/keys?state=2&imported=false", None)
        .await;
    assert_eq!(filtered.headers["key-total"], "0");
    assert_eq!(filtered.headers["x-strongroom-filters"], "imported");
    let refused = server
        .call(Method::HEAD, "/api/v2/keys?limit=lots", None)
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let heads = server
        .call(
            Method::GET,
            "/api/v2/audit_events?action=kms.secrets.head",
            None,
        )
        .await;
    assert_eq!(
        heads.body["resources"].as_array().map(Vec::len),
        Some(2),
        "{}",
        heads.body
    );

    let deleted = server
        .call(Method::DELETE, &format!("/api/v2/keys/{id}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let got = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    assert_eq!(got.body["resources"][0]["state"], 5);
    assert_eq!(got.body["resources"][0]["deleted"], true);
    let restored = server
        .call(Method::POST, &format!("/api/v2/keys/{id}/restore"), None)
        .await;
    assert_eq!(restored.status, StatusCode::CREATED);
    assert_eq!(restored.body["resources"][0]["state"], 1);

    let missing = server
        .call(
            Method::GET,
            "/api/v2/keys/6f1c1a9e-2d0b-4a7e-9a51-0c1d2e3f4a5b",
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let bad_json = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some("{not json"),
        )
        .await;
    assert_eq!(reason(&bad_json), "BAD_BODY_ERR");
    let bad_b64 = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some(r#"{"plaintext": "%%%"}"#),
        )
        .await;
    assert_eq!(reason(&bad_b64), "INVALID_FIELD_ERR");
    let bad_limit = server
        .call(Method::GET, "/api/v2/keys?limit=99999", None)
        .await;
    assert_eq!(bad_limit.status, StatusCode::BAD_REQUEST);
    let bad_sort = server
        .call(Method::GET, "/api/v2/keys?sort=-colour", None)
        .await;
    assert_eq!(bad_sort.status, StatusCode::BAD_REQUEST);
    assert_eq!(reason(&bad_sort), "INVALID_QUERY_PARAM_ERR");
    // Given twice, the query fails to parse at all: the answer still names the parameter.
    let unparsable = server
        .call(Method::GET, "/api/v2/keys?limit=1&limit=2", None)
        .await;
    assert_eq!(reason(&unparsable), "INVALID_QUERY_PARAM_ERR");
    let message = unparsable.body["resources"][0]["reasons"][0]["message"]
        .as_str()
        .unwrap_or("");
    assert!(
        message.contains("limit"),
        "the answer names the parameter: {message}"
    );
    // Strongroom's own filters are named back in a header, so a client can tell them apart
    // from a server (Key Protect) that ignores them.
    let filtered = server
        .call(
            Method::GET,
            "/api/v2/keys?imported=false&rotationDue=false",
            None,
        )
        .await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert_eq!(
        filtered
            .headers
            .get("x-strongroom-filters")
            .map(|v| v.to_str().unwrap()),
        Some("imported,rotationDue")
    );
    let unfiltered = server.call(Method::GET, "/api/v2/keys", None).await;
    assert!(unfiltered.headers.get("x-strongroom-filters").is_none());
    let names = |list: &Reply| -> Vec<String> {
        list.body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let ascending = server
        .call(Method::GET, "/api/v2/keys?sort=name", None)
        .await;
    let descending = server
        .call(Method::GET, "/api/v2/keys?sort=-name", None)
        .await;
    let mut reversed = names(&descending);
    reversed.reverse();
    assert!(names(&ascending).len() >= 2);
    assert_eq!(names(&ascending), reversed);
    let too_big = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            Some(&"x".repeat(100_000)),
        )
        .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(reason(&too_big), "BODY_TOO_LARGE_ERR");
    let wrong_method = server.call(Method::PUT, "/api/v2/keys", None).await;
    assert_eq!(wrong_method.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reason(&wrong_method), "METHOD_NOT_ALLOWED_ERR");
    let unknown = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/explode"),
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn secure_import_with_an_import_token() {
    use aes_gcm::aead::{Aead, KeyInit};
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    use rsa::pkcs8::DecodePublicKey;

    let server = Server::start().await;
    let none = server.call(Method::GET, "/api/v2/import_token", None).await;
    assert_eq!(reason(&none), "IMPORT_TOKEN_EXPIRED_ERR", "{}", none.body);

    let created = server
        .call(
            Method::POST,
            "/api/v2/import_token",
            Some(r#"{"expiration": 600, "maxAllowedRetrievals": 2}"#),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(created.body["remainingRetrievals"], 2);
    assert!(
        created.body.get("payload").is_none(),
        "the key is shown on retrieval only"
    );

    let token = server.call(Method::GET, "/api/v2/import_token", None).await;
    assert_eq!(token.body["remainingRetrievals"], 1);
    let pem = String::from_utf8(
        STANDARD
            .decode(token.body["payload"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    let public = rsa::RsaPublicKey::from_public_key_pem(&pem).unwrap();
    let nonce = STANDARD
        .decode(token.body["nonce"].as_str().unwrap())
        .unwrap();

    // What every SDK does on the client side.
    let seal = |material: &[u8; 32], nonce: &[u8]| {
        let iv = [9u8; 12];
        let sealed = aes_gcm::Aes256Gcm::new_from_slice(material)
            .unwrap()
            .encrypt(aes_gcm::Nonce::from_slice(&iv), nonce)
            .unwrap();
        let payload = public
            .encrypt(
                &mut rand_core_06::OsRng,
                rsa::Oaep::new::<sha2::Sha256>(),
                material,
            )
            .unwrap();
        json!({
            "name": "securely-imported", "extractable": false,
            "payload": STANDARD.encode(payload), "encryptedNonce": STANDARD.encode(sealed),
            "iv": STANDARD.encode(iv), "encryptionAlgorithm": "RSAES_OAEP_SHA_256"
        })
    };
    let create = |resource: Value| json!({ "resources": [resource] }).to_string();

    let forged = server
        .call(
            Method::POST,
            "/api/v2/keys",
            Some(&create(seal(&[0x5a; 32], &[0u8; 12]))),
        )
        .await;
    assert_eq!(forged.status, StatusCode::BAD_REQUEST);
    assert_eq!(reason(&forged), "INCORRECT_NONCE_ERR");

    let imported = server
        .call(
            Method::POST,
            "/api/v2/keys",
            Some(&create(seal(&[0x5a; 32], &nonce))),
        )
        .await;
    assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.body);
    assert_eq!(imported.body["resources"][0]["imported"], true);
    let id = imported.body["resources"][0]["id"].as_str().unwrap();
    let wrapped = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/wrap"),
            None,
        )
        .await;
    assert_eq!(wrapped.status, StatusCode::OK, "the imported key wraps");

    let plain_rotate = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/rotate"),
            None,
        )
        .await;
    assert_eq!(
        reason(&plain_rotate),
        "KEY_PAYLOAD_REQ_ERR",
        "an imported key needs new material"
    );
    let rotated = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/rotate"),
            Some(&seal(&[0x6b; 32], &nonce).to_string()),
        )
        .await;
    assert_eq!(rotated.status, StatusCode::NO_CONTENT, "{}", rotated.body);
    let unwrap = json!({ "ciphertext": wrapped.body["ciphertext"] }).to_string();
    let after = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/actions/unwrap"),
            Some(&unwrap),
        )
        .await;
    assert!(
        after.body["rewrappedKeyVersion"]["id"].is_string(),
        "rotated to the securely imported material"
    );

    server.call(Method::GET, "/api/v2/import_token", None).await;
    let spent = server.call(Method::GET, "/api/v2/import_token", None).await;
    assert_eq!(spent.status, StatusCode::CONFLICT, "retrievals run out");

    // Every retrieval is in the trail under Key Protect's name for it, spent or refused: the
    // first refusal (no token yet), the two that were handed out, the one that ran out.
    let trail = server
        .call(
            Method::GET,
            "/api/v2/audit_events?action=kms.import-token.read",
            None,
        )
        .await;
    let outcomes: Vec<&str> = trail.body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["outcome"].as_str().unwrap_or_default())
        .collect();
    assert_eq!(
        outcomes.iter().filter(|o| **o == "success").count(),
        2,
        "{}",
        trail.body
    );
    assert_eq!(outcomes.len(), 4, "{}", trail.body);
}

#[tokio::test]
async fn standard_keys_return_their_payload_on_get_only() {
    let server = Server::start().await;
    let body = json!({"resources": [{"name": "app-secret", "extractable": true, "payload": "c2VjcmV0LXBheWxvYWQ="}]});
    let created = server
        .call(Method::POST, "/api/v2/keys", Some(&body.to_string()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["resources"][0]["id"].as_str().unwrap();
    assert!(created.body["resources"][0].get("payload").is_none());

    let got = server
        .call(Method::GET, &format!("/api/v2/keys/{id}"), None)
        .await;
    assert_eq!(got.body["resources"][0]["payload"], "c2VjcmV0LXBheWxvYWQ=");
    let meta = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    assert!(
        meta.body["resources"][0].get("payload").is_none(),
        "metadata never carries it"
    );
    let list = server.call(Method::GET, "/api/v2/keys", None).await;
    assert!(
        !list.body.to_string().contains("c2VjcmV0LXBheWxvYWQ="),
        "lists never carry it"
    );

    let root = server.create_root_key("never-leaves").await;
    let got = server
        .call(Method::GET, &format!("/api/v2/keys/{root}"), None)
        .await;
    assert!(
        got.body["resources"][0].get("payload").is_none(),
        "root material never leaves"
    );
}

#[tokio::test]
async fn key_rings_and_registrations_are_served() {
    let server = Server::start().await;
    let id = server.create_root_key("registered").await;
    let rings = server.call(Method::GET, "/api/v2/key_rings", None).await;
    assert_eq!(
        rings.body["resources"][0]["id"], "default",
        "{} {}",
        rings.status, rings.body
    );
    let all = server
        .call(Method::GET, "/api/v2/keys/registrations", None)
        .await;
    assert_eq!(
        all.status,
        StatusCode::OK,
        "a static path wins over /keys/{{id}}"
    );
    assert_eq!(all.body["metadata"]["collectionTotal"], 0);
    let of_key = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{id}/registrations"),
            None,
        )
        .await;
    assert_eq!(
        of_key.body["metadata"]["collectionType"],
        "application/vnd.ibm.kms.registration+json"
    );
    let missing = server
        .call(
            Method::GET,
            "/api/v2/keys/6f1c1a9e-2d0b-4a7e-9a51-0c1d2e3f4a5b/registrations",
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_web_console_is_served_at_ui_with_a_strict_policy() {
    let server = Server::start().await;
    let redirect = server
        .raw(Request::get("/ui").body(Body::empty()).unwrap())
        .await;
    assert_eq!(redirect.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(redirect.headers["location"], "/ui/");
    let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../ui/dist/index.html")
        .exists();
    let request = Request::get("/ui/").body(Body::empty()).unwrap();
    let response = tower::ServiceExt::oneshot(server.app.clone(), request)
        .await
        .unwrap();
    if built {
        assert_eq!(response.status(), StatusCode::OK);
        assert!(response.headers()[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        let policy = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    } else {
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
    }
    let missing_asset = tower::ServiceExt::oneshot(
        server.app.clone(),
        Request::get("/ui/assets/nope.js")
            .body(Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(missing_asset.status(), StatusCode::NOT_FOUND);
}

/// One exchange exactly as `keyprotect-go-client` makes it: lower-case headers, `correlation-id`,
/// `accept: application/json`, the key ring header when one is configured, and no Content-Type
/// whatever the body. Returns the raw body bytes, so "empty" means zero bytes.
async fn go_call(
    server: &Server,
    method: Method,
    path: &str,
    key_ring: Option<&str>,
    body: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    let mut request = Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", format!("Bearer {}", server.token))
        .header("bluemix-instance", INSTANCE)
        .header("correlation-id", "0f0e0d0c-go-client")
        .header("accept", "application/json");
    if let Some(ring) = key_ring {
        request = request.header("x-kms-key-ring", ring);
    }
    let request = request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_owned())))
        .unwrap();
    let response = server.app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    (status, headers, bytes.to_vec())
}

/// The Go client's rules (spec §1.6): a 200 must carry JSON; a 204 and the successes of
/// CreateKeyRing, DeleteKeyAlias, SyncAssociatedResources and DeleteKeyRing must carry nothing.
#[tokio::test]
async fn the_go_client_scenario_byte_for_byte() {
    let server = Server::start().await;
    let json_of = |status: StatusCode, bytes: &[u8]| -> Value {
        serde_json::from_slice(bytes).unwrap_or_else(|_| {
            panic!(
                "{status}: a Go client needs JSON here, got {:?}",
                String::from_utf8_lossy(bytes)
            )
        })
    };

    let (status, headers, body) = go_call(
        &server,
        Method::POST,
        "/api/v2/key_rings/go-ring",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(body.is_empty(), "CreateKeyRing: {body:?}");
    assert_eq!(headers["correlation-id"], "0f0e0d0c-go-client");

    // CreateKey: Go's field names as its structs marshal them, `KeyRingID` and `Tags`.
    let create = json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
        "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": "go-root",
                       "extractable": false, "KeyRingID": "go-ring", "Tags": ["team:payments"]}]
    })
    .to_string();
    let (status, _, body) =
        go_call(&server, Method::POST, "/api/v2/keys", None, Some(&create)).await;
    assert_eq!(status, StatusCode::CREATED);
    let created = json_of(status, &body);
    assert_eq!(created["resources"][0]["keyRingID"], "go-ring", "{created}");
    let id = created["resources"][0]["id"].as_str().unwrap().to_owned();
    let key = format!("/api/v2/keys/{id}");
    let ring = Some("go-ring");

    let (status, _, body) = go_call(
        &server,
        Method::POST,
        &format!("{key}/actions/wrap"),
        ring,
        Some("null"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let wrapped = json_of(status, &body);
    assert!(wrapped["plaintext"].is_string() && wrapped["ciphertext"].is_string());

    for action in ["disable", "enable", "rotate", "sync"] {
        let (status, _, body) = go_call(
            &server,
            Method::POST,
            &format!("{key}/actions/{action}"),
            ring,
            Some("null"),
        )
        .await;
        assert_eq!(
            status,
            StatusCode::NO_CONTENT,
            "{action}: {}",
            String::from_utf8_lossy(&body)
        );
        assert!(body.is_empty(), "{action}: {body:?}");
    }

    let unwrap = json!({ "ciphertext": wrapped["ciphertext"] }).to_string();
    let (status, _, body) = go_call(
        &server,
        Method::POST,
        &format!("{key}/actions/unwrap"),
        ring,
        Some(&unwrap),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let unwrapped = json_of(status, &body);
    assert_eq!(unwrapped["plaintext"], wrapped["plaintext"]);
    assert!(
        unwrapped["rewrappedKeyVersion"]["id"].is_string(),
        "rotated by the null-bodied rotate"
    );

    let (status, _, body) = go_call(
        &server,
        Method::POST,
        &format!("{key}/aliases/go-alias"),
        ring,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(json_of(status, &body)["resources"][0]["alias"], "go-alias");
    let (status, _, body) = go_call(
        &server,
        Method::DELETE,
        &format!("{key}/aliases/go-alias"),
        ring,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty(), "DeleteKeyAlias: {body:?}");

    // SetKeyRing: PATCH with Go's `KeyRingID`, then the emptied ring can go.
    let (status, _, body) = go_call(
        &server,
        Method::PATCH,
        &key,
        ring,
        Some(r#"{"KeyRingID":"default"}"#),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json_of(status, &body)["resources"][0]["keyRingID"],
        "default"
    );
    let (status, _, body) = go_call(
        &server,
        Method::DELETE,
        "/api/v2/key_rings/go-ring",
        None,
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(body.is_empty(), "DeleteKeyRing: {body:?}");
}

/// A key past its expiration date lists as deactivated (state 3) and not as active, in the
/// page and in its total, while its row still says active (this router runs no periodic
/// check to record the expiry).
#[tokio::test]
async fn the_state_filter_finds_an_expired_key_where_it_is_shown() {
    use strongroom_core::Clock;
    let server = Server::start().await;
    let tomorrow = (server.clock.now() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let body = json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
        "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": "expiring",
                       "extractable": false, "expirationDate": tomorrow}]
    });
    let created = server
        .call(Method::POST, "/api/v2/keys", Some(&body.to_string()))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let expiring = created.body["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let lasting = server.create_root_key("lasting").await;

    let listed = |query: &'static str| {
        let server = &server;
        async move {
            let reply = server
                .call(
                    Method::GET,
                    &format!("/api/v2/keys?totalCount=true&{query}"),
                    None,
                )
                .await;
            assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
            let ids: Vec<String> = reply.body["resources"]
                .as_array()
                .map(|keys| {
                    keys.iter()
                        .map(|k| k["id"].as_str().unwrap().to_owned())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(
                reply.body["metadata"]["totalCount"],
                json!(ids.len()),
                "{query}: the total counts what the page shows"
            );
            ids
        }
    };
    assert_eq!(listed("state=1").await.len(), 2, "neither has expired yet");
    assert!(listed("state=3").await.is_empty());

    server.clock.advance(time::Duration::days(2));
    assert_eq!(listed("state=1").await, vec![lasting.clone()]);
    assert_eq!(listed("state=3").await, vec![expiring.clone()]);
    assert_eq!(listed("state=1,2").await, vec![lasting.clone()]);
    assert_eq!(listed("state=2,3").await, vec![expiring.clone()]);
    assert_eq!(listed("").await.len(), 2, "the default states take both");
    let shown = server.call(Method::GET, "/api/v2/keys?state=3", None).await;
    assert_eq!(shown.body["resources"][0]["state"], 3);
}

/// A query the parser cannot read is refused in a sentence naming the parameter, not in the
/// parser's own words ("invalid digit found in string").
#[tokio::test]
async fn unreadable_query_parameters_are_named_in_plain_words() {
    let server = Server::start().await;
    for (path, says) in [
        (
            "/api/v2/aliases?limit=abc",
            "`limit` must be a whole number",
        ),
        (
            "/api/v2/activity?hours=-3",
            "`hours` must be a whole number",
        ),
        (
            "/api/v2/audit_events?limit=99999999999",
            "`limit` is out of range",
        ),
        (
            "/api/v2/audit_events?failuresOnly=maybe",
            "`failuresOnly` must be true or false",
        ),
        (
            "/api/v2/aliases?limit=1&limit=2",
            "`limit` is given more than once",
        ),
    ] {
        let reply = server.call(Method::GET, path, None).await;
        assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{path}");
        assert_eq!(reason(&reply), "INVALID_QUERY_PARAM_ERR", "{path}");
        let message = reply.body["resources"][0]["errorMsg"].as_str().unwrap();
        assert!(message.contains(says), "{path}: {message}");
        assert!(!message.contains("digit"), "{path}: {message}");
    }
}

/// A deleted key carries Key Protect's restore and purge fields, judged on the keystore's
/// clock: restorable for 30 days, purgeable after 4 hours. A live key carries none.
#[tokio::test]
async fn a_deleted_key_says_until_when_it_restores_and_from_when_it_purges() {
    let server = Server::start().await;
    let id = server.create_root_key("leaving").await;
    let live = server
        .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
        .await;
    for field in [
        "restoreAllowed",
        "purgeAllowed",
        "restoreExpirationDate",
        "purgeAllowedFrom",
    ] {
        assert!(
            live.body["resources"][0].get(field).is_none(),
            "{field} on a live key"
        );
    }
    let deleted = server
        .call(Method::DELETE, &format!("/api/v2/keys/{id}"), None)
        .await;
    assert!(deleted.status.is_success(), "{}", deleted.body);

    let read = || async {
        let reply = server
            .call(Method::GET, &format!("/api/v2/keys/{id}/metadata"), None)
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        reply.body["resources"][0].clone()
    };
    let rfc3339 = |value: &Value| {
        time::OffsetDateTime::parse(
            value.as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
    };
    let key = read().await;
    let deleted_at = rfc3339(&key["deletionDate"]);
    assert_eq!(
        rfc3339(&key["restoreExpirationDate"]),
        deleted_at + time::Duration::days(30)
    );
    assert_eq!(
        rfc3339(&key["purgeAllowedFrom"]),
        deleted_at + time::Duration::hours(4)
    );
    assert_eq!(key["restoreAllowed"], true);
    assert_eq!(key["purgeAllowed"], false);

    server.clock.advance(time::Duration::hours(5));
    assert_eq!(read().await["purgeAllowed"], true);
    server.clock.advance(time::Duration::days(31));
    let key = read().await;
    assert_eq!(key["restoreAllowed"], false);
    let restore = server
        .call(Method::POST, &format!("/api/v2/keys/{id}/restore"), None)
        .await;
    assert!(
        !restore.status.is_success(),
        "the field says what restore does"
    );
}
