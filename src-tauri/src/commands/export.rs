//! Saving an export (audit events, key lists) from the desktop window. WebKitGTK's handling
//! of a browser download is not something the console can rely on or observe, so the file is
//! written here, in the user's Downloads folder, and the path is shown to the person.

use std::path::{Path, PathBuf};

use strongroom_api::{ApiError, ErrorCode};

/// Exports are a few megabytes at most (10,000 audit events); anything larger is a mistake.
const MAX_EXPORT_BYTES: usize = 64 * 1024 * 1024;

#[tauri::command]
#[tracing::instrument(skip(contents), fields(bytes = contents.len()), err(level = "info"))]
pub(crate) async fn save_export(file_name: String, contents: String) -> Result<String, ApiError> {
    // Without XDG user dirs configured, ~/Downloads if there is one, else the home folder.
    let dir = dirs::download_dir()
        .or_else(|| {
            dirs::home_dir().map(|home| match home.join("Downloads") {
                downloads if downloads.is_dir() => downloads,
                _ => home,
            })
        })
        .ok_or_else(|| {
            ApiError::new(ErrorCode::Internal, "there is no Downloads or home folder")
        })?;
    let path = tokio::task::spawn_blocking(move || save(&dir, &file_name, contents.as_bytes()))
        .await
        .map_err(|_| ApiError::internal())??;
    Ok(path.display().to_string())
}

/// Writes `contents` as `dir/name`, or `name (2)` and so on when taken, through a temporary
/// file and a rename so a half-written export never carries the final name.
fn save(dir: &Path, name: &str, contents: &[u8]) -> Result<PathBuf, ApiError> {
    let plain = name.len() <= 100
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if !plain || name.is_empty() {
        return Err(ApiError::invalid(
            "an export's file name may hold letters, digits, '.', '-' and '_' only",
        ));
    }
    if contents.len() > MAX_EXPORT_BYTES {
        return Err(ApiError::invalid("the export is larger than 64 MB"));
    }
    let failed = |err: std::io::Error| {
        tracing::warn!(dir = %dir.display(), error = %err, "cannot save an export");
        ApiError::new(
            ErrorCode::Internal,
            format!("the export could not be saved in {}", dir.display()),
        )
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem, format!(".{extension}")),
        None => (name, String::new()),
    };
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(failed)?;
    std::io::Write::write_all(&mut temp, contents).map_err(failed)?;
    for n in 1..1000 {
        let candidate = if n == 1 {
            dir.join(name)
        } else {
            dir.join(format!("{stem} ({n}){extension}"))
        };
        match temp.persist_noclobber(&candidate) {
            Ok(_) => return Ok(candidate),
            Err(err) if err.error.kind() == std::io::ErrorKind::AlreadyExists => temp = err.file,
            Err(err) => return Err(failed(err.error)),
        }
    }
    Err(ApiError::invalid("too many exports with this name"))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn saves_beside_earlier_exports_without_overwriting_them() {
        let dir = tempfile::tempdir().unwrap();
        let first = save(dir.path(), "audit.csv", b"a,b\n").unwrap();
        let second = save(dir.path(), "audit.csv", b"c,d\n").unwrap();
        assert_eq!(first, dir.path().join("audit.csv"));
        assert_eq!(second, dir.path().join("audit (2).csv"));
        assert_eq!(std::fs::read(&first).unwrap(), b"a,b\n");
        assert_eq!(std::fs::read(&second).unwrap(), b"c,d\n");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            2,
            "no temporary file left"
        );
    }

    #[test]
    fn refuses_names_that_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "../evil.csv",
            "/etc/passwd",
            ".bashrc",
            "a/b.csv",
            "",
            "x\0.csv",
        ] {
            assert!(save(dir.path(), name, b"x").is_err(), "{name:?}");
        }
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
