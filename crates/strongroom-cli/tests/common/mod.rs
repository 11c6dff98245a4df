//! Starting and stopping `strongroom serve` as a process, and a minimal HTTP/1.1 client.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub(crate) const INSTANCE: &str = "7c0d5f8e-2a1b-4c3d-9e8f-0a1b2c3d4e5f";

pub(crate) struct Served {
    pub(crate) child: Child,
    pub(crate) address: String,
    pub(crate) stdout_lines: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(dir: &Path, bootstrap: Option<&str>) -> Served {
    start_with(dir, bootstrap, &[])
}

/// `start` with more `serve` arguments; `address` is host:port for http and https alike.
pub(crate) fn start_with(dir: &Path, bootstrap: Option<&str>, extra: &[&str]) -> Served {
    start_logging(
        dir,
        bootstrap,
        extra,
        &[("STRONGROOM_LOG", "strongroom=trace")],
    )
}

/// `start_with` and these logging variables (`STRONGROOM_LOG`, `STRONGROOM_LOG_SPANS`) only;
/// none gives the defaults a person gets.
pub(crate) fn start_logging(
    dir: &Path,
    bootstrap: Option<&str>,
    extra: &[&str],
    logging: &[(&str, &str)],
) -> Served {
    let mut command = Command::new(env!("CARGO_BIN_EXE_strongroom"));
    // Any free port on loopback, unless the test chose where to listen.
    let listen: &[&str] = if extra.contains(&"--listen") {
        &[]
    } else {
        &["--listen", "127.0.0.1:0"]
    };
    command
        .arg("serve")
        .args(listen)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .args(extra)
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_INSTANCE_ID", INSTANCE)
        .env_remove("STRONGROOM_LOG")
        .env_remove("STRONGROOM_LOG_SPANS")
        .envs(logging.iter().copied())
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
        let address = line
            .strip_prefix("listening on http://")
            .or_else(|| line.strip_prefix("listening on https://"));
        if let Some(address) = address {
            served.address = address.to_owned();
        }
        served.stdout_lines.push(line);
        assert!(Instant::now() < deadline, "no `listening on` line");
    }
    served
}

/// A minimal HTTP/1.1 exchange: enough to prove the server speaks to a real socket.
pub(crate) fn http(
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

pub(crate) fn token(address: &str, api_key: &str) -> String {
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

/// Signs in with `api_key` and creates a root key named `name` in [`INSTANCE`]: the
/// `Authorization` header's value, and the key's id.
pub(crate) fn admin_with_key(address: &str, api_key: &str, name: &str) -> (String, String) {
    let bearer = format!("Bearer {}", token(address, api_key));
    let auth = [
        ("Authorization", bearer.as_str()),
        ("Bluemix-Instance", INSTANCE),
    ];
    let create = format!(r#"{{"resources":[{{"name":"{name}","extractable":false}}]}}"#);
    let (status, body) = http(address, "POST", "/api/v2/keys", &auth, &create);
    assert_eq!(status, 201, "{body}");
    let id = body["resources"][0]["id"].as_str().unwrap().to_owned();
    (bearer, id)
}

pub(crate) fn stop(served: Served) -> String {
    signal(&served, "TERM");
    exit_within(served, 10)
}

/// Sends the named signal (`TERM`, `INT`) to the server.
pub(crate) fn signal(served: &Served, name: &str) {
    let pid = served.child.id().to_string();
    assert!(Command::new("kill")
        .args([&format!("-{name}"), &pid])
        .status()
        .unwrap()
        .success());
}

/// Waits for the exit (at most `seconds` after being asked to stop), asserts it was clean,
/// returns the log.
pub(crate) fn exit_within(mut served: Served, seconds: u64) -> String {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    loop {
        if let Some(status) = served.child.try_wait().unwrap() {
            assert!(status.success(), "a graceful stop exits 0, got {status}");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "serve was still running {seconds} s after it was asked to stop"
        );
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
