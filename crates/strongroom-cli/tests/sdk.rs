//! The unmodified IBM Key Protect SDKs, and IBM's platform SDK for authorization policies,
//! against `strongroom serve` on loopback. `scripts/test` installs each SDK (Python in a venv,
//! Node from tests/sdk/package-lock.json).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{start, stop, Served, INSTANCE};

const ADMIN_KEY: &str = "sdk-admin-key";

fn conformance(interpreter: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some(ADMIN_KEY));
    run_script(interpreter, script, served, ADMIN_KEY, &[]);
}

/// Runs one SDK script against `served` and stops the server; the script's last line is its
/// pass/fail tally.
fn run_script(
    interpreter: &str,
    script: &str,
    served: Served,
    admin_key: &str,
    env: &[(&str, &str)],
) {
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/sdk")
        .join(script);
    let output = Command::new(interpreter)
        .arg(&script)
        .env("STRONGROOM_URL", format!("http://{}", served.address))
        .env("STRONGROOM_INSTANCE", INSTANCE)
        .env("STRONGROOM_API_KEY", admin_key)
        // tests/sdk/secure_import.py is imported: keep __pycache__ out of the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    let log = stop(served);
    assert!(
        output.status.success(),
        "{}\n{}\nserver log:\n{log}",
        report,
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(report.contains(" 0 failed"), "{report}");
}

/// The API keys `strongroom services register` prints on a fresh data directory.
struct Registered {
    /// The administrator's: the first administration command on a fresh keystore creates it.
    admin_key: String,
    service_key: String,
}

/// Registers a source service instance as a service identity, before `serve` starts.
fn register_service(dir: &Path, service: &str, instance: &str) -> Registered {
    let output = Command::new(env!("CARGO_BIN_EXE_strongroom"))
        .args(["services", "register", "--service", service])
        .args(["--instance", instance, "--data-dir"])
        .arg(dir.join("data"))
        .env("STRONGROOM_MASTER_KEY_FILE", dir.join("master.key"))
        .env_remove("STRONGROOM_BOOTSTRAP_API_KEY")
        .env_remove("STRONGROOM_DATA_DIR")
        .output()
        .unwrap();
    // stdout carries the keys: only stderr goes into a failure message.
    assert!(
        output.status.success(),
        "services register failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let shown = |prefix: &str| {
        stdout
            .lines()
            .find_map(|line| line.strip_prefix(prefix))
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no `{prefix}` line from services register"))
    };
    Registered {
        admin_key: shown("administrator API key (shown once, store it now): "),
        service_key: shown("api key (shown once, store it now): "),
    }
}

#[test]
#[ignore = "needs the IBM Python SDK keyprotect 3.x: run scripts/test"]
fn ibm_python_sdk_keyprotect_3() {
    let python = std::env::var("STRONGROOM_SDK_PYTHON_KP3")
        .expect("STRONGROOM_SDK_PYTHON_KP3 names a Python with keyprotect 3.x: run scripts/test");
    conformance(&python, "keyprotect_v3.py");
}

#[test]
#[ignore = "needs the legacy IBM Python SDK keyprotect 2.x: run scripts/test"]
fn ibm_python_sdk_keyprotect_2() {
    let python = std::env::var("STRONGROOM_SDK_PYTHON_KP2")
        .expect("STRONGROOM_SDK_PYTHON_KP2 names a Python with keyprotect 2.x: run scripts/test");
    conformance(&python, "keyprotect_v2.py");
}

#[test]
#[ignore = "needs the IBM Node.js SDK in tests/sdk/node_modules: run scripts/test"]
fn ibm_node_sdk_ibm_key_protect() {
    assert!(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/sdk/node_modules/@ibm-cloud/ibm-key-protect")
            .exists(),
        "run `npm ci --prefix tests/sdk` (scripts/test does)"
    );
    conformance("node", "ibm_key_protect_node.mjs");
}

#[test]
#[ignore = "needs IBM's Python platform SDK ibm-platform-services: run scripts/test"]
fn ibm_python_sdk_platform_services_authorizations() {
    let python = std::env::var("STRONGROOM_SDK_PYTHON_PLATFORM").expect(
        "STRONGROOM_SDK_PYTHON_PLATFORM names a Python with ibm-platform-services: run scripts/test",
    );
    let dir = tempfile::tempdir().unwrap();
    let (service, instance) = ("cloud-object-storage", "cos-instance-1");
    let registered = register_service(dir.path(), service, instance);
    let served = start(dir.path(), None);
    run_script(
        &python,
        "platform_services.py",
        served,
        &registered.admin_key,
        &[
            ("STRONGROOM_SERVICE_API_KEY", &registered.service_key),
            ("STRONGROOM_SOURCE_SERVICE", service),
            ("STRONGROOM_SOURCE_INSTANCE", instance),
        ],
    );
}
