/// Every command the UI may call. Each gets an `allow-<name>` permission, and
/// `capabilities/main.json` grants exactly these to the main window and nothing else.
const COMMANDS: &[&str] = &[
    "keystore_info",
    "caller",
    "save_export",
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
    "set_key_for_deletion",
    "unset_key_for_deletion",
    "purge_key",
    "move_key",
    "create_alias",
    "delete_alias",
    "key_policies",
    "set_key_policies",
    "key_rings",
    "list_aliases",
    "create_key_ring",
    "delete_key_ring",
    "instance_policies",
    "set_instance_policies",
    "registrations",
    "delete_registration",
    "authorizations",
    "create_authorization",
    "delete_authorization",
    "set_authorization_roles",
    "check_authorization",
    "clock",
    "usage",
    "activity",
    "audit_events",
    "create_import_token",
    "import_token",
    "import_token_status",
    "connections",
    "current_connection",
    "save_connection",
    "delete_connection",
    "select_connection",
    "test_connection",
    "local_server_status",
    "start_local_server",
    "stop_local_server",
];

fn main() {
    // tauri.conf.json lives at the repository root; src-tauri/tauri.conf.json links to it.
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(err) = tauri_build::try_build(attributes) {
        println!("cargo::error=tauri-build failed: {err:#}");
    }
}
