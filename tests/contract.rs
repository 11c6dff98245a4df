//! One contract for every `Keystore`: the embedded one, and `RemoteKeystore` talking to a real
//! `strongroom serve` over HTTP and over HTTPS with a CA made here. Each run asserts the
//! behaviour and writes a transcript of outcomes (shapes and error codes, no ids or times);
//! the remote transcripts must equal the embedded one line for line.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::ffi::OsStr;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use strongroom_api::{
    ActivityReport, ApiError, AuditQueryRequest, AuthorizationCheckRequest,
    CreateAuthorizationRequest, CreateImportTokenRequest, CreateKeyRequest, ErrorCode,
    InstancePolicy, KeyStateName, KeyType, KeyVersionInfo, Keystore, KeystoreMode,
    ListAliasesRequest, ListKeysRequest, RegistrationRequest, RegistrationWrite,
    RotationPolicyInfo, SecretString, ServiceAction, SetKeyPoliciesRequest,
};
use strongroom_client::{seal_for_import, RemoteKeystore};
use strongroom_local::LocalKeystore;
use strongroom_store::MasterKeySource;
use strongroom_tests::{root_key, rotate, unwrap, wrap, Served};

const MISSING: &str = "00000000-0000-4000-8000-000000000000";

/// The outcomes of one run, for comparison across keystores.
#[derive(Default)]
struct Transcript(Vec<String>);

impl Transcript {
    fn note(&mut self, line: impl Into<String>) {
        self.0.push(line.into());
    }

    /// Records the error code of a call that must fail, and returns it.
    fn failure<T>(&mut self, step: &str, result: Result<T, ApiError>) -> ErrorCode {
        let code = match result {
            Ok(_) => panic!("{step}: expected an error"),
            Err(err) => err.code,
        };
        self.note(format!("{step}: {code:?}"));
        code
    }
}

fn standard_key(name: &str, payload: &[u8]) -> CreateKeyRequest {
    CreateKeyRequest {
        key_type: KeyType::Standard,
        payload: Some(SecretString::new(STANDARD.encode(payload))),
        ..root_key(name)
    }
}

fn list(offset: u32, limit: Option<u32>) -> ListKeysRequest {
    ListKeysRequest {
        offset,
        limit,
        ..Default::default()
    }
}

async fn contract(ks: &dyn Keystore) -> Transcript {
    let mut t = Transcript::default();
    keys_and_lists(ks, &mut t).await;
    wrapping_and_rotation(ks, &mut t).await;
    life_cycle(ks, &mut t).await;
    bad_requests(ks, &mut t).await;
    secure_import(ks, &mut t).await;
    administration(ks, &mut t).await;
    create_import_access(ks, &mut t).await;
    usage(ks, &mut t).await;
    activity(ks, &mut t).await;
    t
}

/// The hourly activity counts what the steps above did, from the audit trail's counters.
async fn activity(ks: &dyn Keystore, t: &mut Transcript) {
    let key = ks.create_key(root_key("contract-activity")).await.unwrap();
    let before = ks.activity(2).await.unwrap();
    let wrapped = ks.wrap(wrap(&key.id, &[])).await.unwrap();
    t.failure(
        "unwrap of a ciphertext from elsewhere, counted",
        ks.unwrap(unwrap(&key.id, &STANDARD.encode([7u8; 80]), &[]))
            .await,
    );
    let after = ks.activity(2).await.unwrap();
    assert_eq!(after.hours, 2);
    let tally = |report: &ActivityReport, action: &str| {
        report
            .entries
            .iter()
            .filter(|hour| hour.action == action)
            .fold((0, 0), |(calls, failures), hour| {
                (calls + hour.calls, failures + hour.failures)
            })
    };
    let (wraps_before, _) = tally(&before, "kms.secrets.wrap");
    let (wraps_after, failed_wraps) = tally(&after, "kms.secrets.wrap");
    assert_eq!(wraps_after, wraps_before + 1, "{after:?}");
    assert!(failed_wraps < wraps_after);
    let (unwraps_before, refused_before) = tally(&before, "kms.secrets.unwrap");
    let (unwraps_after, refused_after) = tally(&after, "kms.secrets.unwrap");
    assert_eq!(
        (unwraps_after, refused_after),
        (unwraps_before + 1, refused_before + 1),
        "{after:?}"
    );
    assert!(
        after
            .entries
            .windows(2)
            .all(|pair| pair[0].at <= pair[1].at),
        "oldest first"
    );
    assert!(after
        .entries
        .iter()
        .all(|hour| hour.at.ends_with(":00:00Z") && hour.failures <= hour.calls));
    t.failure("activity over no hours", ks.activity(0).await);
    t.failure("activity over more than 31 days", ks.activity(745).await);
    t.note("activity: wraps and a refused unwrap counted by the hour");

    // The same trail counts each version's use: the wrap made a ciphertext, the refused unwrap
    // opened none, and an unwrap that succeeds opens one.
    let uses = |versions: Vec<KeyVersionInfo>| {
        assert_eq!(versions.len(), 1, "{versions:?}");
        (versions[0].wraps, versions[0].unwraps)
    };
    let versions = ks.key_versions(&key.id).await.unwrap();
    assert_eq!(uses(versions), (Some(1), Some(0)));
    ks.unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
    let versions = ks.key_versions(&key.id).await.unwrap();
    assert_eq!(uses(versions), (Some(1), Some(1)));
    t.note("key versions: uses counted from the trail");
}

/// The usage report counts what the steps above did: wraps, and unwraps refused.
async fn usage(ks: &dyn Keystore, t: &mut Transcript) {
    let key = ks.create_key(root_key("contract-usage")).await.unwrap();
    ks.wrap(wrap(&key.id, &[])).await.unwrap();
    t.failure(
        "unwrap of non-base64, counted",
        ks.unwrap(unwrap(&key.id, "not base64!", &[])).await,
    );
    let report = ks.usage().await.unwrap();
    assert_eq!(report.window_minutes, 60);
    let tally = |action: &str| {
        report
            .minutes
            .iter()
            .filter(|minute| minute.action == action)
            .fold((0, 0), |(calls, failures), minute| {
                (calls + minute.calls, failures + minute.failures)
            })
    };
    let (wraps, _) = tally("kms.secrets.wrap");
    let (unwraps, refused) = tally("kms.secrets.unwrap");
    assert!(wraps >= 3, "the wraps of the steps above: {wraps}");
    assert!(
        refused >= 1 && unwraps > refused,
        "{unwraps} unwraps, {refused} refused"
    );
    // Each failure is counted under its code, and the codes add up to the failures.
    for minute in &report.minutes {
        let by_code: u64 = minute.failure_codes.iter().map(|c| c.count).sum();
        assert_eq!(by_code, minute.failures, "{minute:?}");
    }
    assert!(
        report
            .minutes
            .iter()
            .filter(|minute| minute.action == "kms.secrets.unwrap")
            .flat_map(|minute| &minute.failure_codes)
            .any(|failure| failure.code == "INVALID_INPUT"),
        "the non-base64 unwrap is counted as INVALID_INPUT: {:?}",
        report.minutes
    );
    assert!(
        tally("kms.secrets.create").0 >= 1,
        "creates are counted too"
    );
    assert!(report
        .minutes
        .iter()
        .all(|minute| minute.p50_ms > 0.0 && minute.p99_ms >= minute.p50_ms));
    t.note("usage: wraps, unwraps and their refusals counted per minute");
}

fn create_import_policy(attributes: Option<serde_json::Value>) -> Vec<InstancePolicy> {
    vec![InstancePolicy {
        policy_type: "keyCreateImportAccess".into(),
        enabled: attributes.is_some(),
        attributes,
        updated_at: None,
        updated_by: None,
    }]
}

/// The `keyCreateImportAccess` instance policy, refused with its own code on every transport.
async fn create_import_access(ks: &dyn Keystore, t: &mut Transcript) {
    t.failure(
        "create import access with an unknown switch",
        ks.set_instance_policies(create_import_policy(Some(
            serde_json::json!({"create_rooty_key": false}),
        )))
        .await,
    );
    ks.set_instance_policies(create_import_policy(Some(serde_json::json!({
        "create_standard_key": false,
        "enforce_token": true,
    }))))
    .await
    .unwrap();
    let standard = CreateKeyRequest {
        key_type: KeyType::Standard,
        ..root_key("contract-no-standard")
    };
    t.failure("generate a standard key", ks.create_key(standard).await);
    let plain = CreateKeyRequest {
        payload: Some(SecretString::new(STANDARD.encode([7u8; 32]))),
        ..root_key("contract-plain-import")
    };
    assert_eq!(
        t.failure("import without a token", ks.create_key(plain).await),
        ErrorCode::CreateImportAccess
    );
    ks.create_key(root_key("contract-still-generated"))
        .await
        .unwrap();
    ks.create_import_token(CreateImportTokenRequest {
        expiration: None,
        max_allowed_retrievals: Some(1),
    })
    .await
    .unwrap();
    let token = ks.import_token().await.unwrap();
    let (payload, sealed) = seal_for_import(&token, &[9u8; 32]).unwrap();
    let secure = ks
        .create_key(CreateKeyRequest {
            payload: Some(payload),
            secure_import: sealed,
            ..root_key("contract-secure-under-policy")
        })
        .await
        .unwrap();
    assert!(secure.imported);
    t.note("create import access: generated root and secure import allowed");
    let mut plain_rotate = rotate(&secure.id);
    plain_rotate.payload = Some(SecretString::new(STANDARD.encode([8u8; 32])));
    t.failure(
        "rotate an imported key without a token",
        ks.rotate_key(plain_rotate).await,
    );
    ks.set_instance_policies(create_import_policy(None))
        .await
        .unwrap();
}

/// Key rings, aliases, policies, dual authorization, authorizations and the audit trail.
async fn administration(ks: &dyn Keystore, t: &mut Transcript) {
    // Who we are differs by transport (the desktop's administrator, serve's bootstrap admin);
    // what the role table says and that we may wrap everywhere do not.
    let caller = ks.caller().await.unwrap();
    assert!(!caller.iam_id.is_empty());
    let instance_wide = caller
        .grants
        .iter()
        .find(|grant| grant.key_ring.is_none() && grant.key_id.is_none())
        .unwrap();
    t.note(format!(
        "caller may wrap on the instance: {}",
        instance_wide
            .actions
            .iter()
            .any(|a| a == "kms.secrets.wrap")
    ));
    for row in &caller.action_roles {
        t.note(format!("{} <- {}", row.action, row.roles.join("|")));
    }
    let ring = ks.create_key_ring("contract-ring").await.unwrap();
    assert_eq!(ring.id, "contract-ring");
    t.failure("duplicate ring", ks.create_key_ring("contract-ring").await);
    t.failure("bad ring id", ks.create_key_ring("a/b").await);
    let rings = ks.key_rings().await.unwrap();
    assert_eq!(rings[0].id, "default");
    t.note(format!("rings: {}", rings.len()));

    let key = ks
        .create_key(CreateKeyRequest {
            key_ring: Some("contract-ring".into()),
            aliases: vec!["contract-alias".into()],
            ..root_key("contract-admin")
        })
        .await
        .unwrap();
    assert_eq!(key.key_ring, "contract-ring");
    assert_eq!(key.aliases, vec!["contract-alias".to_owned()]);
    let in_ring = ks
        .list_keys(ListKeysRequest {
            key_ring: Some("contract-ring".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_ring.total, 1, "only the key of the ring");
    assert_eq!(in_ring.keys[0].id, key.id);
    let by_alias = ks.wrap(wrap("contract-alias", &["a"])).await.unwrap();
    ks.unwrap(unwrap(&key.id, &by_alias.ciphertext, &["a"]))
        .await
        .unwrap();
    let aliased = ks.create_alias(&key.id, "contract-second").await.unwrap();
    t.note(format!("aliases: {}", aliased.aliases.len()));
    t.failure(
        "alias taken",
        ks.create_alias(MISSING, "contract-alias").await,
    );
    t.failure("reserved alias", ks.create_alias(&key.id, "wrap").await);
    let aliases = ks
        .list_aliases(ListAliasesRequest {
            prefix: Some("contract-".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    let pointing: Vec<(&str, &str)> = aliases
        .aliases
        .iter()
        .map(|a| (a.alias.as_str(), a.key_id.as_str()))
        .collect();
    assert_eq!(
        pointing,
        [
            ("contract-alias", key.id.as_str()),
            ("contract-second", key.id.as_str())
        ],
        "in alias order, each naming its key"
    );
    assert_eq!(aliases.total, 2);
    assert_eq!(aliases.aliases[0].key_name, key.name);
    let second_page = ks
        .list_aliases(ListAliasesRequest {
            prefix: Some("contract-".into()),
            offset: 1,
            limit: Some(1),
        })
        .await
        .unwrap();
    assert_eq!(
        (second_page.total, second_page.aliases.len()),
        (2, 1),
        "a page of one after the first"
    );
    assert_eq!(second_page.aliases[0].alias, "contract-second");
    let none = ks
        .list_aliases(ListAliasesRequest {
            prefix: Some("CONTRACT-".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(none.total, 0, "prefixes match case-sensitively");
    let fewer = ks.delete_alias(&key.id, "contract-second").await.unwrap();
    assert_eq!(fewer.aliases.len(), 1);
    t.failure(
        "ring in use",
        ks.delete_key_ring("contract-ring", true).await,
    );
    let moved = ks.move_key(&key.id, "default").await.unwrap();
    assert_eq!(moved.key_ring, "default");
    ks.delete_key_ring("contract-ring", false).await.unwrap();
    t.failure("default ring", ks.delete_key_ring("default", true).await);

    let policies = ks
        .set_key_policies(SetKeyPoliciesRequest {
            key_id: key.id.clone(),
            rotation: Some(RotationPolicyInfo {
                enabled: true,
                interval_month: 3,
            }),
            dual_auth_delete: Some(true),
        })
        .await
        .unwrap();
    assert!(policies.dual_auth_delete);
    assert_eq!(policies.rotation.unwrap().interval_month, 3);
    assert_eq!(ks.key_policies(&key.id).await.unwrap(), policies);
    t.failure(
        "dual auth off",
        ks.set_key_policies(SetKeyPoliciesRequest {
            key_id: key.id.clone(),
            rotation: None,
            dual_auth_delete: Some(false),
        })
        .await,
    );
    t.failure(
        "delete without 2nd person",
        ks.delete_key(&key.id, false).await,
    );
    let set = ks.set_key_for_deletion(&key.id).await.unwrap();
    assert!(set.dual_auth_delete.key_set_for_deletion);
    t.failure("same person deletes", ks.delete_key(&key.id, false).await);
    let unset = ks.unset_key_for_deletion(&key.id).await.unwrap();
    assert!(!unset.dual_auth_delete.key_set_for_deletion);
    // Purge depends on the KeyPurge role, which the desktop's user holds and a served
    // instance's first administrator does not (as in Key Protect): tests/access.rs covers it.

    let stored = ks
        .set_instance_policies(vec![InstancePolicy {
            policy_type: "metrics".into(),
            enabled: true,
            attributes: None,
            updated_at: None,
            updated_by: None,
        }])
        .await
        .unwrap();
    t.note(format!("instance policies: {}", stored.len()));
    t.failure(
        "rotation policy without attributes",
        ks.set_instance_policies(vec![InstancePolicy {
            policy_type: "rotation".into(),
            enabled: true,
            attributes: None,
            updated_at: None,
            updated_by: None,
        }])
        .await,
    );

    let authorization = ks
        .create_authorization(CreateAuthorizationRequest {
            source_service: "cloud-object-storage".into(),
            source_instance: Some("cos-1".into()),
            key_ring: None,
            key_id: None,
            roles: Vec::new(),
        })
        .await
        .unwrap();
    assert_eq!(authorization.roles, vec!["Reader".to_owned()]);
    let listed = ks.authorizations().await.unwrap();
    assert!(listed.iter().any(|a| a.id == authorization.id));
    let dry_run = |instance: &str| AuthorizationCheckRequest {
        source_service: "cloud-object-storage".into(),
        source_instance: Some(instance.into()),
        key_id: "contract-alias".into(),
        action: ServiceAction::Unwrap,
    };
    let check = ks.check_authorization(dry_run("cos-1")).await.unwrap();
    assert!(check.allowed, "{}", check.reason);
    assert_eq!(
        check.authorization_id.as_deref(),
        Some(authorization.id.as_str())
    );
    assert_eq!(check.key_id, key.id);
    let other = ks.check_authorization(dry_run("cos-2")).await.unwrap();
    t.note(format!("test as cos-2: allowed {}", other.allowed));
    t.failure(
        "test as a service on a missing key",
        ks.check_authorization(AuthorizationCheckRequest {
            key_id: MISSING.into(),
            ..dry_run("cos-1")
        })
        .await,
    );
    // Edit roles in place: same id, source and target; the new roles are what a call meets.
    let edited = ks
        .set_authorization_roles(
            &authorization.id,
            vec!["ReaderPlus".into(), "Reader".into()],
        )
        .await
        .unwrap();
    assert_eq!(
        (&edited.id, &edited.source_instance, &edited.target_instance),
        (
            &authorization.id,
            &authorization.source_instance,
            &authorization.target_instance
        )
    );
    let mut roles = edited.roles.clone();
    roles.sort();
    assert_eq!(roles, ["Reader", "ReaderPlus"]);
    let relisted = ks.authorizations().await.unwrap();
    let stored = relisted.iter().find(|a| a.id == authorization.id).unwrap();
    assert_eq!(stored.roles.len(), 2, "{stored:?}");
    t.note(format!("edit roles: {}", roles.join(", ")));
    t.failure(
        "a role Key Protect does not have",
        ks.set_authorization_roles(&authorization.id, vec!["Owner".into()])
            .await,
    );
    t.failure(
        "an authorization without roles",
        ks.set_authorization_roles(&authorization.id, Vec::new())
            .await,
    );
    t.failure(
        "edit the roles of a missing authorization",
        ks.set_authorization_roles(MISSING, vec!["Reader".into()])
            .await,
    );
    ks.delete_authorization(&authorization.id).await.unwrap();
    assert!(!ks
        .authorizations()
        .await
        .unwrap()
        .iter()
        .any(|a| a.id == authorization.id));
    t.failure(
        "delete a deleted authorization",
        ks.delete_authorization(&authorization.id).await,
    );
    t.note(format!(
        "registrations: {}",
        ks.registrations(Some(&key.id)).await.unwrap().len()
    ));
    // Registrations are written by integrated services; a person's console is refused, in
    // Key Protect's words over HTTP, whichever way it writes.
    let bucket = "crn:v1:bluemix:public:cloud-object-storage:global:a/local:cos-1:bucket:b";
    for write in [
        RegistrationWrite::Create,
        RegistrationWrite::Replace,
        RegistrationWrite::Update,
    ] {
        let code = t.failure(
            &format!("a person writes a registration ({write:?})"),
            ks.write_registration(
                &key.id,
                bucket,
                write,
                RegistrationRequest {
                    description: Some("b".into()),
                    prevent_key_deletion: Some(true),
                    registration_metadata: None,
                },
            )
            .await,
        );
        assert_eq!(code, ErrorCode::ServiceOnly);
    }
    // A Manager may remove one (there is none here), so a held key can always be freed.
    let code = t.failure(
        "a Manager removes a registration that is not there",
        ks.delete_registration(&key.id, bucket).await,
    );
    assert_eq!(code, ErrorCode::NotFound);

    let events = ks
        .audit_events(AuditQueryRequest {
            target: Some(key.id.clone()),
            ..Default::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    for expected in [
        "kms.secrets.create",
        "kms.secrets.wrap",
        "kms.secrets.setkeyfordeletion",
    ] {
        assert!(
            actions.contains(&expected),
            "{expected} missing from {actions:?}"
        );
    }
    assert!(
        events.iter().any(|e| e.outcome == "AUTHORIZATIONS_NOT_MET"),
        "refusals are audited too"
    );

    // A time window: the key's events fall between the first one and now, none before it.
    let first = events.last().map(|e| e.at.clone()).unwrap();
    let in_window = ks
        .audit_events(AuditQueryRequest {
            target: Some(key.id.clone()),
            since: Some(first.clone()),
            until: Some("2999-01-01T00:00:00Z".into()),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(in_window.len(), events.len(), "since the first event");
    let before_it = ks
        .audit_events(AuditQueryRequest {
            target: Some(key.id.clone()),
            until: Some(first),
            ..Default::default()
        })
        .await
        .unwrap();
    assert!(before_it.is_empty(), "until the first event: {before_it:?}");
    // A bounded look-back (how far the key page's activity reads): the whole trail is within
    // a million events here, and nothing is within none.
    for (rows, expected) in [(1_000_000, events.len()), (0, 0)] {
        let within = ks
            .audit_events(AuditQueryRequest {
                target: Some(key.id.clone()),
                within_latest: Some(rows),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(within.len(), expected, "within the latest {rows}");
    }
    // One request's events by its correlation id: the wrap's, and nothing else. (The
    // desktop's embedded calls are not HTTP requests and carry none.)
    let wrap = events
        .iter()
        .find(|e| e.action == "kms.secrets.wrap")
        .unwrap();
    assert_eq!(
        wrap.key_version.as_deref(),
        Some(by_alias.key_version.id.as_str()),
        "the trail names the version that wrapped"
    );
    // The caller's address: the loopback the test connects from over HTTP(S); none for the
    // desktop's in-process calls, which are not network requests.
    match &wrap.source {
        Some(source) => assert_eq!(source, "127.0.0.1"),
        None => assert!(wrap.correlation_id.is_empty(), "{wrap:?}"),
    }
    assert!(
        events
            .iter()
            .filter(|e| e.action == "kms.secrets.setkeyfordeletion")
            .all(|e| e.key_version.is_none()),
        "only the data plane names a version"
    );
    if !wrap.correlation_id.is_empty() {
        let by_correlation = ks
            .audit_events(AuditQueryRequest {
                correlation_id: Some(wrap.correlation_id.clone()),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(
            by_correlation.iter().map(|e| e.seq).collect::<Vec<_>>(),
            vec![wrap.seq],
            "only that request's event"
        );
    }
    t.failure(
        "audit events since a time that is not RFC 3339",
        ks.audit_events(AuditQueryRequest {
            since: Some("yesterday".into()),
            ..Default::default()
        })
        .await,
    );
}

async fn keys_and_lists(ks: &dyn Keystore, t: &mut Transcript) {
    let mut request = root_key("contract-orders");
    request.description = Some("wraps the order DEKs".into());
    let root = ks.create_key(request).await.unwrap();
    assert_eq!(
        (root.key_type, root.state, root.imported),
        (KeyType::Root, KeyStateName::Active, false)
    );
    assert_eq!(root.description.as_deref(), Some("wraps the order DEKs"));
    assert_eq!(
        ks.key(&root.id).await.unwrap(),
        root,
        "get returns what create did"
    );
    t.note("create root: active, generated");

    let payload = b"a standard key's 32-byte secret!";
    let standard = ks
        .create_key(standard_key("contract-standard", payload))
        .await
        .unwrap();
    assert_eq!(standard.key_type, KeyType::Standard);
    let read = ks.key_payload(&standard.id).await.unwrap();
    assert_eq!(STANDARD.decode(read.expose()).unwrap(), payload);
    t.note("standard payload: round trip");
    t.failure("payload of a root key", ks.key_payload(&root.id).await);

    for n in 1..=3 {
        ks.create_key(root_key(&format!("contract-page-{n}")))
            .await
            .unwrap();
    }
    let first = ks.list_keys(list(0, Some(2))).await.unwrap();
    assert_eq!((first.keys.len(), first.total), (2, 5));
    assert_eq!(first.keys[0].name, "contract-page-3", "newest first");
    let last = ks.list_keys(list(4, Some(2))).await.unwrap();
    assert_eq!((last.keys.len(), last.total), (1, 5));
    assert_eq!(last.keys[0].id, root.id, "the oldest key is last");
    t.note(format!(
        "paging: {:?}",
        [&first, &last].map(|p| p.keys.iter().map(|k| k.name.clone()).collect::<Vec<_>>())
    ));

    let search = ListKeysRequest {
        search: Some("page".into()),
        ..Default::default()
    };
    let found = ks.list_keys(search).await.unwrap();
    assert_eq!(found.total, 3);
    let by_id = ListKeysRequest {
        search: Some(root.id.clone()),
        ..Default::default()
    };
    assert_eq!(ks.list_keys(by_id).await.unwrap().keys, vec![root.clone()]);
    let standards = ListKeysRequest {
        key_type: Some(KeyType::Standard),
        ..Default::default()
    };
    assert_eq!(ks.list_keys(standards).await.unwrap().total, 1);
    t.note(format!(
        "search: {} by name, 1 by id, 1 standard",
        found.total
    ));

    // Strongroom's own filters, applied by the keystore on every transport.
    let mut guarded = root_key("contract-guarded");
    guarded.dual_auth_delete = Some(true);
    ks.create_key(guarded).await.unwrap();
    let filtered = |change: fn(&mut ListKeysRequest)| {
        let mut request = list(0, Some(100));
        change(&mut request);
        async move {
            let page = ks.list_keys(request).await.unwrap();
            assert_eq!(page.total as usize, page.keys.len());
            page.keys.into_iter().map(|k| k.name).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        filtered(|r| r.imported = Some(true)).await,
        ["contract-standard"],
        "a standard key created with its payload counts as imported"
    );
    assert!(!filtered(|r| r.imported = Some(false))
        .await
        .contains(&"contract-standard".to_owned()));
    assert_eq!(
        filtered(|r| r.dual_auth_delete = Some(true)).await,
        ["contract-guarded"]
    );
    assert!(
        filtered(|r| r.rotation_due = Some(true)).await.is_empty(),
        "no key is a rotation interval old"
    );
    assert_eq!(
        filtered(|r| r.rotation_due = Some(false)).await.len(),
        6,
        "every live key is not due"
    );
    t.note("filters: 1 imported, 1 dual-auth, 0 due");

    let versions = ks.key_versions(&root.id).await.unwrap();
    assert_eq!(versions.len(), 1);
    assert_eq!(versions[0].id, root.key_version.id);
    assert_eq!(versions[0].created_at, root.key_version.created_at);
    assert_eq!(
        (
            versions[0].wraps,
            versions[0].unwraps,
            &versions[0].last_used_at
        ),
        (Some(0), Some(0), &None),
        "a version never used counts zero"
    );
    t.note("versions: 1");
}

async fn wrapping_and_rotation(ks: &dyn Keystore, t: &mut Transcript) {
    let key = ks.create_key(root_key("contract-wrapping")).await.unwrap();
    let generated = ks.wrap(wrap(&key.id, &["tenant=acme"])).await.unwrap();
    let dek = generated
        .plaintext
        .clone()
        .expect("a generated DEK comes back");
    assert_eq!(STANDARD.decode(dek.expose()).unwrap().len(), 32);
    assert_eq!(generated.key_version.id, key.key_version.id);

    let mut supplied = wrap(&key.id, &[]);
    supplied.plaintext = Some(SecretString::new(
        STANDARD.encode(b"thirty bytes of plaintext DEK!"),
    ));
    let sealed = ks.wrap(supplied).await.unwrap();
    assert!(sealed.plaintext.is_none(), "a supplied DEK is not echoed");
    let opened = ks
        .unwrap(unwrap(&key.id, &sealed.ciphertext, &[]))
        .await
        .unwrap();
    assert_eq!(
        STANDARD.decode(opened.plaintext.expose()).unwrap(),
        b"thirty bytes of plaintext DEK!"
    );
    let back = ks
        .unwrap(unwrap(&key.id, &generated.ciphertext, &["tenant=acme"]))
        .await
        .unwrap();
    assert_eq!(back.plaintext, dek);
    assert!(back.rewrapped.is_none());
    t.note("wrap/unwrap: generated and supplied DEKs round trip");
    t.failure(
        "unwrap with other AAD",
        ks.unwrap(unwrap(&key.id, &generated.ciphertext, &["tenant=evil"]))
            .await,
    );
    t.failure(
        "unwrap without AAD",
        ks.unwrap(unwrap(&key.id, &generated.ciphertext, &[])).await,
    );
    t.failure(
        "unwrap of non-base64",
        ks.unwrap(unwrap(&key.id, "not base64!", &[])).await,
    );

    let rotated = ks.rotate_key(rotate(&key.id)).await.unwrap();
    assert_ne!(rotated.key_version.id, key.key_version.id);
    assert!(rotated.last_rotated_at.is_some());
    let versions = ks.key_versions(&key.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].id, key.key_version.id, "oldest first");
    t.note("rotate: a second version");
    t.failure("rotate again", ks.rotate_key(rotate(&key.id)).await);

    let after = ks
        .unwrap(unwrap(&key.id, &generated.ciphertext, &["tenant=acme"]))
        .await
        .unwrap();
    assert_eq!(after.plaintext, dek);
    assert_eq!(after.key_version.id, key.key_version.id);
    let rewrapped = after
        .rewrapped
        .expect("an old ciphertext comes back rewrapped");
    assert_eq!(rewrapped.key_version.id, rotated.key_version.id);
    let rewrap = ks
        .rewrap(unwrap(&key.id, &generated.ciphertext, &["tenant=acme"]))
        .await
        .unwrap();
    assert_eq!(rewrap.key_version.id, key.key_version.id);
    assert_eq!(rewrap.rewrapped_key_version.id, rotated.key_version.id);
    let fresh = ks
        .unwrap(unwrap(&key.id, &rewrap.ciphertext, &["tenant=acme"]))
        .await
        .unwrap();
    assert_eq!(fresh.plaintext, dek);
    assert!(
        fresh.rewrapped.is_none(),
        "already under the newest version"
    );
    t.note("unwrap after rotation: rewrapped; rewrap: newest version");

    // Two wraps and two unwraps before the rotation; after it, an unwrap of an old ciphertext
    // (the old version opens it), a rewrap (the new version makes one) and an unwrap of that.
    let counted = ks.key_versions(&key.id).await.unwrap();
    let uses: Vec<_> = counted.iter().map(|v| (v.wraps, v.unwraps)).collect();
    assert_eq!(
        uses,
        vec![(Some(2), Some(3)), (Some(1), Some(1))],
        "each version's ciphertexts made and opened; refusals are not counted"
    );
    assert!(counted.iter().all(|v| v.last_used_at.is_some()));
    t.note("versions: ciphertexts made and opened, per version");
}

async fn life_cycle(ks: &dyn Keystore, t: &mut Transcript) {
    let key = ks.create_key(root_key("contract-life")).await.unwrap();
    let disabled = ks.disable_key(&key.id).await.unwrap();
    assert_eq!(disabled.state, KeyStateName::Suspended);
    t.failure(
        "wrap with a disabled key",
        ks.wrap(wrap(&key.id, &[])).await,
    );
    t.failure("disable twice", ks.disable_key(&key.id).await);
    let suspended = ListKeysRequest {
        states: vec![KeyStateName::Suspended],
        ..Default::default()
    };
    assert_eq!(ks.list_keys(suspended).await.unwrap().keys, vec![disabled]);
    let enabled = ks.enable_key(&key.id).await.unwrap();
    assert_eq!(enabled.state, KeyStateName::Active);
    ks.wrap(wrap(&key.id, &[])).await.unwrap();
    t.failure("enable twice", ks.enable_key(&key.id).await);
    t.note("disable/enable: suspended and back");

    let before = ks
        .list_keys(ListKeysRequest::default())
        .await
        .unwrap()
        .total;
    let deleted = ks.delete_key(&key.id, false).await.unwrap();
    assert_eq!(deleted.state, KeyStateName::Destroyed);
    assert!(deleted.deleted_at.is_some());
    let read = ks.key(&key.id).await.unwrap();
    assert_eq!(read.state, KeyStateName::Destroyed);
    // The restore and purge windows cross the wire too: restorable now, purgeable later.
    let window = read.deletion_window.expect("a deleted key's windows");
    assert!(
        window.restore_allowed && !window.purge_allowed,
        "{window:?}"
    );
    assert!(
        window.purgeable_from < window.restorable_until,
        "{window:?}"
    );
    let after = ks
        .list_keys(ListKeysRequest::default())
        .await
        .unwrap()
        .total;
    assert_eq!(
        after + 1,
        before,
        "destroyed keys are not listed by default"
    );
    t.failure("wrap with a deleted key", ks.wrap(wrap(&key.id, &[])).await);
    t.failure("delete twice", ks.delete_key(&key.id, false).await);
    let restored = ks.restore_key(&key.id).await.unwrap();
    assert_eq!(restored.state, KeyStateName::Active);
    assert!(restored.deleted_at.is_none());
    assert!(restored.deletion_window.is_none());
    t.failure("restore an active key", ks.restore_key(&key.id).await);
    t.note("delete/restore: destroyed and back");

    let standard = ks
        .create_key(standard_key("contract-doomed", &[7; 16]))
        .await
        .unwrap();
    ks.delete_key(&standard.id, false).await.unwrap();
    t.failure(
        "payload of a deleted standard key",
        ks.key_payload(&standard.id).await,
    );
    t.failure(
        "wrap with a standard key",
        ks.wrap(wrap(&standard.id, &[])).await,
    );
}

async fn bad_requests(ks: &dyn Keystore, t: &mut Transcript) {
    t.failure("get a missing key", ks.key(MISSING).await);
    t.failure("versions of a missing key", ks.key_versions(MISSING).await);
    t.failure("wrap with a missing key", ks.wrap(wrap(MISSING, &[])).await);
    t.failure("delete a missing key", ks.delete_key(MISSING, false).await);
    t.failure("disable a missing key", ks.disable_key(MISSING).await);
    t.failure("get a malformed id", ks.key("not-a-key-id").await);
    t.failure("get an empty id", ks.key("").await);
    t.failure(
        "create a one-letter name",
        ks.create_key(root_key("x")).await,
    );
    let mut short = root_key("contract-short");
    short.payload = Some(SecretString::new(STANDARD.encode([1u8; 7])));
    t.failure("import 7 bytes", ks.create_key(short).await);
    let key = ks.create_key(root_key("contract-bad-input")).await.unwrap();
    let mut request = wrap(&key.id, &[]);
    request.plaintext = Some(SecretString::new("%%% not base64".into()));
    t.failure("wrap non-base64 plaintext", ks.wrap(request).await);
    let page = ks.list_keys(list(0, Some(10_000))).await.unwrap();
    assert_eq!(
        page.keys.len() as u32,
        page.total,
        "a limit above 5,000 is capped"
    );
    t.note("list 10,000 keys: capped, not refused");
}

async fn secure_import(ks: &dyn Keystore, t: &mut Transcript) {
    let created = ks
        .create_import_token(CreateImportTokenRequest {
            expiration: None,
            max_allowed_retrievals: Some(3),
        })
        .await
        .unwrap();
    assert_eq!(
        (created.max_allowed_retrievals, created.remaining_retrievals),
        (3, 3)
    );
    assert!(
        created.payload.is_none(),
        "creating does not hand out the key"
    );
    let token = ks.import_token().await.unwrap();
    assert_eq!(token.remaining_retrievals, 2);
    // The status read (for the console's attention list) spends nothing and hands out no key.
    for _ in 0..2 {
        let status = ks.import_token_status().await.unwrap();
        assert_eq!(
            (status.max_allowed_retrievals, status.remaining_retrievals),
            (3, 2)
        );
        assert_eq!((status.payload, status.nonce), (None, None));
        assert_eq!(status.expiration_date, token.expiration_date);
    }

    let material = [42u8; 32];
    let (payload, sealed) = seal_for_import(&token, &material).unwrap();
    let request = CreateKeyRequest {
        payload: Some(payload),
        secure_import: sealed,
        ..root_key("contract-imported")
    };
    let imported = ks.create_key(request).await.unwrap();
    assert!(imported.imported);
    let wrapped = ks.wrap(wrap(&imported.id, &[])).await.unwrap();
    ks.unwrap(unwrap(&imported.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
    t.note("secure import: imported root key wraps");
    t.failure(
        "rotate an imported key without material",
        ks.rotate_key(rotate(&imported.id)).await,
    );

    let mut forged = ks.import_token().await.unwrap();
    forged.nonce = Some(STANDARD.encode([0u8; 12]));
    let (payload, sealed) = seal_for_import(&forged, &material).unwrap();
    let request = CreateKeyRequest {
        payload: Some(payload),
        secure_import: sealed,
        ..root_key("contract-forged")
    };
    t.failure("import with another nonce", ks.create_key(request).await);
}

async fn embedded_transcript(dir: &Path) -> Vec<String> {
    let source = MasterKeySource::File(dir.join("embedded-master.key"));
    let ks = LocalKeystore::open_embedded(&dir.join("embedded"), &source).unwrap();
    assert_eq!(ks.info().await.unwrap().mode, KeystoreMode::Embedded);
    contract(&ks).await.0
}

#[tokio::test]
async fn embedded_keystore_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let transcript = embedded_transcript(dir.path()).await;
    eprintln!("{transcript:#?}");
    assert!(transcript.len() > 30, "{transcript:#?}");
}

#[tokio::test]
async fn remote_keystore_over_http_matches_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let served = Served::start(dir.path(), &[]);
    assert!(served.url.starts_with("http://"));
    let remote = RemoteKeystore::new(served.config()).unwrap();
    let info = remote.info().await.unwrap();
    assert_eq!(info.mode, KeystoreMode::Remote);
    let transcript = contract(&remote).await.0;
    assert_eq!(transcript, embedded_transcript(dir.path()).await);
    let peer = remote.peer().unwrap();
    assert_eq!(
        peer.server.as_deref(),
        Some("strongroom"),
        "the server names itself"
    );
    assert_eq!(peer.tls, None, "plain HTTP has no TLS to show");

    let mut wrong_key = served.config();
    wrong_key.api_key = SecretString::new("not-the-key".into());
    let err = RemoteKeystore::new(wrong_key)
        .unwrap()
        .key(MISSING)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::BadApiKey, "{err:?}");
    assert!(!err.message.contains("not-the-key"));

    let mut wrong_instance = served.config();
    wrong_instance.instance_id = MISSING.into();
    let err = RemoteKeystore::new(wrong_instance)
        .unwrap()
        .key(MISSING)
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongInstance, "{err:?}");
}

/// A CA and a certificate for 127.0.0.1 signed by it, as PEM files in `dir`.
fn test_pki(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf, std::path::PathBuf) {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Strongroom contract test CA");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let issuer = Issuer::new(ca, ca_key);
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned(), "localhost".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &issuer)
        .unwrap();
    let paths = (
        dir.join("ca.pem"),
        dir.join("cert.pem"),
        dir.join("key.pem"),
    );
    std::fs::write(&paths.0, ca_cert.pem()).unwrap();
    std::fs::write(&paths.1, leaf.pem()).unwrap();
    std::fs::write(&paths.2, leaf_key.serialize_pem()).unwrap();
    paths
}

#[tokio::test]
async fn remote_keystore_over_https_matches_the_embedded_one() {
    let dir = tempfile::tempdir().unwrap();
    let (ca, cert, key) = test_pki(dir.path());
    let args = [
        OsStr::new("--tls-cert"),
        cert.as_os_str(),
        OsStr::new("--tls-key"),
        key.as_os_str(),
    ];
    let served = Served::start(dir.path(), &args);
    assert!(served.url.starts_with("https://"), "{}", served.url);

    let untrusted = RemoteKeystore::new(served.config()).unwrap();
    let err = untrusted.key(MISSING).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::TlsFailure, "{err:?}");

    let mut config = served.config();
    config.extra_ca = Some(ca);
    let remote = RemoteKeystore::new(config).unwrap();
    let transcript = contract(&remote).await.0;
    assert_eq!(transcript, embedded_transcript(dir.path()).await);

    // The connection test shows the certificate's fingerprint, to compare with the operator's.
    let tls = remote.peer().and_then(|peer| peer.tls).unwrap();
    assert_eq!(tls.protocol, "TLS 1.3");
    assert_eq!(
        tls.certificate_sha256,
        Some(sha256_fingerprint_of_pem(&cert))
    );
}

/// `openssl x509 -noout -fingerprint -sha256`'s answer for the PEM certificate at `path`.
fn sha256_fingerprint_of_pem(path: &Path) -> String {
    use base64::Engine;
    use sha2::Digest;
    let pem = std::fs::read_to_string(path).unwrap();
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(body)
        .unwrap();
    sha2::Sha256::digest(der)
        .iter()
        .map(|byte| format!("{byte:02X}"))
        .collect::<Vec<_>>()
        .join(":")
}
