//! The web console `strongroom serve` hosts at `/ui`, driven in Debian's Chromium by
//! playwright-core (tests/web/console.mjs). `scripts/test` installs Chromium and
//! tests/web/node_modules, and builds ui/dist and the `strongroom` binary first.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use strongroom_tests::{target_dir, Served, SERVED_API_KEY, SERVED_INSTANCE};

#[test]
#[ignore = "needs Chromium and tests/web/node_modules: run scripts/test"]
fn the_web_console_signs_in_creates_sorts_wraps_and_audits() {
    let web = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("web");
    assert!(
        web.join("node_modules/playwright-core").exists(),
        "run `npm ci --prefix tests/web` first"
    );
    let dir = tempfile::tempdir().unwrap();
    // The clock may be moved (its step comes last, so the others run on the real time).
    let served = Served::start(dir.path(), &[std::ffi::OsStr::new("--virtual-clock")]);
    let shots = target_dir().join("web-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    let output = Command::new("node")
        .arg(web.join("console.mjs"))
        .env("STRONGROOM_URL", &served.url)
        .env("STRONGROOM_INSTANCE", SERVED_INSTANCE)
        .env("STRONGROOM_API_KEY", SERVED_API_KEY)
        .env("STRONGROOM_SCREENSHOTS", &shots)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && report.contains(" 0 failed"),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
