//! The administration commands as a user runs them: on the embedded keystore, and with
//! `--endpoint` on a real `strongroom serve`, with the same results.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{start, stop, INSTANCE};
use serde_json::Value;

const API_KEY: &str = "commands-admin-key";

fn strongroom(dir: &Path, target: &[String], args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(args)
        .args(target)
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("cli-master.key"))
        .env("IBM_KEY_PROTECT_API_APIKEY", API_KEY)
        .env_remove("IBM_KEY_PROTECT_API_URL")
        .env_remove("IBM_KEY_PROTECT_API_AUTH_URL")
        .env_remove("IBM_KEY_PROTECT_INSTANCE_ID")
        .env("STRONGROOM_LOG", "warn")
        .output()
        .unwrap()
}

fn json(dir: &Path, target: &[String], args: &[&str]) -> Value {
    let out = strongroom(dir, target, &[args, &["--json"]].concat());
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The same session of commands on any target; returns what a script would compare.
fn session(dir: &Path, target: &[String]) -> Vec<String> {
    let key = json(dir, target, &["keys", "create", "orders"]);
    let id = key["id"].as_str().unwrap().to_owned();
    assert_eq!(key["state"], "active");

    let wrapped = json(dir, target, &["wrap", &id, "--aad", "tenant=acme"]);
    let dek = wrapped["plaintext"]
        .as_str()
        .expect("a generated DEK is printed");
    let ciphertext = wrapped["ciphertext"].as_str().unwrap();
    let unwrapped = json(
        dir,
        target,
        &["unwrap", &id, ciphertext, "--aad", "tenant=acme"],
    );
    assert_eq!(unwrapped["plaintext"], dek);

    let refused = strongroom(
        dir,
        target,
        &["unwrap", &id, ciphertext, "--aad", "tenant=evil"],
    );
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("[UNDECRYPTABLE]"), "{stderr}");

    std::fs::write(dir.join("material"), [9u8; 32]).unwrap();
    let material = dir.join("material").display().to_string();
    let imported = json(
        dir,
        target,
        &["import", "byok", "--material-file", &material],
    );
    assert_eq!(imported["imported"], true);

    let disabled = json(dir, target, &["keys", "disable", &id]);
    assert_eq!(disabled["state"], "suspended");
    let listed = json(dir, target, &["keys", "list", "--state", "suspended"]);
    assert_eq!(listed["total"], 1);
    let text = strongroom(dir, target, &["keys", "list"]);
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains("2 of 2 keys"), "{text}");
    let first = |sort: &str| {
        json(dir, target, &["keys", "list", "--sort", sort])["keys"][0]["name"].clone()
    };
    assert_eq!(first("name"), "byok");
    assert_eq!(first("-name"), "orders");
    let bad_sort = strongroom(dir, target, &["keys", "list", "--sort", "colour"]);
    assert!(!bad_sort.status.success());

    // Key rings, move, aliases, policies and the dual-authorization steps.
    let rotating = json(
        dir,
        target,
        &["keys", "create", "rotating", "--rotation-months", "6"],
    );
    assert_eq!(rotating["rotation"]["intervalMonth"], 6);
    json(dir, target, &["key-rings", "create", "payments"]);
    let rings = json(dir, target, &["key-rings", "list"]);
    assert!(rings
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == "payments"));
    let moved = json(dir, target, &["keys", "move", &id, "payments"]);
    assert_eq!(moved["keyRing"], "payments");
    json(dir, target, &["keys", "alias", "add", &id, "orders-root"]);
    let aliases = json(
        dir,
        target,
        &["keys", "alias", "list", "--prefix", "orders"],
    );
    assert_eq!(aliases["aliases"][0]["keyId"], id.as_str());
    let by_alias = json(dir, target, &["keys", "show", "orders-root"]);
    assert_eq!(by_alias["key"]["id"], id.as_str());
    let unaliased = json(
        dir,
        target,
        &["keys", "alias", "remove", &id, "orders-root"],
    );
    assert_eq!(unaliased["aliases"], serde_json::json!([]));
    let enabled = json(dir, target, &["keys", "enable", &id]);
    assert_eq!(enabled["state"], "active");
    let policies = json(
        dir,
        target,
        &[
            "keys",
            "policies",
            &id,
            "--rotation-months",
            "3",
            "--dual-auth-delete",
        ],
    );
    assert_eq!(policies["rotation"]["intervalMonth"], 3);
    assert_eq!(policies["dualAuthDelete"], true);
    let too_often = strongroom(
        dir,
        target,
        &["keys", "policies", &id, "--rotation-months", "13"],
    );
    assert!(!too_often.status.success());
    let scheduled = json(dir, target, &["keys", "schedule-deletion", &id]);
    assert_eq!(scheduled["dualAuthDelete"]["keySetForDeletion"], true);
    let same_person = strongroom(dir, target, &["keys", "delete", &id]);
    let same_person = String::from_utf8_lossy(&same_person.stderr).into_owned();
    assert!(
        same_person.contains("[AUTHORIZATIONS_NOT_MET]"),
        "{same_person}"
    );
    let cancelled = json(dir, target, &["keys", "cancel-deletion", &id]);
    assert_eq!(cancelled["dualAuthDelete"]["keySetForDeletion"], false);
    let live = strongroom(dir, target, &["keys", "purge", &id]);
    assert!(!live.status.success(), "a live key cannot be purged");
    vec![
        key["type"].to_string(),
        listed["keys"][0]["name"].to_string(),
        imported["keyType"].to_string(),
        stderr.lines().last().unwrap_or_default().to_owned(),
        same_person.lines().last().unwrap_or_default().to_owned(),
        aliases["total"].to_string(),
    ]
}

#[test]
fn commands_give_the_same_results_embedded_and_remote() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("embedded").display().to_string();
    let embedded = session(dir.path(), &["--data-dir".to_owned(), data]);

    let served = start(dir.path(), Some(API_KEY));
    let remote_dir = tempfile::tempdir().unwrap();
    let target = [
        "--endpoint".to_owned(),
        format!("http://{}", served.address),
        "--instance-id".to_owned(),
        INSTANCE.to_owned(),
    ];
    let remote = session(remote_dir.path(), &target);
    assert_eq!(remote, embedded);

    let out = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["keys", "list"])
        .args(&target)
        .env_remove("IBM_KEY_PROTECT_API_APIKEY")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("IBM_KEY_PROTECT_API_APIKEY"));
    stop(served);
}

#[test]
fn a_typed_data_dir_wins_over_an_exported_endpoint() {
    // README's remote set-up exports IBM_KEY_PROTECT_API_URL; a local store named on the
    // command line is still what the command works on (the URL here answers nothing).
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data").display().to_string();
    let out = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["keys", "list", "--json", "--data-dir", &data])
        .env(
            "STRONGROOM_MASTER_KEY_FILE",
            dir.path().join("cli-master.key"),
        )
        .env("IBM_KEY_PROTECT_API_URL", "http://127.0.0.1:9")
        .env("STRONGROOM_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let page: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(page["total"], 0);
}
