//! `strongroom serve` as a process: start-up line, a real HTTP round trip on loopback,
//! graceful shutdown on SIGTERM, and persistence across a restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{http, start, stop, token, INSTANCE};

#[test]
fn serve_answers_on_loopback_stops_on_sigterm_and_keeps_keys() {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some("local-admin-key"));
    let bearer = format!("Bearer {}", token(&served.address, "local-admin-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];

    let create = r#"{"resources":[{"name":"served","extractable":false}]}"#;
    let (status, body) = http(&served.address, "POST", "/api/v2/keys", &auth, create);
    assert_eq!(status, 201, "{body}");
    let id = body["resources"][0]["id"].as_str().unwrap().to_owned();
    let (status, wrapped) = http(
        &served.address,
        "POST",
        &format!("/api/v2/keys/{id}/actions/wrap"),
        &auth,
        "",
    );
    assert_eq!(status, 200, "{wrapped}");
    let dek = wrapped["plaintext"].as_str().unwrap().to_owned();
    let log = stop(served);
    assert!(log.contains(&id), "the request spans name the key id");
    assert!(!log.contains(&dek), "the DEK never reaches the log");
    assert!(
        !log.contains("local-admin-key"),
        "the API key never reaches the log"
    );
    assert!(
        !log.contains(&bearer[7..]),
        "the token never reaches the log"
    );

    let served = start(dir.path(), Some("local-admin-key"));
    let bearer = format!("Bearer {}", token(&served.address, "local-admin-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let unwrap = format!(
        r#"{{"ciphertext":"{}"}}"#,
        wrapped["ciphertext"].as_str().unwrap()
    );
    let (status, body) = http(
        &served.address,
        "POST",
        &format!("/api/v2/keys/{id}/actions/unwrap"),
        &auth,
        &unwrap,
    );
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["plaintext"],
        dek.as_str(),
        "keys and material survive a restart"
    );
    stop(served);
}

#[test]
fn without_a_bootstrap_key_one_is_generated_and_shown_once() {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), None);
    let line = served
        .stdout_lines
        .iter()
        .find(|l| l.starts_with("administrator API key"))
        .expect("the generated key is printed")
        .clone();
    let api_key = line.rsplit(' ').next().unwrap().to_owned();
    token(&served.address, &api_key);
    let log = stop(served);
    assert!(
        !log.contains(&api_key),
        "printed once on stdout, never logged"
    );

    let again = start(dir.path(), None);
    assert!(
        !again
            .stdout_lines
            .iter()
            .any(|l| l.starts_with("administrator API key")),
        "only the first start shows a key"
    );
    token(&again.address, &api_key);
    stop(again);
}
