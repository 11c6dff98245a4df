//! Secret hygiene: a full scenario against `strongroom serve` with every crate logging at
//! TRACE, then a search for each secret it handled — the API key, the bearer token, a known
//! and a generated DEK, imported material (raw, base64 and hex) and a standard key's payload —
//! in the log, the error bodies, the audit trail and the raw bytes of the data directory.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::fs::File;
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use common::{http, token, INSTANCE};
use serde_json::{json, Value};

const API_KEY: &str = "hygiene-admin-api-key-5f0c2d9e81b4";
/// 32 bytes each, distinctive enough that a match cannot be a coincidence.
const IMPORTED: &[u8; 32] = b"IMPORTED-root-material-0001-abcd";
const ROTATED: &[u8; 32] = b"ROTATED--root-material-0002-efgh";
const KNOWN_DEK: &[u8; 32] = b"known-DEK-wrapped-by-hygiene-xyz";
const STANDARD_PAYLOAD: &[u8] = b"standard-payload-secret-0003-ijk";

/// A secret and the forms it must not appear in.
struct Secret {
    what: String,
    forms: Vec<Vec<u8>>,
}

fn text_secret(what: &str, value: &str) -> Secret {
    Secret {
        what: what.to_owned(),
        forms: vec![value.as_bytes().to_vec()],
    }
}

/// Raw bytes, standard and URL-safe base64, and lower-case hex.
fn material_secret(what: &str, bytes: &[u8]) -> Secret {
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Secret {
        what: what.to_owned(),
        forms: vec![
            bytes.to_vec(),
            STANDARD.encode(bytes).into_bytes(),
            URL_SAFE_NO_PAD.encode(bytes).into_bytes(),
            hex.into_bytes(),
        ],
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|w| w == needle)
}

/// Every (secret, place) pair where a form of the secret was found.
fn leaks(secrets: &[Secret], place: &str, haystack: &[u8]) -> Vec<String> {
    secrets
        .iter()
        .filter(|secret| secret.forms.iter().any(|form| contains(haystack, form)))
        .map(|secret| format!("{} found in {place}", secret.what))
        .collect()
}

/// The server process; killed and reaped if the test fails before stopping it.
struct Serving(Child);

impl Drop for Serving {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `strongroom serve` with `STRONGROOM_LOG=trace`, its output going to files (a full
/// TRACE log is far more than a pipe holds) outside the data directory.
fn serve(dir: &Path) -> (Serving, String) {
    let child = Serving(
        Command::new(env!("CARGO_BIN_EXE_strongroom"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.join("data"))
            .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
            .env("STRONGROOM_INSTANCE_ID", INSTANCE)
            .env("STRONGROOM_BOOTSTRAP_API_KEY", API_KEY)
            .env("STRONGROOM_LOG", "trace")
            .stdout(File::create(dir.join("stdout.log")).unwrap())
            .stderr(File::create(dir.join("stderr.log")).unwrap())
            .spawn()
            .unwrap(),
    );
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let stdout = std::fs::read_to_string(dir.join("stdout.log")).unwrap();
        if let Some(address) = stdout
            .lines()
            .find_map(|line| line.trim().strip_prefix("listening on http://"))
        {
            return (child, address.to_owned());
        }
        assert!(
            Instant::now() < deadline,
            "no `listening on` line: {stdout}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn stop(mut serving: Serving) {
    let child = &mut serving.0;
    let pid = child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "a graceful stop exits 0, got {status}");
            return;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The bytes of every file in the data directory (keystore.db, -wal, -shm, ...).
fn data_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir.join("data")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_file() {
            files.push((
                entry.file_name().to_string_lossy().into_owned(),
                std::fs::read(entry.path()).unwrap(),
            ));
        }
    }
    files
}

#[test]
fn no_secret_reaches_the_log_error_bodies_audit_trail_or_data_files() {
    let dir = tempfile::tempdir().unwrap();
    let (child, address) = serve(dir.path());
    let bearer = format!("Bearer {}", token(&address, API_KEY));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
        ("Content-Type", "application/json"),
    ];
    let mut error_bodies = Vec::new();
    let mut call = |method: &str, path: &str, body: Value, expected: u16| -> Value {
        let text = if body.is_null() {
            String::new()
        } else {
            body.to_string()
        };
        let (status, reply) = http(&address, method, path, &auth, &text);
        assert_eq!(status, expected, "{method} {path}: {reply}");
        if status >= 400 {
            error_bodies.push(reply.to_string());
        }
        reply
    };

    let root = call(
        "POST",
        "/api/v2/keys",
        json!({"resources": [{"name": "hygiene-root", "extractable": false}]}),
        201,
    )["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let standard = call(
        "POST",
        "/api/v2/keys",
        json!({"resources": [{"name": "hygiene-standard", "extractable": true,
            "payload": STANDARD.encode(STANDARD_PAYLOAD)}]}),
        201,
    )["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let generated_standard = call(
        "POST",
        "/api/v2/keys",
        json!({"resources": [{"name": "hygiene-standard-generated", "extractable": true}]}),
        201,
    )["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let imported = call(
        "POST",
        "/api/v2/keys",
        json!({"resources": [{"name": "hygiene-imported", "extractable": false,
            "payload": STANDARD.encode(IMPORTED)}]}),
        201,
    )["resources"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();

    // Wrap a known DEK and a generated one, with the root and the imported key.
    let known = call(
        "POST",
        &format!("/api/v2/keys/{imported}/actions/wrap"),
        json!({"plaintext": STANDARD.encode(KNOWN_DEK), "aad": ["tenant-7"]}),
        200,
    );
    let generated = call(
        "POST",
        &format!("/api/v2/keys/{root}/actions/wrap"),
        Value::Null,
        200,
    );
    let generated_dek = STANDARD
        .decode(generated["plaintext"].as_str().unwrap())
        .unwrap();
    let unwrapped = call(
        "POST",
        &format!("/api/v2/keys/{imported}/actions/unwrap"),
        json!({"ciphertext": known["ciphertext"], "aad": ["tenant-7"]}),
        200,
    );
    assert_eq!(
        STANDARD
            .decode(unwrapped["plaintext"].as_str().unwrap())
            .unwrap(),
        KNOWN_DEK
    );
    // A failing unwrap: the wrong AAD.
    call(
        "POST",
        &format!("/api/v2/keys/{imported}/actions/unwrap"),
        json!({"ciphertext": known["ciphertext"], "aad": ["tenant-8"]}),
        422,
    );
    // A failing wrap: a DEK too large, whose bytes must not be echoed back.
    call(
        "POST",
        &format!("/api/v2/keys/{root}/actions/wrap"),
        json!({"plaintext": STANDARD.encode(KNOWN_DEK.repeat(200))}),
        400,
    );
    // Rotate both root keys, the imported one to new known material.
    call(
        "POST",
        &format!("/api/v2/keys/{root}/actions/rotate"),
        Value::Null,
        204,
    );
    call(
        "POST",
        &format!("/api/v2/keys/{imported}/actions/rotate"),
        json!({"payload": STANDARD.encode(ROTATED)}),
        204,
    );
    let rewrapped = call(
        "POST",
        &format!("/api/v2/keys/{root}/actions/rewrap"),
        json!({"ciphertext": generated["ciphertext"]}),
        200,
    );
    assert!(rewrapped["ciphertext"].is_string());
    // Read the standard keys' payloads.
    let read = call("GET", &format!("/api/v2/keys/{standard}"), Value::Null, 200);
    assert_eq!(
        STANDARD
            .decode(read["resources"][0]["payload"].as_str().unwrap())
            .unwrap(),
        STANDARD_PAYLOAD
    );
    let read = call(
        "GET",
        &format!("/api/v2/keys/{generated_standard}"),
        Value::Null,
        200,
    );
    let generated_payload = STANDARD
        .decode(read["resources"][0]["payload"].as_str().unwrap())
        .unwrap();
    // Reading a root key returns its metadata, never its material.
    let read = call("GET", &format!("/api/v2/keys/{root}"), Value::Null, 200);
    assert!(read["resources"][0]["payload"].is_null(), "{read}");
    // An authorization through IAM Policy Management.
    let (status, policy) = http(
        &address,
        "POST",
        "/v1/policies",
        &auth,
        &json!({
            "type": "authorization",
            "subjects": [{"attributes": [
                {"name": "accountId", "value": "local"},
                {"name": "serviceName", "value": "cloud-object-storage"},
                {"name": "serviceInstance", "value": "cos-hygiene"}
            ]}],
            "roles": [{"role_id": "crn:v1:bluemix:public:iam::::serviceRole:Reader"}],
            "resources": [{"attributes": [
                {"name": "serviceName", "value": "kms"},
                {"name": "serviceInstance", "value": INSTANCE}
            ]}]
        })
        .to_string(),
    );
    assert_eq!(status, 201, "{policy}");
    // Calls with a bad token and a bad API key fail without echoing them.
    let forged = format!("{}x", &bearer[7..]);
    let (status, reply) = http(
        &address,
        "GET",
        "/api/v2/keys",
        &[
            ("Authorization", &format!("Bearer {forged}")),
            ("Bluemix-Instance", INSTANCE),
        ],
        "",
    );
    assert_eq!(status, 401);
    error_bodies.push(reply.to_string());
    let (status, reply) = http(
        &address,
        "POST",
        "/identity/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={API_KEY}-wrong"),
    );
    assert_eq!(status, 400);
    error_bodies.push(reply.to_string());

    // The data directory while the server runs (the WAL holds the latest writes), then after.
    let mut files = data_files(dir.path());
    stop(child);
    files.extend(data_files(dir.path()));

    let secrets = vec![
        text_secret("the API key", API_KEY),
        text_secret("the bearer token", &bearer[7..]),
        text_secret(
            "the bearer token's signature",
            bearer.rsplit('.').next().unwrap(),
        ),
        material_secret("the imported material", IMPORTED),
        material_secret("the rotated-in material", ROTATED),
        material_secret("the known DEK", KNOWN_DEK),
        material_secret("the generated DEK", &generated_dek),
        material_secret("the standard payload", STANDARD_PAYLOAD),
        material_secret("the generated standard payload", &generated_payload),
    ];
    let mut found = Vec::new();

    let stderr = std::fs::read(dir.path().join("stderr.log")).unwrap();
    let stdout = std::fs::read(dir.path().join("stdout.log")).unwrap();
    // The log really is at TRACE, and really covers the scenario.
    let log = String::from_utf8_lossy(&stderr);
    assert!(
        log.contains("TRACE"),
        "no TRACE lines: the test proves nothing"
    );
    assert!(log.contains(&imported) && log.contains(&root));
    assert!(
        !String::from_utf8_lossy(&stdout).contains("administrator API key"),
        "the bootstrap key was given: none is generated or printed"
    );
    found.extend(leaks(&secrets, "the server's stderr", &stderr));
    found.extend(leaks(&secrets, "the server's stdout", &stdout));
    assert!(error_bodies.len() >= 4, "{error_bodies:?}");
    for body in &error_bodies {
        found.extend(leaks(&secrets, "an error body", body.as_bytes()));
    }

    let audit = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["audit", "list", "--data-dir"])
        .arg(dir.path().join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.path().join("master.key"))
        .env("STRONGROOM_LOG", "trace")
        .output()
        .unwrap();
    assert!(audit.status.success(), "{audit:?}");
    let trail = String::from_utf8_lossy(&audit.stdout);
    assert!(
        trail.contains("kms.secrets.wrap") && trail.contains("kms.secrets.unwrap"),
        "{trail}"
    );
    found.extend(leaks(&secrets, "`strongroom audit list`", &audit.stdout));
    found.extend(leaks(
        &secrets,
        "`strongroom audit list`'s log",
        &audit.stderr,
    ));

    let files_after = data_files(dir.path());
    let db = rusqlite::Connection::open(dir.path().join("data/keystore.db")).unwrap();
    let mut rows = Vec::new();
    let mut statement = db.prepare("SELECT * FROM audit_events").unwrap();
    let columns = statement.column_count();
    let mut cursor = statement.query([]).unwrap();
    while let Some(row) = cursor.next().unwrap() {
        for i in 0..columns {
            let value: rusqlite::types::Value = row.get(i).unwrap();
            match value {
                rusqlite::types::Value::Text(text) => rows.extend(text.into_bytes()),
                rusqlite::types::Value::Blob(blob) => rows.extend(blob),
                other => rows.extend(format!("{other:?}").into_bytes()),
            }
            rows.push(b'|');
        }
    }
    assert!(
        contains(&rows, b"kms.secrets.wrap"),
        "the audit_events table holds the scenario"
    );
    found.extend(leaks(&secrets, "the audit_events table", &rows));

    files.extend(files_after);
    assert!(files.iter().any(|(name, _)| name == "keystore.db"));
    for (name, bytes) in &files {
        found.extend(leaks(&secrets, &format!("data file {name}"), bytes));
    }
    found.sort();
    found.dedup();
    assert!(found.is_empty(), "{found:#?}");
}
