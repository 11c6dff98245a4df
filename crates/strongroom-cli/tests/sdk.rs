//! The unmodified IBM Key Protect SDKs against `strongroom serve` on loopback. `scripts/test`
//! installs each SDK (Python in a venv, Node from tests/sdk/package-lock.json).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{start, stop, INSTANCE};

fn conformance(interpreter: &str, script: &str) {
    let dir = tempfile::tempdir().unwrap();
    let served = start(dir.path(), Some("sdk-admin-key"));
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/sdk")
        .join(script);
    let output = Command::new(interpreter)
        .arg(&script)
        .env("STRONGROOM_URL", format!("http://{}", served.address))
        .env("STRONGROOM_INSTANCE", INSTANCE)
        .env("STRONGROOM_API_KEY", "sdk-admin-key")
        // tests/sdk/secure_import.py is imported: keep __pycache__ out of the source tree.
        .env("PYTHONDONTWRITEBYTECODE", "1")
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
