//! `strongroom serve` as a process: start-up line, a real HTTP round trip on loopback,
//! graceful shutdown on SIGTERM, and persistence across a restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{
    admin_with_key, exit_within, http, signal, start, start_logging, start_with, stop, token,
    INSTANCE,
};

#[test]
fn serve_answers_on_loopback_stops_on_sigterm_and_keeps_keys() {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some("local-admin-key"));
    let (bearer, id) = admin_with_key(&served.address, "local-admin-key", "served");
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
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
fn a_sigterm_as_soon_as_it_listens_still_stops_it_gracefully() {
    // The signal handlers are installed before "listening on" is printed; when they were
    // installed on the shutdown future's first poll, a SIGTERM in between killed the process.
    // Each round stops it the moment the line is read (`stop` asserts a zero exit).
    let dir = tempfile::tempdir().unwrap();
    for _ in 0..10 {
        stop(start(dir.path(), Some("quick-admin-key")));
    }
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

#[test]
fn serve_with_a_certificate_speaks_https_and_still_stops_gracefully() {
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let served = start_with(
        dir.path(),
        Some("tls-admin-key"),
        &["--tls-cert", &cert, "--tls-key", &key],
    );
    assert!(
        served
            .stdout_lines
            .last()
            .unwrap()
            .starts_with("listening on https://"),
        "{:?}",
        served.stdout_lines
    );
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args([
            "keys",
            "list",
            "--json",
            "--instance-id",
            INSTANCE,
            "--ca-file",
            &cert,
        ])
        .args(["--endpoint", &format!("https://{}", served.address)])
        .env("IBM_KEY_PROTECT_API_APIKEY", "tls-admin-key")
        .output()
        .unwrap();
    assert!(
        listed.status.success(),
        "{}",
        String::from_utf8_lossy(&listed.stderr)
    );
    let page: serde_json::Value = serde_json::from_slice(&listed.stdout).unwrap();
    assert_eq!(page["total"], 0);
    stop(served);
}

#[test]
fn a_certificate_without_its_key_is_refused_at_start() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["serve", "--tls-cert", "cert.pem"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--tls-key"));
}

/// A root key whose rotation policy is overdue when `serve` starts is rotated by the server
/// itself, audited as the policy's doing; an imported key with the same policy is not. A key
/// whose expiration date has passed is stored as deactivated, audited as the expiry's doing.
#[test]
fn serve_rotates_due_keys_and_records_expired_ones() {
    let seed = r#"
keys:
  - id: 5eed0000-0000-4000-8000-00000000000a
    name: overdue
    rotation_interval_months: 1
    versions:
      - created_at: 2025-01-01T00:00:00Z
  - id: 5eed0000-0000-4000-8000-00000000000b
    name: imported-overdue
    rotation_interval_months: 1
    versions:
      - material: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
        created_at: 2025-01-01T00:00:00Z
  - id: 5eed0000-0000-4000-8000-00000000000c
    name: retired
    expires_at: 2025-06-01T00:00:00Z
"#;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("seed.yaml");
    std::fs::write(&path, seed).unwrap();
    let served = start_with(
        dir.path(),
        Some("rotation-key"),
        &["--seed", path.to_str().unwrap()],
    );
    let bearer = format!("Bearer {}", token(&served.address, "rotation-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let versions = |key: &str| {
        let (status, body) = http(
            &served.address,
            "GET",
            &format!("/api/v2/keys/{key}/versions"),
            &auth,
            "",
        );
        assert_eq!(status, 200, "{body}");
        body["resources"].as_array().unwrap().len()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while versions("5eed0000-0000-4000-8000-00000000000a") < 2
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(versions("5eed0000-0000-4000-8000-00000000000a"), 2);
    assert_eq!(versions("5eed0000-0000-4000-8000-00000000000b"), 1);
    let (status, trail) = http(
        &served.address,
        "GET",
        "/api/v2/audit_events?action=kms.secrets.rotate",
        &auth,
        "",
    );
    assert_eq!(status, 200, "{trail}");
    let events = trail["resources"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{trail}");
    assert_eq!(events[0]["initiator"], "strongroom-rotation-policy");
    assert_eq!(events[0]["target"], "5eed0000-0000-4000-8000-00000000000a");

    // The expiry is recorded before the rotation check, so it is in the trail by now.
    let (status, trail) = http(
        &served.address,
        "GET",
        "/api/v2/audit_events?action=kms.secrets.expire",
        &auth,
        "",
    );
    assert_eq!(status, 200, "{trail}");
    let events = trail["resources"].as_array().unwrap();
    assert_eq!(events.len(), 1, "{trail}");
    assert_eq!(events[0]["initiator"], "strongroom-expiry");
    assert_eq!(events[0]["target"], "5eed0000-0000-4000-8000-00000000000c");
    let (status, deactivated) = http(&served.address, "GET", "/api/v2/keys?state=3", &auth, "");
    assert_eq!(status, 200, "{deactivated}");
    let ids: Vec<&str> = deactivated["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|key| key["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["5eed0000-0000-4000-8000-00000000000c"]);
    stop(served);
}

/// `--seed`: fixed ids, aliases, rings and material, so a ciphertext made in one run (or by
/// another machine with the same seed) unwraps in the next; seeding twice changes nothing.
#[test]
fn a_seed_gives_deterministic_keys_across_restarts_and_machines() {
    let seed = r#"
key_rings: [payments]
keys:
  - id: 5eed0000-0000-4000-8000-000000000001
    name: seeded-orders
    key_ring: payments
    aliases: [orders]
    versions:
      - id: 5eed0000-0000-4000-8000-0000000000a1
        material: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
        created_at: 2026-01-01T00:00:00Z
      - id: 5eed0000-0000-4000-8000-0000000000a2
        material: HxwdHBsaGRgXFhUUExIREA8ODQwLCgkIBwYFBAMCAQA=
  - id: 5eed0000-0000-4000-8000-000000000002
    name: seeded-config
    type: standard
    versions:
      - material: c2VlZGVkIHN0YW5kYXJkIHBheWxvYWQ=
"#;
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let path = first.path().join("seed.yaml");
    std::fs::write(&path, seed).unwrap();
    let path = path.to_str().unwrap().to_owned();

    // Machine one wraps with the old version by asking the seeded key through its alias.
    let served = start_with(first.path(), Some("seed-key"), &["--seed", &path]);
    let bearer = format!("Bearer {}", token(&served.address, "seed-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let (status, metadata) = http(
        &served.address,
        "GET",
        "/api/v2/keys/orders/metadata",
        &auth,
        "",
    );
    assert_eq!(status, 200, "{metadata}");
    let key = &metadata["resources"][0];
    assert_eq!(key["id"], "5eed0000-0000-4000-8000-000000000001");
    assert_eq!(key["keyRingID"], "payments");
    assert_eq!(
        key["keyVersion"]["id"],
        "5eed0000-0000-4000-8000-0000000000a2"
    );
    let (_, versions) = http(
        &served.address,
        "GET",
        "/api/v2/keys/orders/versions",
        &auth,
        "",
    );
    assert_eq!(versions["resources"].as_array().unwrap().len(), 2);
    let (status, wrapped) = http(
        &served.address,
        "POST",
        "/api/v2/keys/orders/actions/wrap",
        &auth,
        r#"{"plaintext":"ZGV0ZXJtaW5pc3RpYyBkZWs="}"#,
    );
    assert_eq!(status, 200, "{wrapped}");
    let (status, standard) = http(
        &served.address,
        "GET",
        "/api/v2/keys/5eed0000-0000-4000-8000-000000000002",
        &auth,
        "",
    );
    assert_eq!(status, 200);
    assert_eq!(
        standard["resources"][0]["payload"],
        "c2VlZGVkIHN0YW5kYXJkIHBheWxvYWQ="
    );
    stop(served);

    // Restart with the same seed: nothing duplicated.
    let served = start_with(first.path(), Some("seed-key"), &["--seed", &path]);
    let bearer = format!("Bearer {}", token(&served.address, "seed-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let (_, listed) = http(
        &served.address,
        "GET",
        "/api/v2/keys?totalCount=true",
        &auth,
        "",
    );
    assert_eq!(listed["metadata"]["totalCount"], 2, "{listed}");
    stop(served);

    // Machine two, same seed, unwraps machine one's ciphertext.
    let served = start_with(second.path(), Some("seed-key"), &["--seed", &path]);
    let bearer = format!("Bearer {}", token(&served.address, "seed-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let body = format!(
        r#"{{"ciphertext":"{}"}}"#,
        wrapped["ciphertext"].as_str().unwrap()
    );
    let (status, unwrapped) = http(
        &served.address,
        "POST",
        "/api/v2/keys/orders/actions/unwrap",
        &auth,
        &body,
    );
    assert_eq!(status, 200, "{unwrapped}");
    assert_eq!(unwrapped["plaintext"], "ZGV0ZXJtaW5pc3RpYyBkZWs=");
    stop(served);

    // A bad seed is refused before serving, with a sentence naming the entry.
    let bad = first.path().join("bad.yaml");
    std::fs::write(&bad, "keys:\n  - id: not-a-uuid\n    name: x1\n").unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(first.path().join("other"))
        .args(["--seed", bad.to_str().unwrap()])
        .env(
            "STRONGROOM_MASTER_KEY_FILE",
            first.path().join("master.key"),
        )
        .output()
        .unwrap();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("keys[0]"), "{stderr}");
}

/// Starts `serve` with `logging`, creates a key and wraps with it, and returns the key id, the
/// correlation id sent with the wrap, and the log.
fn wrap_once_logging(dir: &std::path::Path, logging: &[(&str, &str)]) -> (String, String, String) {
    let served = start_logging(dir, Some("log-admin-key"), &[], logging);
    let (bearer, id) = admin_with_key(&served.address, "log-admin-key", "logged");
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let correlation = format!("wrap-{id}");
    let mut headers = auth.to_vec();
    headers.push(("Correlation-Id", correlation.as_str()));
    let path = format!("/api/v2/keys/{id}/actions/wrap");
    let (status, body) = http(&served.address, "POST", &path, &headers, "");
    assert_eq!(status, 200, "{body}");
    (id, correlation, stop(served))
}

#[test]
fn the_default_log_has_one_access_line_per_request_and_spans_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let (id, correlation, log) = wrap_once_logging(dir.path(), &[]);
    let lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(&correlation))
        .collect();
    assert_eq!(lines.len(), 1, "one line for the wrap: {log}");
    let line = lines[0];
    for field in [
        " INFO ".to_owned(),
        "method=POST".to_owned(),
        format!("path=/api/v2/keys/{id}/actions/wrap"),
        format!("key_id=\"{id}\""),
        "principal=\"".to_owned(),
        format!("instance=\"{INSTANCE}\""),
        "status=200".to_owned(),
        "latency_us=".to_owned(),
    ] {
        assert!(line.contains(&field), "{field} missing from {line}");
    }
    assert!(
        !log.contains("request{"),
        "no request span is formatted by default: {log}"
    );

    // Asked for, the span is there: with its fields, around the access line and as a
    // closing line with its timings.
    let (id, correlation, log) = wrap_once_logging(dir.path(), &[("STRONGROOM_LOG_SPANS", "1")]);
    let lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains(&correlation))
        .collect();
    assert!(
        lines.iter().any(|line| line.contains("request{")
            && line.contains(&format!("key_id=\"{id}\""))
            && line.contains("status=200")),
        "the access line inside its span: {lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("close") && line.contains("time.busy")),
        "the span's closing line: {lines:?}"
    );
}

/// A client that sent half a request and went quiet: the token endpoint reads the body
/// before anything else, so the request stays in flight.
fn half_a_request(address: &str) -> std::net::TcpStream {
    use std::io::Write;
    let mut stream = std::net::TcpStream::connect(address).unwrap();
    stream
        .write_all(
            b"POST /identity/token HTTP/1.1\r\nHost: s\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\ng",
        )
        .unwrap();
    // Let the server take the connection and start reading the body.
    std::thread::sleep(std::time::Duration::from_millis(300));
    stream
}

#[test]
fn a_client_gone_quiet_mid_request_holds_a_stop_only_for_the_drain() {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some("drain-admin-key"));
    let _quiet = half_a_request(&served.address);
    signal(&served, "TERM");
    // The drain is 10 s; the client holds its connection for the whole test.
    let log = exit_within(served, 40);
    assert!(log.contains("shutting down"), "{log}");
    assert!(
        log.contains("stopped with requests still in flight"),
        "{log}"
    );
}

#[test]
fn a_second_signal_stops_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some("drain-admin-key"));
    let _quiet = half_a_request(&served.address);
    let asked = std::time::Instant::now();
    signal(&served, "INT");
    std::thread::sleep(std::time::Duration::from_millis(300));
    signal(&served, "INT");
    let log = exit_within(served, 40);
    // Not a speed check: without the second signal it would have waited out the 10 s drain.
    assert!(
        asked.elapsed() < std::time::Duration::from_secs(8),
        "stopped only after {:?}, as if the second signal were not heard",
        asked.elapsed()
    );
    assert!(
        log.contains("stopped with requests still in flight"),
        "{log}"
    );
}

#[test]
fn a_start_that_cannot_listen_creates_no_keystore_and_shows_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().to_string();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["serve", "--listen", &port, "--data-dir"])
        .arg(dir.path().join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.path().join("master.key"))
        .env_remove("STRONGROOM_BOOTSTRAP_API_KEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot listen on"), "{stderr}");
    assert!(!stdout.contains("administrator API key"), "{stdout}");
    assert!(!dir.path().join("data").exists(), "no keystore was created");
    assert!(
        !dir.path().join("master.key").exists(),
        "no master key was made"
    );
}

#[test]
fn a_ca_certificate_served_as_the_servers_own_is_explained() {
    // `openssl req -x509` makes such a certificate unless told otherwise; curl accepts it,
    // rustls does not, and the message says what to change.
    use rcgen::{BasicConstraints, CertificateParams, IsCa, KeyPair};
    let dir = tempfile::tempdir().unwrap();
    let key_pair = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec!["127.0.0.1".to_owned()]).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let certified = params.self_signed(&key_pair).unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, certified.pem()).unwrap();
    std::fs::write(&key, key_pair.serialize_pem()).unwrap();
    let (cert, key) = (cert.display().to_string(), key.display().to_string());
    let served = start_with(
        dir.path(),
        Some("ca-admin-key"),
        &["--tls-cert", &cert, "--tls-key", &key],
    );
    let listed = std::process::Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args([
            "keys",
            "list",
            "--instance-id",
            INSTANCE,
            "--ca-file",
            &cert,
        ])
        .args(["--endpoint", &format!("https://{}", served.address)])
        .env("IBM_KEY_PROTECT_API_APIKEY", "ca-admin-key")
        .output()
        .unwrap();
    assert!(!listed.status.success());
    let stderr = String::from_utf8_lossy(&listed.stderr);
    assert!(stderr.contains("CA:FALSE"), "{stderr}");
    stop(served);
}

#[test]
fn serve_listens_on_a_host_name_and_warns_only_beyond_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let served = start_with(
        dir.path(),
        Some("host-admin-key"),
        &["--listen", "localhost:0"],
    );
    token(&served.address, "host-admin-key");
    let log = stop(served);
    assert!(!log.contains("plain HTTP beyond this machine"), "{log}");

    let served = start_with(
        dir.path(),
        Some("host-admin-key"),
        &["--listen", "0.0.0.0:0"],
    );
    let log = stop(served);
    assert!(log.contains("plain HTTP beyond this machine"), "{log}");
}

/// `--virtual-clock`: a Manager moves the clock ahead and the rules follow at once (an
/// expiration recorded, the restore window closed); the store keeps the
/// time it was moved to, and a server started without the flag refuses to move it.
#[test]
fn a_virtual_clock_crosses_expiry_and_restore_windows_and_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let served = start_with(dir.path(), Some("clock-key"), &["--virtual-clock"]);
    let (bearer, _) = admin_with_key(&served.address, "clock-key", "first");
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let call =
        |method: &str, path: &str, body: &str| http(&served.address, method, path, &auth, body);
    let tomorrow = (time::OffsetDateTime::now_utc() + time::Duration::days(1))
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let create = |name: &str, extra: &str| {
        let body = format!(r#"{{"resources":[{{"name":"{name}","extractable":false{extra}}}]}}"#);
        let (status, body) = call("POST", "/api/v2/keys", &body);
        assert_eq!(status, 201, "{body}");
        body["resources"][0]["id"].as_str().unwrap().to_owned()
    };
    let expiring = create("expiring", &format!(r#","expirationDate":"{tomorrow}""#));
    let restored = create("restored", "");
    let restored_early = create("restored early", "");

    let (status, clock) = call("GET", "/api/v2/clock", "");
    assert_eq!(status, 200, "{clock}");
    assert_eq!(clock["offsetSeconds"], 0);
    assert_eq!(clock["advanceable"], true);
    for id in [&restored, &restored_early] {
        let (status, body) = call("DELETE", &format!("/api/v2/keys/{id}"), "");
        assert_eq!(status, 204, "{body}");
    }
    let wrap = format!("/api/v2/keys/{expiring}/actions/wrap");
    assert_eq!(call("POST", &wrap, "").0, 200);

    for (body, reason) in [
        (r#"{"by": "-1d"}"#, "INVALID_FIELD_ERR"),
        (r#"{"by": "soon"}"#, "INVALID_FIELD_ERR"),
        ("", "INVALID_FIELD_ERR"),
    ] {
        let (status, refusal) = call("POST", "/api/v2/clock", body);
        assert_eq!(status, 400, "{body}: {refusal}");
        assert_eq!(
            refusal["resources"][0]["reasons"][0]["code"], reason,
            "{refusal}"
        );
    }
    let (status, clock) = call("POST", "/api/v2/clock", r#"{"by": "2d"}"#);
    assert_eq!(status, 200, "{clock}");
    assert_eq!(clock["offsetSeconds"], 2 * 86_400);
    let now = time::OffsetDateTime::parse(
        clock["now"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    assert!(now > time::OffsetDateTime::now_utc() + time::Duration::hours(47));

    // The expiration was recorded before the answer, not at the next minute's check.
    let (status, deactivated) = call("GET", "/api/v2/keys?state=3", "");
    assert_eq!(status, 200, "{deactivated}");
    assert_eq!(deactivated["resources"][0]["id"], expiring.as_str());
    let (status, refusal) = call("POST", &wrap, "");
    assert_eq!(status, 409, "an expired key wraps nothing: {refusal}");
    assert!(
        refusal["resources"][0]["errorMsg"]
            .as_str()
            .unwrap()
            .contains("deactivated"),
        "{refusal}"
    );
    let (status, body) = call(
        "POST",
        &format!("/api/v2/keys/{restored_early}/restore"),
        "",
    );
    assert_eq!(status, 201, "2 days into the 30-day window: {body}");

    let (status, _) = call("POST", "/api/v2/clock", r#"{"by": "29d"}"#);
    assert_eq!(status, 200);
    let (status, refusal) = call("POST", &format!("/api/v2/keys/{restored}/restore"), "");
    assert_eq!(
        status, 409,
        "the 30-day restore window has closed: {refusal}"
    );

    let (status, trail) = call(
        "GET",
        "/api/v2/audit_events?action=strongroom.clock.advance",
        "",
    );
    assert_eq!(status, 200, "{trail}");
    let moves: Vec<(&str, &str)> = trail["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            (
                event["target"].as_str().unwrap(),
                event["outcome"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        moves,
        [
            ("+2505600s", "success"),
            ("+172800s", "success"),
            ("", "INVALID_INPUT"),
            ("", "INVALID_INPUT"),
            ("", "INVALID_INPUT"),
        ],
        "the malformed moves are refused and recorded too: {trail}"
    );
    let log = stop(served);
    assert!(log.contains("the clock may be moved ahead"), "{log}");

    let served = start(dir.path(), Some("clock-key"));
    let bearer = format!("Bearer {}", token(&served.address, "clock-key"));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let (status, clock) = http(&served.address, "GET", "/api/v2/clock", &auth, "");
    assert_eq!(status, 200, "{clock}");
    assert_eq!(
        clock["offsetSeconds"],
        31 * 86_400,
        "the store keeps its time"
    );
    assert_eq!(clock["advanceable"], false);
    let (status, refusal) = http(
        &served.address,
        "POST",
        "/api/v2/clock",
        &auth,
        r#"{"by": "1d"}"#,
    );
    assert_eq!(status, 403, "{refusal}");
    assert!(
        refusal["resources"][0]["errorMsg"]
            .as_str()
            .unwrap()
            .contains("--virtual-clock"),
        "{refusal}"
    );
    let log = stop(served);
    assert!(log.contains("this store's clock runs ahead"), "{log}");
}
