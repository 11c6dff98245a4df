//! The Strongroom desktop console. Opens the embedded keystore and hands the UI a set of
//! commands, each a thin adapter over the [`Keystore`](strongroom_api::Keystore) facade.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod connections;
mod preferences;
mod state;
mod window;

use tracing_subscriber::fmt::format::FmtSpan;
use tracing_subscriber::EnvFilter;

fn main() -> anyhow::Result<()> {
    window::prefer_lean_webkit();
    // STRONGROOM_LOG_SPANS=1 logs each request's or command's span as it closes, with its
    // busy and idle time: where a slow screen or call spends it, without a profiler.
    let spans = std::env::var_os("STRONGROOM_LOG_SPANS");
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_env("STRONGROOM_LOG").unwrap_or_else(|_| {
                EnvFilter::new(strongroom_server::default_log_filter(spans.is_some()))
            }),
        )
        .with_writer(std::io::stderr)
        .with_span_events(match spans {
            Some(_) => FmtSpan::CLOSE,
            None => FmtSpan::NONE,
        })
        .init();

    let state = state::AppState::new();
    tauri::Builder::default()
        .setup(|app| {
            window::restore_size(app);
            Ok(())
        })
        .on_window_event(window::remember_size)
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::keys::keystore_info,
            commands::keys::caller,
            commands::export::save_export,
            commands::keys::list_keys,
            commands::keys::create_key,
            commands::keys::key,
            commands::keys::key_versions,
            commands::keys::rotate_key,
            commands::keys::disable_key,
            commands::keys::enable_key,
            commands::keys::delete_key,
            commands::keys::restore_key,
            commands::wrapping::wrap,
            commands::wrapping::unwrap,
            commands::wrapping::rewrap,
            commands::admin::set_key_for_deletion,
            commands::admin::unset_key_for_deletion,
            commands::admin::purge_key,
            commands::admin::move_key,
            commands::admin::create_alias,
            commands::admin::delete_alias,
            commands::admin::key_policies,
            commands::admin::set_key_policies,
            commands::admin::key_rings,
            commands::admin::list_aliases,
            commands::admin::create_key_ring,
            commands::admin::delete_key_ring,
            commands::admin::instance_policies,
            commands::admin::set_instance_policies,
            commands::admin::registrations,
            commands::admin::delete_registration,
            commands::admin::authorizations,
            commands::admin::create_authorization,
            commands::admin::delete_authorization,
            commands::admin::set_authorization_roles,
            commands::admin::check_authorization,
            commands::admin::clock,
            commands::admin::usage,
            commands::admin::activity,
            commands::admin::audit_events,
            commands::admin::create_import_token,
            commands::admin::import_token,
            commands::admin::import_token_status,
            commands::connections::connections,
            commands::connections::current_connection,
            commands::connections::save_connection,
            commands::connections::delete_connection,
            commands::connections::select_connection,
            commands::connections::test_connection,
            commands::connections::local_server_status,
            commands::connections::start_local_server,
            commands::connections::stop_local_server,
        ])
        .run(tauri::generate_context!())?;
    Ok(())
}
