//! What the console remembers between runs: the window's size and the connection last used.
//! Kept in `desktop.json` beside the keystore. Nothing secret goes here, and a missing or
//! unreadable file only means starting with the defaults.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

const FILE: &str = "desktop.json";

/// Smallest and largest sizes restored; anything outside is a corrupt or hand-edited file.
const MIN_SIZE: (u32, u32) = (960, 600);
const MAX_SIDE: u32 = 16_384;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Preferences {
    /// The connection profile selected when the console last switched.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) last_connection: Option<String>,
    /// The window's logical size when it was last resized.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) window: Option<WindowSize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WindowSize {
    pub(crate) width: u32,
    pub(crate) height: u32,
}

impl WindowSize {
    /// The size to restore, if it is one a window can sensibly have.
    pub(crate) fn plausible(self) -> Option<Self> {
        let fits = (MIN_SIZE.0..=MAX_SIDE).contains(&self.width)
            && (MIN_SIZE.1..=MAX_SIDE).contains(&self.height);
        fits.then_some(self)
    }
}

pub(crate) struct PreferencesFile {
    path: PathBuf,
}

impl PreferencesFile {
    pub(crate) fn new(data_dir: &Path) -> Self {
        Self {
            path: data_dir.join(FILE),
        }
    }

    pub(crate) fn load(&self) -> Preferences {
        std::fs::read(&self.path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Read, change, write through a temporary file and a rename, so a crash mid-write leaves
    /// the previous preferences. Failures are logged, not raised: losing a window size must
    /// never fail the action that caused it.
    pub(crate) fn update(&self, change: impl FnOnce(&mut Preferences)) {
        let mut preferences = self.load();
        change(&mut preferences);
        let temporary = self.path.with_extension("json.tmp");
        let written = serde_json::to_vec_pretty(&preferences)
            .map_err(std::io::Error::other)
            .and_then(|json| std::fs::write(&temporary, json))
            .and_then(|()| std::fs::rename(&temporary, &self.path));
        if let Err(err) = written {
            tracing::warn!(path = %self.path.display(), error = %err, "cannot save the console's preferences");
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn preferences_survive_a_restart_and_a_bad_file_means_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let file = PreferencesFile::new(dir.path());
        assert_eq!(file.load(), Preferences::default());

        file.update(|p| p.last_connection = Some("prod".into()));
        file.update(|p| {
            p.window = Some(WindowSize {
                width: 1440,
                height: 900,
            })
        });
        let again = PreferencesFile::new(dir.path()).load();
        assert_eq!(again.last_connection.as_deref(), Some("prod"));
        assert_eq!(
            again
                .window
                .and_then(WindowSize::plausible)
                .map(|w| w.width),
            Some(1440)
        );

        std::fs::write(dir.path().join(FILE), b"{not json").unwrap();
        assert_eq!(file.load(), Preferences::default());
    }

    #[test]
    fn implausible_window_sizes_are_not_restored() {
        for (width, height) in [(0, 0), (200, 900), (1280, 100_000)] {
            assert_eq!(WindowSize { width, height }.plausible(), None);
        }
        let fine = WindowSize {
            width: 1280,
            height: 800,
        };
        assert_eq!(fine.plausible(), Some(fine));
    }
}
