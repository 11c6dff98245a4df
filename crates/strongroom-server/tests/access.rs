//! Who may do what, over HTTP: the role matrix of docs/access.md, service-to-service
//! authorizations through the IAM Policy Management API, dual-authorization delete, purge,
//! key rings, aliases and policies — against the real embedded keystore.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::{Method, StatusCode};
use common::{reason, Reply, Server, INSTANCE};
use serde_json::{json, Value};

fn key_body(name: &str) -> String {
    json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
        "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": name, "extractable": false}]
    })
    .to_string()
}

fn policy_body(policy: Value) -> String {
    json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.policy+json", "collectionTotal": 1},
        "resources": [policy]
    })
    .to_string()
}

/// An access policy for `iam_id` with `role` on the instance, created by the administrator
/// through `/v1/policies`.
async fn grant(server: &Server, iam_id: &str, role: &str) {
    grant_in(server, iam_id, role, None).await;
}

/// [`grant`] on one key ring of the instance, or on all of it.
async fn grant_in(server: &Server, iam_id: &str, role: &str, ring: Option<&str>) {
    let mut attributes = vec![
        json!({"name": "serviceName", "value": "kms"}),
        json!({"name": "serviceInstance", "value": INSTANCE}),
    ];
    if let Some(ring) = ring {
        attributes.push(json!({"name": "keyRing", "value": ring}));
    }
    let reply = server
        .iam_call(
            &server.token,
            Method::POST,
            "/v1/policies",
            Some(json!({
                "type": "access",
                "subjects": [{"attributes": [{"name": "iam_id", "value": iam_id}]}],
                "roles": [{"role_id": format!("crn:v1:bluemix:public:iam::::serviceRole:{role}")}],
                "resources": [{"attributes": attributes}]
            })),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
}

fn allowed(reply: &Reply) -> bool {
    match reply.status {
        StatusCode::FORBIDDEN => {
            assert_eq!(reason(reply), "FORBIDDEN_ERR", "{}", reply.body);
            false
        }
        status => {
            assert!(
                status.is_success() || status == StatusCode::CONFLICT,
                "{status}: {}",
                reply.body
            );
            true
        }
    }
}

/// Every role × every operation, asserting allow or deny (403 with the KP error body).
#[tokio::test]
async fn the_role_matrix_is_enforced_on_every_operation() {
    let server = Server::start().await;
    // (operation, Reader, ReaderPlus, Writer, Manager, KeyPurge)
    let matrix: [(&str, [bool; 5]); 18] = [
        ("list", [true, true, true, true, false]),
        ("metadata", [true, true, true, true, false]),
        ("get", [false, true, true, true, false]),
        ("versions", [true, true, true, true, false]),
        ("create", [false, false, true, true, false]),
        // A key's policies are a Manager's to set, at creation too.
        ("create_overriding", [false, false, false, true, false]),
        ("wrap", [true, true, true, true, false]),
        ("rotate", [false, false, true, true, false]),
        ("disable", [false, false, false, true, false]),
        ("sync", [false, false, true, true, false]),
        ("setKeyForDeletion", [false, false, true, true, false]),
        ("delete", [false, false, false, true, false]),
        ("purge", [false, false, false, false, true]),
        ("key_ring", [false, false, true, true, false]),
        ("policies", [false, false, false, true, false]),
        ("import_token", [false, false, true, true, false]),
        ("audit_events", [false, false, false, true, false]),
        ("activity", [false, false, false, true, false]),
    ];
    let roles = ["Reader", "ReaderPlus", "Writer", "Manager", "KeyPurge"];
    for (column, role) in roles.iter().enumerate() {
        let iam_id = format!("IBMid-{role}");
        let token = server.identity(&iam_id, None).await;
        grant(&server, &iam_id, role).await;
        // What `GET /api/v2/caller` tells the console must be what the server enforces.
        let caller = server
            .call_as(&token, Method::GET, "/api/v2/caller", None)
            .await;
        assert_eq!(caller.status, StatusCode::OK, "{}", caller.body);
        let caller = caller.body;
        assert_eq!(caller["iamId"], iam_id.as_str());
        assert_eq!(caller["grants"][0]["roles"], json!([role]));
        let offered = |action: &str| {
            caller["grants"][0]["actions"]
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == action)
        };
        for (operation, expected) in &matrix {
            let action = match *operation {
                "list" => "kms.secrets.list",
                "metadata" => "kms.secrets-metadata.read",
                "get" => "kms.secrets.read",
                "versions" => "kms.secrets-key-versions.list",
                "create" => "kms.secrets.create",
                "create_overriding" => "kms.policies.write",
                "wrap" => "kms.secrets.wrap",
                "rotate" => "kms.secrets.rotate",
                "disable" => "kms.secrets.disable",
                "sync" => "kms.secrets.sync",
                "setKeyForDeletion" => "kms.secrets.setkeyfordeletion",
                "delete" => "kms.secrets.delete",
                "purge" => "kms.secrets.purge",
                "key_ring" => "kms.key-rings.create",
                "policies" => "kms.policies.read",
                "import_token" => "kms.import-token.create",
                // Who may read the policies may read the audit trail and its counts.
                "audit_events" | "activity" => "kms.policies.read",
                other => panic!("no action for {other}"),
            };
            assert_eq!(offered(action), expected[column], "{role} / {action}");
        }
        for (operation, expected) in &matrix {
            let key = server.create_root_key(&format!("{role}-{operation}")).await;
            let (method, path, body) = match *operation {
                "list" => (Method::GET, "/api/v2/keys".to_owned(), None),
                "metadata" => (Method::GET, format!("/api/v2/keys/{key}/metadata"), None),
                "get" => (Method::GET, format!("/api/v2/keys/{key}"), None),
                "versions" => (Method::GET, format!("/api/v2/keys/{key}/versions"), None),
                "create" => (
                    Method::POST,
                    "/api/v2/keys".to_owned(),
                    Some(key_body("made-by")),
                ),
                "create_overriding" => (
                    Method::POST,
                    "/api/v2/keys_with_policy_overrides".to_owned(),
                    Some(
                        json!({"resources": [{
                            "name": "made-with-policies", "extractable": false,
                            "dualAuthDelete": {"enabled": true}
                        }]})
                        .to_string(),
                    ),
                ),
                "wrap" => (
                    Method::POST,
                    format!("/api/v2/keys/{key}/actions/wrap"),
                    Some("{}".into()),
                ),
                "rotate" => (
                    Method::POST,
                    format!("/api/v2/keys/{key}/actions/rotate"),
                    None,
                ),
                "disable" => (
                    Method::POST,
                    format!("/api/v2/keys/{key}/actions/disable"),
                    None,
                ),
                "sync" => (
                    Method::POST,
                    format!("/api/v2/keys/{key}/actions/sync"),
                    None,
                ),
                "setKeyForDeletion" => (
                    Method::POST,
                    format!("/api/v2/keys/{key}/actions/setKeyForDeletion"),
                    None,
                ),
                "delete" => (Method::DELETE, format!("/api/v2/keys/{key}"), None),
                "purge" => (Method::DELETE, format!("/api/v2/keys/{key}/purge"), None),
                "key_ring" => (Method::POST, format!("/api/v2/key_rings/ring-{role}"), None),
                "policies" => (Method::GET, format!("/api/v2/keys/{key}/policies"), None),
                "import_token" => (
                    Method::POST,
                    "/api/v2/import_token".to_owned(),
                    Some("{}".into()),
                ),
                "audit_events" => (Method::GET, "/api/v2/audit_events".to_owned(), None),
                "activity" => (Method::GET, "/api/v2/activity?hours=24".to_owned(), None),
                other => panic!("no request for {other}"),
            };
            let reply = server.call_as(&token, method, &path, body.as_deref()).await;
            assert_eq!(
                allowed(&reply),
                expected[column],
                "{role} / {operation}: {} {}",
                reply.status,
                reply.body
            );
        }
    }
    // Someone with no grant on the instance at all is refused before any key is looked at.
    let stranger = server.identity("IBMid-stranger", None).await;
    let reply = server
        .call_as(&stranger, Method::GET, "/api/v2/keys", None)
        .await;
    assert_eq!(reply.status, StatusCode::UNAUTHORIZED);
}

/// The seed's integration model: a source service may wrap only while an authorization
/// (Reader) exists; deleting it revokes at once; its use shows up as a registration.
#[tokio::test]
async fn a_service_wraps_only_while_its_authorization_exists() {
    let server = Server::start().await;
    let key = server.create_root_key("bucket-root").await;
    let cos = server
        .identity(
            "iam-ServiceId-cos-1",
            Some(("cloud-object-storage", "cos-instance-1")),
        )
        .await;
    let wrap_path = format!("/api/v2/keys/{key}/actions/wrap");
    let before = server
        .call_as(&cos, Method::POST, &wrap_path, Some("{}"))
        .await;
    assert_eq!(
        before.status,
        StatusCode::UNAUTHORIZED,
        "no authorization yet"
    );
    // "Test as this service" agrees with what the service meets, before and after.
    let check = |instance: &str| {
        json!({"sourceService": "cloud-object-storage", "sourceInstance": instance,
               "keyId": key, "action": "wrap"})
        .to_string()
    };
    let dry_run = server
        .call(
            Method::POST,
            "/api/v2/authorization_checks",
            Some(&check("cos-instance-1")),
        )
        .await;
    assert_eq!(dry_run.status, StatusCode::OK, "{}", dry_run.body);
    assert_eq!(dry_run.body["allowed"], false);
    assert!(dry_run.body["reason"]
        .as_str()
        .unwrap()
        .starts_with("No authorization lets cloud-object-storage (instance cos-instance-1) wrap"));
    let not_a_manager = server
        .call_as(
            &cos,
            Method::POST,
            "/api/v2/authorization_checks",
            Some(&check("cos-instance-1")),
        )
        .await;
    assert_eq!(not_a_manager.status, StatusCode::UNAUTHORIZED);
    let bad_action = server
        .call(
            Method::POST,
            "/api/v2/authorization_checks",
            Some(&json!({"sourceService": "cos", "keyId": key, "action": "purge"}).to_string()),
        )
        .await;
    assert_eq!(bad_action.status, StatusCode::BAD_REQUEST);

    let created = authorize(&server, "cloud-object-storage", "cos-instance-1").await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["roles"][0]["display_name"], "Reader");
    let id = created.body["id"].as_str().unwrap().to_owned();
    let etag = created.headers["etag"].to_str().unwrap().to_owned();
    let unused = server
        .iam_call(
            &server.token,
            Method::GET,
            "/v1/policies?account_id=local&type=authorization",
            None,
            None,
        )
        .await;
    assert_eq!(
        unused.body["policies"][0].get("last_used_at"),
        Some(&Value::Null),
        "sent, and not used yet: {}",
        unused.body
    );
    let before_use = time::OffsetDateTime::now_utc();

    let wrapped = server
        .call_as(&cos, Method::POST, &wrap_path, Some("{}"))
        .await;
    assert_eq!(wrapped.status, StatusCode::OK, "{}", wrapped.body);
    let dry_run = server
        .call(
            Method::POST,
            "/api/v2/authorization_checks",
            Some(&check("cos-instance-1")),
        )
        .await;
    assert_eq!(dry_run.body["allowed"], true, "{}", dry_run.body);
    assert_eq!(dry_run.body["authorizationId"], id.as_str());
    let other_instance = server
        .call(
            Method::POST,
            "/api/v2/authorization_checks",
            Some(&check("cos-instance-2")),
        )
        .await;
    assert_eq!(
        other_instance.body["allowed"], false,
        "the authorization names one instance"
    );
    let ciphertext = wrapped.body["ciphertext"].as_str().unwrap().to_owned();
    let unwrap_path = format!("/api/v2/keys/{key}/actions/unwrap");
    let unwrapped = server
        .call_as(
            &cos,
            Method::POST,
            &unwrap_path,
            Some(&json!({ "ciphertext": ciphertext }).to_string()),
        )
        .await;
    assert_eq!(unwrapped.status, StatusCode::OK);
    for (method, path) in [
        (Method::POST, format!("/api/v2/keys/{key}/actions/rotate")),
        (Method::DELETE, format!("/api/v2/keys/{key}")),
        (Method::GET, format!("/api/v2/keys/{key}/policies")),
    ] {
        let reply = server.call_as(&cos, method, &path, None).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{path}: {}",
            reply.body
        );
    }

    // The wrap registered the bucket against the key; a plain delete is refused.
    let registrations = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{key}/registrations"),
            None,
        )
        .await;
    let crn = registrations.body["resources"][0]["resourceCrn"]
        .as_str()
        .unwrap();
    assert!(
        crn.contains("cloud-object-storage") && crn.contains("cos-instance-1"),
        "{crn}"
    );
    // Key Protect's filters and paging, as its clients send them, on both listings.
    for listing in [
        format!("/api/v2/keys/{key}/registrations"),
        "/api/v2/keys/registrations".to_owned(),
    ] {
        for (query, listed, total) in [
            ("urlEncodedResourceCRNQuery=*cos-instance-1*", 1, 1),
            ("urlEncodedResourceCRNQuery=*cos-instance-2*", 0, 0),
            ("urlEncodedResourceCRNQuery=crn:v1:*", 1, 1),
            // Encoded twice, as IBM's SDK tests send an encoded CRN through the SDK.
            ("urlEncodedResourceCRNQuery=crn%253Av1%253A*", 1, 1),
            ("urlEncodedResourceCRNQuery=crn%253Av2%253A*", 0, 0),
            ("preventKeyDeletion=true", 0, 0),
            ("preventKeyDeletion=false", 1, 1),
            ("offset=1", 0, 1),
            ("limit=0", 0, 1),
        ] {
            let reply = server
                .call(
                    Method::GET,
                    &format!("{listing}?totalCount=true&{query}"),
                    None,
                )
                .await;
            assert_eq!(
                reply.status,
                StatusCode::OK,
                "{listing}?{query}: {}",
                reply.body
            );
            let resources = reply.body["resources"].as_array().unwrap();
            assert_eq!(resources.len(), listed, "{listing}?{query}");
            assert_eq!(
                reply.body["metadata"]["totalCount"], total,
                "{listing}?{query}"
            );
        }
        let refused = server
            .call(Method::GET, &format!("{listing}?limit=5001"), None)
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST);
        assert_eq!(reason(&refused), "INVALID_QUERY_PARAM_ERR");
    }
    let refused = server
        .call(Method::DELETE, &format!("/api/v2/keys/{key}"), None)
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert_eq!(reason(&refused), "PROTECTED_RESOURCE_ERR");

    // Read, list, and the ETag guard on replace.
    let listed = server
        .iam_call(
            &server.token,
            Method::GET,
            "/v1/policies?account_id=local&type=authorization",
            None,
            None,
        )
        .await;
    assert_eq!(listed.body["policies"].as_array().unwrap().len(), 1);
    // The console shows when the authorization was last used: the wrap and unwrap above.
    let last_used = listed.body["policies"][0]["last_used_at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let last_used =
        time::OffsetDateTime::parse(&last_used, &time::format_description::well_known::Rfc3339);
    assert!(
        last_used.is_ok_and(|at| at >= before_use - time::Duration::seconds(1)),
        "last used at the wrap or unwrap above: {:?}",
        listed.body["policies"][0]
    );
    let one = server
        .iam_call(
            &server.token,
            Method::GET,
            &format!("/v1/policies/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(
        one.body["last_used_at"], listed.body["policies"][0]["last_used_at"],
        "the single policy says the same"
    );
    let stale = server
        .iam_call(
            &server.token,
            Method::PUT,
            &format!("/v1/policies/{id}"),
            Some(created.body.clone()),
            Some("\"7\""),
        )
        .await;
    assert_eq!(
        stale.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        stale.body
    );
    // ETags are opaque: one that was never ours is as stale as an old one, not a bad request.
    let foreign = server
        .iam_call(
            &server.token,
            Method::PUT,
            &format!("/v1/policies/{id}"),
            Some(created.body.clone()),
            Some("\"not-one-of-ours\""),
        )
        .await;
    assert_eq!(
        foreign.status,
        StatusCode::PRECONDITION_FAILED,
        "{}",
        foreign.body
    );
    let replaced = server
        .iam_call(
            &server.token,
            Method::PUT,
            &format!("/v1/policies/{id}"),
            Some(created.body.clone()),
            Some(&etag),
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);

    let deleted = server
        .iam_call(
            &server.token,
            Method::DELETE,
            &format!("/v1/policies/{id}"),
            None,
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let after = server
        .call_as(&cos, Method::POST, &wrap_path, Some("{}"))
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED, "revoked at once");

    // Only a Manager may manage policies.
    let reader = server.identity("IBMid-reader", None).await;
    grant(&server, "IBMid-reader", "Reader").await;
    let denied = server
        .iam_call(
            &reader,
            Method::POST,
            "/v1/policies",
            Some(created.body.clone()),
            None,
        )
        .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN, "{}", denied.body);
    assert!(denied.body["errors"][0]["code"].is_string());
    let roles = server
        .iam_call(
            &server.token,
            Method::GET,
            "/v2/roles?service_name=kms",
            None,
            None,
        )
        .await;
    assert_eq!(roles.body["service_roles"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn dual_authorization_delete_needs_two_people_and_purge_waits_four_hours() {
    let server = Server::start().await;
    let key = server.create_root_key("two-person").await;
    let set = server
        .call(
            Method::PUT,
            &format!("/api/v2/keys/{key}/policies?policy=dualAuthDelete"),
            Some(&policy_body(json!({"type": "application/vnd.ibm.kms.policy+json", "dualAuthDelete": {"enabled": true}}))),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    assert_eq!(set.body["resources"][0]["dualAuthDelete"]["enabled"], true);

    let delete_path = format!("/api/v2/keys/{key}");
    let early = server.call(Method::DELETE, &delete_path, None).await;
    assert_eq!(reason(&early), "AUTHORIZATIONS_NOT_MET");
    let first = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{key}/actions/setKeyForDeletion"),
            None,
        )
        .await;
    assert_eq!(first.status, StatusCode::NO_CONTENT);
    let same_person = server.call(Method::DELETE, &delete_path, None).await;
    assert_eq!(
        reason(&same_person),
        "AUTHORIZATIONS_NOT_MET",
        "the second person must differ"
    );
    let metadata = server
        .call(Method::GET, &format!("/api/v2/keys/{key}/metadata"), None)
        .await;
    assert_eq!(
        metadata.body["resources"][0]["dualAuthDelete"]["keySetForDeletion"],
        true
    );

    let bob = server.identity("IBMid-bob", None).await;
    grant(&server, "IBMid-bob", "Manager").await;
    let deleted = server
        .call_as(&bob, Method::DELETE, &delete_path, None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);

    let purger = server.identity("IBMid-purger", None).await;
    grant(&server, "IBMid-purger", "KeyPurge").await;
    let purge_path = format!("/api/v2/keys/{key}/purge");
    let too_early = server
        .call_as(&purger, Method::DELETE, &purge_path, None)
        .await;
    assert_eq!(too_early.status, StatusCode::CONFLICT);
    assert_eq!(reason(&too_early), "KEY_PURGE_TOO_EARLY_ERR");
    let manager_purge = server.call(Method::DELETE, &purge_path, None).await;
    assert_eq!(
        manager_purge.status,
        StatusCode::FORBIDDEN,
        "Manager alone cannot purge"
    );
    server.clock.advance(time::Duration::hours(4));
    let purged = server
        .call_as(&purger, Method::DELETE, &purge_path, None)
        .await;
    assert_eq!(purged.status, StatusCode::OK, "{}", purged.body);
    let gone = server
        .call(Method::GET, &format!("/api/v2/keys/{key}/metadata"), None)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    // A key without the policy answers NOT_DUAL_AUTH_ERR.
    let plain = server.create_root_key("one-person").await;
    let reply = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{plain}/actions/unsetKeyForDeletion"),
            None,
        )
        .await;
    assert_eq!(reason(&reply), "NOT_DUAL_AUTH_ERR");
}

#[tokio::test]
async fn instance_policies_are_inherited_by_new_keys() {
    let server = Server::start().await;
    let reply = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies?policy=dualAuthDelete",
            Some(&policy_body(
                json!({"policy_type": "dualAuthDelete", "policy_data": {"enabled": true}}),
            )),
        )
        .await;
    assert_eq!(reply.status, StatusCode::NO_CONTENT, "{}", reply.body);
    let rotation = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies",
            Some(&policy_body(json!({"policy_type": "rotation", "policy_data": {"enabled": true, "attributes": {"interval_month": 3}}}))),
        )
        .await;
    assert_eq!(rotation.status, StatusCode::NO_CONTENT, "{}", rotation.body);
    let bad = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies?policy=rotation",
            Some(&policy_body(json!({"policy_type": "rotation", "policy_data": {"enabled": true, "attributes": {"interval_month": 13}}}))),
        )
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let mismatch = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies?policy=metrics",
            Some(&policy_body(
                json!({"policy_type": "rotation", "policy_data": {"enabled": false}}),
            )),
        )
        .await;
    assert_eq!(reason(&mismatch), "BODY_QUERY_PARAM_MISMATCH_ERR");
    let listed = server
        .call(Method::GET, "/api/v2/instance/policies", None)
        .await;
    assert_eq!(
        listed.body["resources"].as_array().unwrap().len(),
        2,
        "{}",
        listed.body
    );

    let key = server.create_root_key("inherits").await;
    let metadata = server
        .call(Method::GET, &format!("/api/v2/keys/{key}/metadata"), None)
        .await;
    let resource = &metadata.body["resources"][0];
    assert_eq!(resource["dualAuthDelete"]["enabled"], true);
    assert_eq!(resource["rotation"]["interval_month"], 3);

    // The instance's policies are read and written under their own action names, refusals
    // included, apart from the key policies' kms.policies.*. (The refusal the HTTP layer gives
    // before the keystore is asked, the mismatched `?policy=`, is not a call on the keystore.)
    for (action, successes, failures) in [
        ("kms.instance-policies.write", 2, 1),
        ("kms.instance-policies.read", 1, 0),
    ] {
        let trail = server
            .call(
                Method::GET,
                &format!("/api/v2/audit_events?action={action}"),
                None,
            )
            .await;
        let outcomes: Vec<String> = trail.body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|event| event["outcome"].as_str().unwrap_or_default().to_owned())
            .collect();
        let succeeded = outcomes.iter().filter(|o| *o == "success").count();
        assert_eq!(
            (succeeded, outcomes.len() - succeeded),
            (successes, failures),
            "{action}: {outcomes:?}"
        );
    }
}

#[tokio::test]
async fn a_caller_who_may_not_use_a_key_cannot_tell_whether_it_exists() {
    let server = Server::start().await;
    let key = server.create_root_key("exists").await;
    let purger = server.identity("IBMid-purger", None).await;
    grant(&server, "IBMid-purger", "KeyPurge").await;
    let missing = "00000000-0000-4000-8000-000000000000";
    for (method, path, body) in [
        (Method::GET, "/api/v2/keys/{}/metadata", None),
        (Method::POST, "/api/v2/keys/{}/actions/wrap", Some("{}")),
        (Method::POST, "/api/v2/keys/{}/actions/disable", None),
    ] {
        let mut answers = Vec::new();
        for id in [key.as_str(), missing, "no-such-alias"] {
            let reply = server
                .call_as(&purger, method.clone(), &path.replace("{}", id), body)
                .await;
            answers.push((reply.status, reason(&reply).to_owned()));
        }
        assert!(
            answers
                .iter()
                .all(|answer| *answer == (StatusCode::FORBIDDEN, "FORBIDDEN_ERR".to_owned())),
            "{method} {path}: {answers:?}"
        );
    }
    // Whoever may use every key of the instance is told plainly that one is not there.
    let reply = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{missing}/metadata"),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", reply.body);
}

#[tokio::test]
async fn an_alias_is_recorded_as_added_by_whoever_added_it() {
    let server = Server::start().await;
    let writer = server.identity("IBMid-writer", None).await;
    grant(&server, "IBMid-writer", "Writer").await;
    let created = server
        .call_as(
            &writer,
            Method::POST,
            "/api/v2/keys",
            Some(&key_body("writers-key")),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let key = created.body["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{key}/aliases/added-by-admin"),
            None,
        )
        .await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let admin = server.call(Method::GET, "/api/v2/caller", None).await;
    let admin = admin.body["iamId"].as_str().unwrap().to_owned();
    assert_ne!(admin, "IBMid-writer");
    for reply in [
        added,
        server.call(Method::GET, "/api/v2/aliases", None).await,
    ] {
        let alias = reply.body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["alias"] == "added-by-admin")
            .cloned()
            .unwrap_or_else(|| panic!("no alias in {}", reply.body));
        assert_eq!(alias["createdBy"], admin.as_str(), "{alias}");
    }
}

#[tokio::test]
async fn a_key_policy_request_changes_only_the_policy_it_names() {
    let server = Server::start().await;
    let key = server.create_root_key("named-policies").await;
    let policies = format!("/api/v2/keys/{key}/policies");
    // `?policy=rotation` with a dual-authorization body: turning that on cannot be undone, and
    // the answer, filtered to rotation, would not have shown it.
    let mismatched = server
        .call(
            Method::PUT,
            &format!("{policies}?policy=rotation"),
            Some(&policy_body(json!({"dualAuthDelete": {"enabled": true}}))),
        )
        .await;
    assert_eq!(
        reason(&mismatched),
        "BODY_QUERY_PARAM_MISMATCH_ERR",
        "{}",
        mismatched.body
    );
    let now = server.call(Method::GET, &policies, None).await;
    assert_eq!(now.status, StatusCode::OK, "{}", now.body);
    assert!(
        now.body["resources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["dualAuthDelete"]["enabled"] == false),
        "{}",
        now.body
    );

    // Key Protect's Go client turns a rotation policy off and on with `{"enabled": …}` alone.
    let without_interval = policy_body(json!({"rotation": {"enabled": true}}));
    let refused = server
        .call(Method::PUT, &policies, Some(&without_interval))
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
    assert!(
        refused.body["resources"][0]["errorMsg"]
            .to_string()
            .contains("no rotation policy"),
        "{}",
        refused.body
    );
    let set = server
        .call(
            Method::PUT,
            &policies,
            Some(&policy_body(
                json!({"rotation": {"enabled": true, "interval_month": 4}}),
            )),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    for enabled in [false, true] {
        let toggled = server
            .call(
                Method::PUT,
                &format!("{policies}?policy=rotation"),
                Some(&policy_body(json!({"rotation": {"enabled": enabled}}))),
            )
            .await;
        assert_eq!(toggled.status, StatusCode::OK, "{}", toggled.body);
        assert_eq!(
            toggled.body["resources"][0]["rotation"],
            json!({"enabled": enabled, "interval_month": 4})
        );
    }
}

#[tokio::test]
async fn a_policy_type_nobody_knows_is_named_in_a_400_not_answered_with_nothing() {
    let server = Server::start().await;
    let key = server.create_root_key("asked-about").await;
    let set = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies?policy=metrics",
            Some(&policy_body(
                json!({"policy_type": "metrics", "policy_data": {"enabled": true}}),
            )),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{}", set.body);
    for path in [
        "/api/v2/instance/policies?policy=garbage".to_owned(),
        format!("/api/v2/keys/{key}/policies?policy=garbage"),
        // An instance policy type is not a key policy type.
        format!("/api/v2/keys/{key}/policies?policy=metrics"),
    ] {
        let reply = server.call(Method::GET, &path, None).await;
        assert_eq!(
            reply.status,
            StatusCode::BAD_REQUEST,
            "{path}: {}",
            reply.body
        );
        assert_eq!(reason(&reply), "INVALID_QUERY_PARAM_ERR", "{path}");
        let message = reply.body["resources"][0]["errorMsg"].to_string();
        assert!(message.contains("rotation"), "{path}: {message}");
    }
    let put = server
        .call(
            Method::PUT,
            "/api/v2/instance/policies?policy=garbage",
            Some(&policy_body(
                json!({"policy_type": "garbage", "policy_data": {"enabled": true}}),
            )),
        )
        .await;
    assert_eq!(reason(&put), "INVALID_QUERY_PARAM_ERR");

    // The names are Key Protect's, in any case, and a known type still filters.
    let metrics = server
        .call(
            Method::GET,
            "/api/v2/instance/policies?policy=METRICS",
            None,
        )
        .await;
    assert_eq!(metrics.status, StatusCode::OK, "{}", metrics.body);
    let resources = metrics.body["resources"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(resources.len(), 1, "{}", metrics.body);
    assert_eq!(resources[0]["policy_type"], "metrics");
    let dual = server
        .call(
            Method::GET,
            &format!("/api/v2/keys/{key}/policies?policy=dualauthdelete"),
            None,
        )
        .await;
    assert_eq!(dual.status, StatusCode::OK, "{}", dual.body);
    assert_eq!(
        dual.body["resources"][0]["dualAuthDelete"]["enabled"],
        false
    );
}

#[tokio::test]
async fn network_policies_are_kept_only_in_the_shape_key_protect_accepts() {
    let server = Server::start().await;
    for (policy_type, attributes, accepted) in [
        (
            "allowedIP",
            json!({"allowed_ip": ["10.9.9.0/24", "2001:db8::/32"]}),
            true,
        ),
        ("allowedIP", json!({"allowed_ip": ["not-a-cidr"]}), false),
        ("allowedIP", json!({"allowed_ip": ["10.0.0.0/33"]}), false),
        ("allowedIP", json!({"allowed_ip": []}), false),
        (
            "allowedNetwork",
            json!({"allowed_network": "private-only"}),
            true,
        ),
        ("allowedNetwork", json!({"allowed_network": "bogus"}), false),
    ] {
        let reply = server
            .call(
                Method::PUT,
                &format!("/api/v2/instance/policies?policy={policy_type}"),
                Some(&policy_body(json!({
                    "policy_type": policy_type,
                    "policy_data": {"enabled": true, "attributes": attributes}
                }))),
            )
            .await;
        let expected = if accepted {
            StatusCode::NO_CONTENT
        } else {
            StatusCode::BAD_REQUEST
        };
        assert_eq!(
            reply.status, expected,
            "{policy_type} {attributes}: {}",
            reply.body
        );
    }
}

#[tokio::test]
async fn key_rings_and_aliases_work_in_place_of_ids() {
    let server = Server::start().await;
    let created = server
        .call(Method::POST, "/api/v2/key_rings/payments", None)
        .await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(
        created.body,
        Value::Null,
        "the Go client wants an empty 201"
    );
    let duplicate = server
        .call(Method::POST, "/api/v2/key_rings/payments", None)
        .await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);

    let body = json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
        "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": "card-data",
                       "extractable": false, "aliases": ["cards"]}]
    });
    let request = axum::http::Request::builder()
        .method(Method::POST)
        .uri("/api/v2/keys")
        .header("authorization", format!("Bearer {}", server.token))
        .header("bluemix-instance", INSTANCE)
        .header("x-kms-key-ring", "payments")
        .body(axum::body::Body::from(body.to_string()))
        .unwrap();
    let key = server.raw(request).await;
    assert_eq!(key.status, StatusCode::CREATED, "{}", key.body);
    assert_eq!(key.body["resources"][0]["keyRingID"], "payments");
    let id = key.body["resources"][0]["id"].as_str().unwrap().to_owned();

    let by_alias = server
        .call(Method::POST, "/api/v2/keys/cards/actions/wrap", Some("{}"))
        .await;
    assert_eq!(by_alias.status, StatusCode::OK, "{}", by_alias.body);
    let alias = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{id}/aliases/card-data-v2"),
            None,
        )
        .await;
    assert_eq!(alias.status, StatusCode::CREATED, "{}", alias.body);
    assert_eq!(alias.body["resources"][0]["alias"], "card-data-v2");
    let other = server.create_root_key("other").await;
    let taken = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{other}/aliases/cards"),
            None,
        )
        .await;
    assert_eq!(reason(&taken), "KEY_ALIAS_NOT_UNIQUE_ERR");
    let reserved = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{other}/aliases/versions"),
            None,
        )
        .await;
    assert_eq!(reserved.status, StatusCode::BAD_REQUEST);
    let removed = server
        .call(
            Method::DELETE,
            &format!("/api/v2/keys/{id}/aliases/cards"),
            None,
        )
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    assert_eq!(removed.body, Value::Null);
    let stale = server
        .call(Method::GET, "/api/v2/keys/cards/metadata", None)
        .await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);

    let in_use = server
        .call(Method::DELETE, "/api/v2/key_rings/payments", None)
        .await;
    assert_eq!(reason(&in_use), "KEY_RING_NOT_EMPTY_ERR");
    assert!(
        in_use.body["resources"][0]["errorMsg"]
            .to_string()
            .contains(r#"the key ring \"payments\" still holds 1 key"#),
        "{}",
        in_use.body
    );
    let moved = server
        .call(
            Method::PATCH,
            &format!("/api/v2/keys/{id}"),
            Some(r#"{"keyRingID":"default"}"#),
        )
        .await;
    assert_eq!(
        moved.body["resources"][0]["keyRingID"], "default",
        "{}",
        moved.body
    );
    let rings = server.call(Method::GET, "/api/v2/key_rings", None).await;
    assert_eq!(rings.body["resources"].as_array().unwrap().len(), 2);
    let gone = server
        .call(Method::DELETE, "/api/v2/key_rings/payments", None)
        .await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let default = server
        .call(Method::DELETE, "/api/v2/key_rings/default", None)
        .await;
    assert_eq!(default.status, StatusCode::CONFLICT);
}

/// The audit trail names the TCP peer of a Key Protect call and of an IAM policy change, with
/// the request's correlation id; a forwarded-for header the caller wrote changes nothing.
#[tokio::test]
async fn the_trail_names_the_peer_of_kms_calls_and_policy_changes() {
    use axum::body::Body;
    use axum::extract::ConnectInfo;
    use axum::http::{header, Request};
    use strongroom_store::AuditQuery;

    let server = Server::start().await;
    let peer: std::net::SocketAddr = "192.0.2.7:50123".parse().unwrap();
    let from_peer = |builder: axum::http::request::Builder, body: Body| {
        let mut request = builder
            .header(header::AUTHORIZATION, format!("Bearer {}", server.token))
            .header("x-forwarded-for", "203.0.113.99")
            .header("correlation-id", "peer-test")
            .body(body)
            .unwrap();
        request.extensions_mut().insert(ConnectInfo(peer));
        request
    };
    let listed = server
        .raw(from_peer(
            Request::get("/api/v2/keys").header("bluemix-instance", INSTANCE),
            Body::empty(),
        ))
        .await;
    assert_eq!(listed.status, StatusCode::OK);
    let policy = json!({
        "type": "authorization",
        "subjects": [{"attributes": [{"name": "serviceName", "value": "cloud-object-storage"}]}],
        "roles": [{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Reader"}],
        "resources": [{"attributes": [
            {"name": "serviceName", "value": "kms", "operator": "stringEquals"},
            {"name": "serviceInstance", "value": INSTANCE, "operator": "stringEquals"}
        ]}]
    });
    let created = server
        .raw(from_peer(
            Request::post("/v1/policies").header(header::CONTENT_TYPE, "application/json"),
            Body::from(policy.to_string()),
        ))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);

    for action in ["kms.secrets.list", "iam.policy.create"] {
        let events = server
            .store
            .audit_events(&AuditQuery {
                action_prefix: Some(action.into()),
                correlation_id: Some("peer-test".into()),
                limit: 10,
                ..AuditQuery::default()
            })
            .unwrap();
        let event = &events
            .first()
            .unwrap_or_else(|| panic!("no {action} event"))
            .event;
        assert_eq!(
            event.source, "192.0.2.7",
            "{action}: the TCP peer, not the header"
        );
    }
}

/// A Reader authorization for `service`'s instance `instance` on the whole instance.
async fn authorize(server: &Server, service: &str, instance: &str) -> Reply {
    let reply = server
        .iam_call(
            &server.token,
            Method::POST,
            "/v1/policies",
            Some(json!({
                "type": "authorization",
                "subjects": [{"attributes": [
                    {"name": "accountId", "value": "local"},
                    {"name": "serviceName", "value": service},
                    {"name": "serviceInstance", "value": instance}
                ]}],
                "roles": [{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Reader"}],
                "resources": [{"attributes": [
                    {"name": "accountId", "value": "local", "operator": "stringEquals"},
                    {"name": "serviceName", "value": "kms", "operator": "stringEquals"},
                    {"name": "serviceInstance", "value": INSTANCE, "operator": "stringEquals"}
                ]}]
            })),
            None,
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.body);
    reply
}

fn registration_body(resource: Value) -> String {
    json!({
        "metadata": {"collectionType": "application/vnd.ibm.kms.registration_input+json", "collectionTotal": 1},
        "resources": [resource]
    })
    .to_string()
}

/// The CRN as a path segment, encoded as Key Protect's clients encode it.
fn encoded(crn: &str) -> String {
    crn.replace(':', "%3A").replace('/', "%2F")
}

#[tokio::test]
async fn a_service_registers_its_resources_and_a_retention_hold_stops_deletion() {
    let server = Server::start().await;
    let key = server.create_root_key("invoices-root").await;
    let standard = server
        .call(
            Method::POST,
            "/api/v2/keys",
            Some(
                &json!({
                    "metadata": {"collectionType": "application/vnd.ibm.kms.key+json", "collectionTotal": 1},
                    "resources": [{"type": "application/vnd.ibm.kms.key+json", "name": "payload", "extractable": true}]
                })
                .to_string(),
            ),
        )
        .await;
    let standard = standard.body["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cos = server
        .identity(
            "iam-ServiceId-cos-1",
            Some(("cloud-object-storage", "cos-1")),
        )
        .await;
    let pg = server
        .identity(
            "iam-ServiceId-pg-1",
            Some(("databases-for-postgresql", "pg-1")),
        )
        .await;
    authorize(&server, "cloud-object-storage", "cos-1").await;
    authorize(&server, "databases-for-postgresql", "pg-1").await;
    let bucket = "crn:v1:bluemix:public:cloud-object-storage:global:a/local:cos-1:bucket:invoices";
    let path = |key: &str, crn: &str| format!("/api/v2/keys/{key}/registrations/{}", encoded(crn));
    let held = registration_body(json!({
        "description": "Invoices, kept seven years",
        "preventKeyDeletion": true,
        "registrationMetadata": "worm=2032-12-01"
    }));

    // Who may register what.
    let person = server
        .call(Method::POST, &path(&key, bucket), Some(&held))
        .await;
    assert_eq!(person.status, StatusCode::FORBIDDEN, "{}", person.body);
    assert_eq!(reason(&person), "SERVICE_ONLY_ERR");
    for (crn, status) in [
        (
            "crn:v1:bluemix:public:databases-for-postgresql:global:a/local:cos-1::",
            StatusCode::FORBIDDEN,
        ),
        (
            "crn:v1:bluemix:public:cloud-object-storage:global:a/local:cos-2:bucket:x",
            StatusCode::FORBIDDEN,
        ),
        ("not-a-crn", StatusCode::BAD_REQUEST),
    ] {
        let refused = server
            .call_as(&cos, Method::POST, &path(&key, crn), Some(&held))
            .await;
        assert_eq!(refused.status, status, "{crn}: {}", refused.body);
    }
    let on_standard = server
        .call_as(&cos, Method::POST, &path(&standard, bucket), Some(&held))
        .await;
    assert_eq!(on_standard.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reason(&on_standard), "KEY_ROOT_REQ_REG_ERR");

    // Create, then the same again.
    let created = server
        .call_as(&cos, Method::POST, &path(&key, bucket), Some(&held))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let registration = &created.body["resources"][0];
    assert_eq!(registration["resourceCrn"], bucket);
    assert_eq!(registration["createdBy"], "iam-ServiceId-cos-1");
    assert_eq!(registration["preventKeyDeletion"], true);
    assert_eq!(registration["registrationMetadata"], "worm=2032-12-01");
    let again = server
        .call_as(&cos, Method::POST, &path(&key, bucket), Some(&held))
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    let absent = server
        .call_as(
            &cos,
            Method::PATCH,
            &path(
                &key,
                "crn:v1:bluemix:public:cloud-object-storage:global:a/local:cos-1:bucket:other",
            ),
            Some(&held),
        )
        .await;
    assert_eq!(absent.status, StatusCode::NOT_FOUND, "{}", absent.body);

    // People see the registration without the service's own notes; another service sees
    // nothing of it; the registering service sees its notes.
    let listing = format!("/api/v2/keys/{key}/registrations");
    let seen = server.call(Method::GET, &listing, None).await;
    assert_eq!(
        seen.body["resources"][0]["description"],
        "Invoices, kept seven years"
    );
    assert_eq!(seen.body["resources"][0]["preventKeyDeletion"], true);
    assert!(seen.body["resources"][0]
        .get("registrationMetadata")
        .is_none());
    let held_only = server
        .call(
            Method::GET,
            &format!("{listing}?preventKeyDeletion=true&totalCount=true"),
            None,
        )
        .await;
    assert_eq!(held_only.body["metadata"]["totalCount"], 1);
    for other in [listing.clone(), "/api/v2/keys/registrations".to_owned()] {
        let unseen = server.call_as(&pg, Method::GET, &other, None).await;
        assert_eq!(unseen.status, StatusCode::OK, "{}", unseen.body);
        assert_eq!(
            unseen.body["resources"].as_array().unwrap().len(),
            0,
            "{other}"
        );
    }
    let own = server.call_as(&cos, Method::GET, &listing, None).await;
    assert_eq!(
        own.body["resources"][0]["registrationMetadata"],
        "worm=2032-12-01"
    );

    // The hold stops even a forced delete; lifting it leaves a plain registration.
    let forced = server
        .call(
            Method::DELETE,
            &format!("/api/v2/keys/{key}?force=true"),
            None,
        )
        .await;
    assert_eq!(forced.status, StatusCode::CONFLICT, "{}", forced.body);
    assert_eq!(reason(&forced), "PREV_KEY_DEL_ERR");
    // Encoded twice, as a client that encodes the CRN before its HTTP library does sends it.
    let lifted = server
        .call_as(
            &cos,
            Method::PATCH,
            &path(&key, bucket).replace('%', "%25"),
            Some(&registration_body(json!({"preventKeyDeletion": false}))),
        )
        .await;
    assert_eq!(lifted.status, StatusCode::OK, "{}", lifted.body);
    assert_eq!(lifted.body["resources"][0]["preventKeyDeletion"], false);
    assert_eq!(
        lifted.body["resources"][0]["description"],
        "Invoices, kept seven years"
    );
    assert_eq!(
        lifted.body["resources"][0]["registrationMetadata"],
        "worm=2032-12-01"
    );
    let plain = server
        .call(Method::DELETE, &format!("/api/v2/keys/{key}"), None)
        .await;
    assert_eq!(reason(&plain), "PROTECTED_RESOURCE_ERR");
    let replaced = server
        .call_as(
            &cos,
            Method::PUT,
            &path(&key, bucket),
            Some(&registration_body(json!({"description": "Invoices"}))),
        )
        .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    assert_eq!(replaced.body["resources"][0]["description"], "Invoices");
    assert!(replaced.body["resources"][0]
        .get("registrationMetadata")
        .is_none());

    // A suspended key takes no new registration details but lets a service remove one.
    let disabled = server
        .call(
            Method::POST,
            &format!("/api/v2/keys/{key}/actions/disable"),
            None,
        )
        .await;
    assert!(disabled.status.is_success(), "{}", disabled.body);
    let frozen = server
        .call_as(&cos, Method::PATCH, &path(&key, bucket), Some(&held))
        .await;
    assert_eq!(frozen.status, StatusCode::CONFLICT, "{}", frozen.body);
    let removed = server
        .call_as(&cos, Method::DELETE, &path(&key, bucket), None)
        .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT, "{}", removed.body);
    let gone = server
        .call_as(&cos, Method::DELETE, &path(&key, bucket), None)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
    let deleted = server
        .call(Method::DELETE, &format!("/api/v2/keys/{key}"), None)
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT, "{}", deleted.body);

    // A hold whose service has gone is lifted by a person who may delete the key, and only
    // by such a person.
    let kept = server.create_root_key("kept-root").await;
    let written = server
        .call_as(&cos, Method::POST, &path(&kept, bucket), Some(&held))
        .await;
    assert_eq!(written.status, StatusCode::CREATED, "{}", written.body);
    let reader = server.identity("IBMid-reader", None).await;
    grant(&server, "IBMid-reader", "Reader").await;
    let not_a_manager = server
        .call_as(&reader, Method::DELETE, &path(&kept, bucket), None)
        .await;
    assert_eq!(
        not_a_manager.status,
        StatusCode::FORBIDDEN,
        "{}",
        not_a_manager.body
    );
    let by_manager = server
        .call(Method::DELETE, &path(&kept, bucket), None)
        .await;
    assert_eq!(
        by_manager.status,
        StatusCode::NO_CONTENT,
        "{}",
        by_manager.body
    );
    let freed = server
        .call(Method::DELETE, &format!("/api/v2/keys/{kept}"), None)
        .await;
    assert_eq!(freed.status, StatusCode::NO_CONTENT, "{}", freed.body);

    // Every write is in the trail under Key Protect's action names, refusals included.
    for (action, successes, failures) in [
        ("kms.registrations.create", 2, 6),
        ("kms.registrations.merge", 1, 2),
        ("kms.registrations.write", 1, 0),
        ("kms.registrations.delete", 2, 2),
    ] {
        let trail = server
            .call(
                Method::GET,
                &format!("/api/v2/audit_events?action={action}"),
                None,
            )
            .await;
        let events = trail.body["resources"].as_array().unwrap();
        let succeeded: Vec<&Value> = events
            .iter()
            .filter(|event| event["outcome"] == "success")
            .collect();
        assert_eq!(
            (succeeded.len(), events.len() - succeeded.len()),
            (successes, failures),
            "{action}: {events:?}"
        );
        assert!(
            succeeded
                .iter()
                .any(|event| event["initiator"] == "iam-ServiceId-cos-1"),
            "{action}: {events:?}"
        );
    }
}

/// `/api/v2/clock`: anyone who may list keys reads it; only a Manager moves it, and only on a
/// server started to allow it. Refusals are audited like any other.
#[tokio::test]
async fn only_a_manager_moves_a_virtual_clock_and_only_where_the_server_allows_it() {
    let server = Server::start_with_virtual_clock().await;
    let writer = server.identity("IBMid-writer", None).await;
    grant(&server, "IBMid-writer", "Writer").await;
    let stranger = server.identity("IBMid-stranger", None).await;
    let advance = |token: String, by: &'static str| {
        let server = &server;
        async move {
            let body = json!({ "by": by }).to_string();
            server
                .call_as(&token, Method::POST, "/api/v2/clock", Some(&body))
                .await
        }
    };

    let read = server
        .call_as(&writer, Method::GET, "/api/v2/clock", None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);
    assert_eq!(read.body["offsetSeconds"], 0);
    assert_eq!(read.body["advanceable"], true);
    let read = server
        .call_as(&stranger, Method::GET, "/api/v2/clock", None)
        .await;
    assert_eq!(read.status, StatusCode::UNAUTHORIZED, "{}", read.body);
    // A Reader of one key ring lists keys too, so reads the time their rules run on.
    let ring_reader = server.identity("IBMid-ring-reader", None).await;
    grant_in(&server, "IBMid-ring-reader", "Reader", Some("default")).await;
    let read = server
        .call_as(&ring_reader, Method::GET, "/api/v2/clock", None)
        .await;
    assert_eq!(read.status, StatusCode::OK, "{}", read.body);

    let refused = advance(writer.clone(), "1h").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(reason(&refused), "FORBIDDEN_ERR");
    let moved = advance(server.token.clone(), "1h").await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["offsetSeconds"], 3_600);
    let read = server
        .call_as(&writer, Method::GET, "/api/v2/clock", None)
        .await;
    assert_eq!(
        read.body["offsetSeconds"], 3_600,
        "the Writer's call moved nothing"
    );

    let trail = server
        .call(
            Method::GET,
            "/api/v2/audit_events?action=strongroom.clock.advance",
            None,
        )
        .await;
    let rows: Vec<(&str, &str, &str)> = trail.body["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            (
                event["initiator"].as_str().unwrap(),
                event["target"].as_str().unwrap(),
                event["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(rows.len(), 2, "{}", trail.body);
    assert_eq!(rows[1].0, "IBMid-writer");
    assert_eq!(rows[1].1, "+3600s");
    assert_ne!(rows[1].2, "success");
    assert_eq!((rows[0].1, rows[0].2), ("+3600s", "success"));

    // The clock is the whole store's: a Manager of this instance alone may not move it once
    // there is another, and the administrator's move is in both instances' trails.
    let manager = server.identity("IBMid-manager", None).await;
    grant(&server, "IBMid-manager", "Manager").await;
    let other = "2c2c6d2a-61f5-4d5c-9c1f-2b7f8f6c9a20";
    let event = strongroom_core::AuditEvent {
        at: time::OffsetDateTime::now_utc(),
        instance: String::new(),
        initiator: "IBMid-test".into(),
        action: "kms.instance.create".into(),
        target: other.into(),
        outcome: strongroom_core::Outcome::Success,
        correlation_id: String::new(),
        key_version: String::new(),
        source: String::new(),
    };
    server
        .store
        .create_instance(other, "second", time::OffsetDateTime::now_utc(), &event)
        .unwrap();
    let refused = advance(manager, "1h").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let message = refused.body["resources"][0]["errorMsg"].as_str().unwrap();
    assert!(message.contains("every instance"), "{message}");
    assert!(
        !message.contains(other),
        "an instance the caller cannot see is not named"
    );
    let malformed = advance(server.token.clone(), "soon").await;
    assert_eq!(
        malformed.status,
        StatusCode::BAD_REQUEST,
        "{}",
        malformed.body
    );
    let moved = advance(server.token.clone(), "2h").await;
    assert_eq!(moved.status, StatusCode::OK, "{}", moved.body);
    assert_eq!(moved.body["offsetSeconds"], 3 * 3_600);
    let events = server.store.audit_events(&strongroom_store::AuditQuery {
        action_prefix: Some("strongroom.clock.advance".into()),
        target: Some("+7200s".into()),
        limit: 10,
        ..Default::default()
    });
    let mut instances: Vec<String> = events
        .unwrap()
        .into_iter()
        .map(|record| record.event.instance)
        .collect();
    instances.sort();
    assert_eq!(instances, [INSTANCE, other]);

    // A server started without `--virtual-clock` keeps to the system clock, whoever asks.
    let fixed = Server::start().await;
    let refused = fixed
        .call(Method::POST, "/api/v2/clock", Some(r#"{"by": "1d"}"#))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body["resources"][0]["errorMsg"]
        .as_str()
        .unwrap()
        .contains("--virtual-clock"));
    let read = fixed.call(Method::GET, "/api/v2/clock", None).await;
    assert_eq!(read.body["advanceable"], false, "{}", read.body);
}
