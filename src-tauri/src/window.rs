//! The main window opens at the size it had when it was last closed.

use tauri::{LogicalSize, Manager, Window, WindowEvent};

use crate::preferences::WindowSize;
use crate::state::AppState;

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
