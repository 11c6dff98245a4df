//! The main window: how WebKit draws it, and the size it had when it was last closed.

use tauri::{LogicalSize, Manager, Window, WindowEvent};

use crate::preferences::WindowSize;
use crate::state::AppState;

/// Draws the page without WebKitGTK's accelerated compositing unless the person set
/// `WEBKIT_DISABLE_COMPOSITING_MODE` themselves (`0` turns compositing back on). A console of
/// forms and tables gains nothing from it, and without a GPU (remote desktops, VMs, CI) WebKit
/// composites through Mesa's software GL: about 80 MiB more in the web process with the same
/// page (docs/benchmarks.md §5). It is also the usual cure for blank WebKitGTK windows on
/// some GPU drivers. Runs first in `main`, before any thread exists to read the environment.
pub(crate) fn prefer_software_compositing() {
    const VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
    if cfg!(target_os = "linux") && std::env::var_os(VARIABLE).is_none() {
        std::env::set_var(VARIABLE, "1");
    }
}

pub(crate) fn restore_size(app: &tauri::App) {
    let state = app.state::<AppState>();
    let Some(size) = state.preferences().and_then(|p| p.window?.plausible()) else {
        return;
    };
    if let Some(window) = app.get_webview_window("main") {
        let restored = window.set_size(LogicalSize::new(size.width, size.height));
        if let Err(err) = restored {
            tracing::warn!(error = %err, "cannot restore the window size");
        }
    }
}

pub(crate) fn remember_size(window: &Window, event: &WindowEvent) {
    if !matches!(event, WindowEvent::CloseRequested { .. }) || window.label() != "main" {
        return;
    }
    let (Ok(physical), Ok(scale)) = (window.inner_size(), window.scale_factor()) else {
        return;
    };
    let logical = physical.to_logical::<f64>(scale);
    // Saturating float-to-int casts; `plausible` rejects nonsense on the way back in.
    let size = WindowSize {
        width: logical.width.round() as u32,
        height: logical.height.round() as u32,
    };
    window
        .state::<AppState>()
        .remember(|p| p.window = Some(size));
}
