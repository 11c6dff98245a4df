/// Every command the UI may call. Each gets an `allow-<name>` permission, and
/// `capabilities/main.json` grants exactly these to the main window and nothing else.
const COMMANDS: &[&str] = &[
    "keystore_info",
    "list_keys",
    "create_key",
    "key",
    "key_versions",
    "rotate_key",
    "disable_key",
    "enable_key",
    "delete_key",
    "restore_key",
    "wrap",
    "unwrap",
    "rewrap",
];

fn main() {
    // tauri.conf.json lives at the repository root; src-tauri/tauri.conf.json links to it.
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        println!("cargo::error=tauri-build failed: {err:#}");
    }
}
