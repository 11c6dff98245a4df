//! The administration commands as processes on a real data directory: instances, service
//! identities, authorizations, and `audit verify` catching a row edited behind its back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::{Command, Output};

fn strongroom(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_BOOTSTRAP_API_KEY", "admin-key-for-tests")
        .env("STRONGROOM_LOG", "off")
        .output()
        .unwrap()
}

/// Runs a command whose standard output is a pipe with its read end closed before the command
/// starts, so its first line meets it (`strongroom … | head`, the reader gone).
// `std::io::pipe` is newer than the crate's MSRV; tests build on the pinned toolchain only
// (clippy allowed it in the two `#[test]` bodies this was lifted from).
#[allow(clippy::incompatible_msrv)]
fn into_a_closed_pipe(dir: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(args)
        .arg("--data-dir")
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env("STRONGROOM_LOG", "off")
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[test]
fn authorizations_and_the_audit_trail_from_the_shell() {
    let dir = tempfile::tempdir().unwrap();
    let created = stdout(&strongroom(
        dir.path(),
        &["instances", "create", "--name", "billing"],
    ));
    let listed = stdout(&strongroom(dir.path(), &["instances", "list"]));
    assert_eq!(listed.lines().count(), 2, "{listed}");
    assert!(listed.contains(created.trim()));

    let registered = stdout(&strongroom(
        dir.path(),
        &[
            "services",
            "register",
            "--service",
            "cloud-object-storage",
            "--instance",
            "cos-1",
        ],
    ));
    assert!(registered.contains("iam-ServiceId-cloud-object-storage-cos-1"));
    let id = stdout(&strongroom(
        dir.path(),
        &[
            "authorizations",
            "create",
            "--source-service",
            "cloud-object-storage",
            "--source-instance",
            "cos-1",
        ],
    ));
    let list = stdout(&strongroom(dir.path(), &["authorizations", "list"]));
    assert!(
        list.contains(id.trim()) && list.contains("Reader"),
        "{list}"
    );
    stdout(&strongroom(
        dir.path(),
        &["authorizations", "delete", id.trim()],
    ));
    let list = stdout(&strongroom(dir.path(), &["authorizations", "list"]));
    assert!(!list.contains(id.trim()), "{list}");

    let trail = stdout(&strongroom(dir.path(), &["audit", "list"]));
    assert!(trail.contains("iam.authorization.create"), "{trail}");
    assert!(trail.contains("iam.authorization.delete"), "{trail}");
    assert!(
        !trail.contains("admin-key-for-tests"),
        "no credentials in the trail"
    );
    let verified = stdout(&strongroom(dir.path(), &["audit", "verify"]));
    assert!(verified.contains("intact"), "{verified}");

    // Someone with the database file but not the master key edits a row.
    let conn = rusqlite::Connection::open(dir.path().join("data/keystore.db")).unwrap();
    let changed = conn
        .execute(
            "UPDATE audit_events SET initiator = 'IBMid-nobody' WHERE action = 'iam.authorization.delete'",
            [],
        )
        .unwrap();
    assert_eq!(changed, 1);
    drop(conn);
    let broken = strongroom(dir.path(), &["audit", "verify"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&broken.stderr).contains("BROKEN"));
}

#[test]
fn the_first_command_on_a_new_store_takes_the_chosen_instance_id() {
    // The README's fixed instance id for test set-ups holds whether `serve` or an
    // administration command opens the store first.
    let chosen = "11111111-2222-4333-8444-555555555555";
    for first in [&["instances", "list"][..], &["keys", "list"][..]] {
        let dir = tempfile::tempdir().unwrap();
        let run = |args: &[&str]| {
            Command::new(env!("CARGO_BIN_EXE_strongroom"))
                .args(args)
                .arg("--data-dir")
                .arg(dir.path().join("data"))
                .env("STRONGROOM_MASTER_KEY_FILE", dir.path().join("master.key"))
                .env("STRONGROOM_INSTANCE_ID", chosen)
                .env("STRONGROOM_LOG", "off")
                .env_remove("IBM_KEY_PROTECT_API_URL")
                .output()
                .unwrap()
        };
        stdout(&run(first));
        let listed = stdout(&run(&["instances", "list"]));
        assert!(listed.starts_with(chosen), "after {first:?}: {listed}");
    }
}

#[test]
fn a_blank_user_gets_no_api_key() {
    let dir = tempfile::tempdir().unwrap();
    let output = strongroom(
        dir.path(),
        &["apikeys", "create", "--user", "   ", "--role", "Manager"],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("must not be blank"), "{stderr}");
    assert!(!String::from_utf8_lossy(&output.stdout).contains("api key"));
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    // `strongroom audit list | head -2`: the reader goes away before the listing is written.
    let dir = tempfile::tempdir().unwrap();
    stdout(&strongroom(
        dir.path(),
        &["instances", "create", "--name", "piped"],
    ));
    let output = into_a_closed_pipe(dir.path(), &["instances", "list"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", output.status);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_new_api_key_that_cannot_be_shown_fails_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let output = into_a_closed_pipe(dir.path(), &["apikeys", "create", "--user", "IBMid-unseen"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("could not be shown"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
