//! `strongroom serve` as a process: start-up line, a real HTTP round trip on loopback,
//! graceful shutdown on SIGTERM, and persistence across a restart.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const INSTANCE: &str = "7c0d5f8e-2a1b-4c3d-9e8f-0a1b2c3d4e5f";

struct Served {
    child: Child,
    address: String,
    stdout_lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(dir: &Path, bootstrap: Option<&str>) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strongroom"));
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_INSTANCE_ID", INSTANCE)
        .env("STRONGROOM_LOG", "strongroom=trace")
        .env_remove("STRONGROOM_BOOTSTRAP_API_KEY")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(key) = bootstrap {
        command.env("STRONGROOM_BOOTSTRAP_API_KEY", key);
    }
    let mut served = Served {
        child: command.spawn().unwrap(),
        address: String::new(),
        stdout_lines: Vec::new(),
    };
    let mut stdout = BufReader::new(served.child.stdout.take().unwrap());
    let deadline = Instant::now() + Duration::from_secs(20);
    while served.address.is_empty() {
        let mut line = String::new();
        assert!(
            stdout.read_line(&mut line).unwrap() > 0,
            "serve exited early: {:?}",
            served.stdout_lines
        );
        let line = line.trim().to_owned();
        if let Some(address) = line.strip_prefix("listening on http://") {
            served.address = address.to_owned();
        }
        served.stdout_lines.push(line);
        assert!(Instant::now() < deadline, "no `listening on` line");
    }
    served
}

/// A minimal HTTP/1.1 exchange: enough to prove the server speaks to a real socket.
fn http(
    address: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (u16, Value) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

fn token(address: &str, api_key: &str) -> String {
    let (status, body) = http(
        address,
        "POST",
        "/identity/token",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        &format!("grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey={api_key}"),
    );
    assert_eq!(status, 200, "{body}");
    body["access_token"].as_str().unwrap().to_owned()
}

fn stop(mut served: Served) -> String {
    let pid = served.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert!(status.success(), "a graceful stop exits 0, got {status}");
            break;
        }
        assert!(Instant::now() < deadline, "serve did not stop on SIGTERM");
        std::thread::sleep(Duration::from_millis(50));
    }
    let mut stderr = String::new();
    served
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    stderr
}

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
