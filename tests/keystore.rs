//! The Keystore facade over the embedded store: the behaviour every transport exposes.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use strongroom_api::{
    ErrorCode, KeyStateName, KeyType, Keystore, ListKeysRequest, RotateKeyRequest, SecretString,
};
use strongroom_tests::{root_key as root, rotate, unwrap, wrap, TestKeystore};

#[tokio::test]
async fn generated_dek_round_trips_with_aad() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("orders")).await.unwrap();
    let wrapped = t
        .keystore
        .wrap(wrap(&key.id, &["tenant=acme"]))
        .await
        .unwrap();
    let dek = wrapped.plaintext.expect("a generated DEK is returned once");
    assert_eq!(STANDARD.decode(dek.expose()).unwrap().len(), 32);
    assert_eq!(wrapped.key_version.id, key.key_version.id);

    let unwrapped = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &["tenant=acme"]))
        .await
        .unwrap();
    assert_eq!(unwrapped.plaintext, dek);
    assert!(unwrapped.rewrapped.is_none(), "no rotation happened");

    let err = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &["tenant=evil"]))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Undecryptable);
    assert!(
        !err.message.contains(dek.expose()),
        "errors never echo a DEK"
    );
}

#[tokio::test]
async fn supplied_plaintext_is_not_returned_by_wrap() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("supplied")).await.unwrap();
    let mut request = wrap(&key.id, &[]);
    request.plaintext = Some(SecretString::new(
        STANDARD.encode(b"thirty-byte plaintext, please"),
    ));
    let wrapped = t.keystore.wrap(request).await.unwrap();
    assert!(wrapped.plaintext.is_none());
    let back = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
    assert_eq!(
        STANDARD.decode(back.plaintext.expose()).unwrap(),
        b"thirty-byte plaintext, please"
    );
}

#[tokio::test]
async fn unwrap_after_rotation_rewraps_with_the_newest_version() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("rotating")).await.unwrap();
    let old = t.keystore.wrap(wrap(&key.id, &["a"])).await.unwrap();
    let rotated = t.keystore.rotate_key(rotate(&key.id)).await.unwrap();
    assert_ne!(rotated.key_version.id, key.key_version.id);

    let unwrapped = t
        .keystore
        .unwrap(unwrap(&key.id, &old.ciphertext, &["a"]))
        .await
        .unwrap();
    assert_eq!(
        unwrapped.key_version.id, key.key_version.id,
        "reports the version that wrapped it"
    );
    let rewrapped = unwrapped.rewrapped.expect("rotated since the wrap");
    assert_eq!(rewrapped.key_version.id, rotated.key_version.id);
    let again = t
        .keystore
        .unwrap(unwrap(&key.id, &rewrapped.ciphertext, &["a"]))
        .await
        .unwrap();
    assert_eq!(again.plaintext, unwrapped.plaintext);

    let explicit = t
        .keystore
        .rewrap(unwrap(&key.id, &old.ciphertext, &["a"]))
        .await
        .unwrap();
    assert_eq!(explicit.key_version.id, key.key_version.id);
    assert_eq!(explicit.rewrapped_key_version.id, rotated.key_version.id);

    let err = t.keystore.rotate_key(rotate(&key.id)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::RotationTooSoon);
    t.clock.advance(time::Duration::hours(1));
    t.keystore.rotate_key(rotate(&key.id)).await.unwrap();
    assert_eq!(t.keystore.key_versions(&key.id).await.unwrap().len(), 3);
}

#[tokio::test]
async fn a_ciphertext_of_another_key_is_refused() {
    let t = TestKeystore::new();
    let a = t.keystore.create_key(root("alpha")).await.unwrap();
    let b = t.keystore.create_key(root("bravo")).await.unwrap();
    let wrapped = t.keystore.wrap(wrap(&a.id, &[])).await.unwrap();
    let err = t
        .keystore
        .unwrap(unwrap(&b.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Undecryptable);
    for garbage in ["", "not base64!", "U1IBAAAA", &STANDARD.encode([0u8; 80])] {
        let err = t
            .keystore
            .unwrap(unwrap(&a.id, garbage, &[]))
            .await
            .unwrap_err();
        assert!(
            matches!(err.code, ErrorCode::Undecryptable | ErrorCode::InvalidInput),
            "{garbage:?} gave {err:?}"
        );
    }
}

#[tokio::test]
async fn life_cycle_follows_the_state_table() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("life")).await.unwrap();
    let wrapped = t.keystore.wrap(wrap(&key.id, &[])).await.unwrap();

    let disabled = t.keystore.disable_key(&key.id).await.unwrap();
    assert_eq!(disabled.state, KeyStateName::Suspended);
    let err = t.keystore.wrap(wrap(&key.id, &[])).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    let err = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::InvalidState);
    assert_eq!(
        t.keystore.disable_key(&key.id).await.unwrap_err().code,
        ErrorCode::InvalidState
    );

    t.keystore.enable_key(&key.id).await.unwrap();
    let deleted = t.keystore.delete_key(&key.id, false).await.unwrap();
    assert_eq!(deleted.state, KeyStateName::Destroyed);
    assert!(deleted.deleted_at.is_some());
    let listed = t
        .keystore
        .list_keys(ListKeysRequest::default())
        .await
        .unwrap();
    assert_eq!(listed.total, 0, "destroyed keys are hidden by default");
    let destroyed = t
        .keystore
        .list_keys(ListKeysRequest {
            states: vec![KeyStateName::Destroyed],
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(destroyed.keys[0].id, key.id);

    t.keystore.restore_key(&key.id).await.unwrap();
    let back = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
    assert_eq!(
        Some(back.plaintext),
        wrapped.plaintext,
        "restored keys unwrap what they wrapped"
    );

    t.keystore.delete_key(&key.id, false).await.unwrap();
    t.clock.advance(time::Duration::days(31));
    assert_eq!(
        t.keystore.restore_key(&key.id).await.unwrap_err().code,
        ErrorCode::RestoreExpired
    );
}

#[tokio::test]
async fn expired_keys_unwrap_but_do_not_wrap() {
    let t = TestKeystore::new();
    let mut request = root("expiring");
    request.expires_at = Some("2026-06-02T09:00:00Z".into());
    let key = t.keystore.create_key(request).await.unwrap();
    let wrapped = t.keystore.wrap(wrap(&key.id, &[])).await.unwrap();
    t.clock.advance(time::Duration::days(2));
    assert_eq!(
        t.keystore.key(&key.id).await.unwrap().state,
        KeyStateName::Deactivated
    );
    assert_eq!(
        t.keystore.wrap(wrap(&key.id, &[])).await.unwrap_err().code,
        ErrorCode::InvalidState
    );
    t.keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
}

#[tokio::test]
async fn imported_root_keys_wrap_and_need_material_to_rotate() {
    let t = TestKeystore::new();
    let mut request = root("imported");
    request.payload = Some(SecretString::new(STANDARD.encode([42u8; 32])));
    let key = t.keystore.create_key(request).await.unwrap();
    assert!(key.imported);
    t.keystore.wrap(wrap(&key.id, &[])).await.unwrap();
    let err = t.keystore.rotate_key(rotate(&key.id)).await.unwrap_err();
    assert_eq!(err.code, ErrorCode::PayloadRequired);
    t.keystore
        .rotate_key(RotateKeyRequest {
            key_id: key.id.clone(),
            payload: Some(SecretString::new(STANDARD.encode([43u8; 32]))),
            secure_import: Default::default(),
        })
        .await
        .unwrap();

    let mut bad = root("bad-length");
    bad.payload = Some(SecretString::new(STANDARD.encode([1u8; 20])));
    assert_eq!(
        t.keystore.create_key(bad).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn standard_keys_cannot_wrap() {
    let t = TestKeystore::new();
    let mut request = root("standard");
    request.key_type = KeyType::Standard;
    let key = t.keystore.create_key(request).await.unwrap();
    assert_eq!(
        t.keystore.wrap(wrap(&key.id, &[])).await.unwrap_err().code,
        ErrorCode::NotARootKey
    );
}

#[tokio::test]
async fn bad_input_gets_typed_errors() {
    let t = TestKeystore::new();
    assert_eq!(
        t.keystore.create_key(root("x")).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        t.keystore.key("not a uuid/../x").await.unwrap_err().code,
        ErrorCode::InvalidInput,
        "neither an id nor a possible alias"
    );
    assert_eq!(
        t.keystore.key("no-such-alias").await.unwrap_err().code,
        ErrorCode::NotFound
    );
    assert_eq!(
        t.keystore
            .key("6f1c1a9e-2d0b-4a7e-9a51-0c1d2e3f4a5b")
            .await
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    let key = t.keystore.create_key(root("limits")).await.unwrap();
    let mut too_many = wrap(&key.id, &[]);
    too_many.aad = vec!["a".into(); 127];
    assert_eq!(
        t.keystore.wrap(too_many).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let mut not_b64 = wrap(&key.id, &[]);
    not_b64.plaintext = Some(SecretString::new("%%%".into()));
    assert_eq!(
        t.keystore.wrap(not_b64).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let mut past = root("past");
    past.expires_at = Some("2020-01-01T00:00:00Z".into());
    assert_eq!(
        t.keystore.create_key(past).await.unwrap_err().code,
        ErrorCode::InvalidInput
    );
}

#[tokio::test]
async fn keys_persist_across_a_restart() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("durable")).await.unwrap();
    let wrapped = t.keystore.wrap(wrap(&key.id, &["x"])).await.unwrap();
    let restarted = t.reopen();
    assert_eq!(restarted.key(&key.id).await.unwrap(), key);
    let back = restarted
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &["x"]))
        .await
        .unwrap();
    assert_eq!(Some(back.plaintext), wrapped.plaintext);
}

/// The store keeps recently used material unsealed; a key's state is still read on every call,
/// so a state change takes effect at the very next wrap or unwrap.
#[tokio::test]
async fn cached_material_does_not_outlive_a_state_change() {
    let t = TestKeystore::new();
    let key = t.keystore.create_key(root("cached")).await.unwrap();
    let wrapped = t.keystore.wrap(wrap(&key.id, &[])).await.unwrap();
    t.keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();

    t.keystore.disable_key(&key.id).await.unwrap();
    for refused in [
        t.keystore.wrap(wrap(&key.id, &[])).await.map(|_| ()),
        t.keystore
            .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
            .await
            .map(|_| ()),
    ] {
        assert_eq!(refused.unwrap_err().code, ErrorCode::InvalidState);
    }
    t.keystore.enable_key(&key.id).await.unwrap();
    t.keystore.wrap(wrap(&key.id, &[])).await.unwrap();

    t.keystore.delete_key(&key.id, false).await.unwrap();
    assert!(t.keystore.wrap(wrap(&key.id, &[])).await.is_err());
    assert!(t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .is_err());
    t.keystore.restore_key(&key.id).await.unwrap();
    let back = t
        .keystore
        .unwrap(unwrap(&key.id, &wrapped.ciphertext, &[]))
        .await
        .unwrap();
    assert_eq!(Some(back.plaintext), wrapped.plaintext);
}
