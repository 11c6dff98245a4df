//! The main window: how WebKit draws it, and the size it had when it was last closed.

use tauri::{LogicalSize, Manager, Window, WindowEvent};

use crate::preferences::WindowSize;
use crate::state::AppState;

/// Sets how WebKitGTK runs the page, unless the person set the variable themselves. Runs first
/// in `main`, before any thread exists to read the environment; WebKit's processes inherit it.
///
/// - `WEBKIT_DISABLE_COMPOSITING_MODE=1`: draw without accelerated compositing. A console of
///   forms and tables gains nothing from it, and without a GPU (remote desktops, VMs, CI)
///   WebKit composites through Mesa's software GL: about 65 MiB more over the app's processes
///   with the same page. It is also the usual cure for blank WebKitGTK windows on some GPU
///   drivers. `0` turns compositing back on.
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`, only while compositing is off: there are then no GPU
///   buffers to hand from the page to the window, and the app skips setting up for them
///   (about 4 MiB).
/// - `JSC_useJIT=0`: run the page's JavaScript in the interpreter. A JIT compiler is the part of
///   a browser engine most exploits go through, and this window shows key material on
///   request; it also saves about 30 MiB. The key table still shows within its start-up
///   budget (about 1.0 s instead of 0.8 s with 100,000 keys). `1` turns the JIT back on.
///
/// Figures: docs/benchmarks.md §5.
pub(crate) fn prefer_lean_webkit() {
    if !cfg!(target_os = "linux") {
        return;
    }
    default_to("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    default_to("JSC_useJIT", "0");
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some_and(|value| value != "0") {
        default_to("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

fn default_to(variable: &str, value: &str) {
    if std::env::var_os(variable).is_none() {
        std::env::set_var(variable, value);
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

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use std::env;

    // The only test in this binary that touches these variables, so nothing races it.
    #[test]
    fn a_persons_own_setting_wins_and_the_rest_get_the_default() {
        env::set_var("JSC_useJIT", "1");
        env::remove_var("WEBKIT_DISABLE_COMPOSITING_MODE");
        env::remove_var("WEBKIT_DISABLE_DMABUF_RENDERER");
        super::prefer_lean_webkit();
        assert_eq!(env::var("JSC_useJIT").as_deref(), Ok("1"));
        assert_eq!(
            env::var("WEBKIT_DISABLE_COMPOSITING_MODE").as_deref(),
            Ok("1")
        );
        assert_eq!(
            env::var("WEBKIT_DISABLE_DMABUF_RENDERER").as_deref(),
            Ok("1")
        );

        // Compositing turned back on keeps WebKit's way of handing over its buffers.
        env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "0");
        env::remove_var("WEBKIT_DISABLE_DMABUF_RENDERER");
        super::prefer_lean_webkit();
        assert_eq!(env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER"), None);
    }
}
