//! The baseline of `scripts/bench-desktop`: a Tauri window with the same WebKit and the same
//! window size as the console, showing one static line of HTML. What it costs in memory and
//! start-up is the floor any page in this window stands on, so the console's figures are
//! read as ratios to it.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> Result<(), tauri::Error> {
    tauri::Builder::default().run(tauri::generate_context!(
        "examples/bare-window/tauri.conf.json"
    ))
}
