//! The web console at `/ui`: the same React UI as the desktop app, talking to this server
//! through its HTTP backend. Release builds carry `ui/dist` inside the binary; debug builds
//! read it from disk, and a build without it answers `/ui` with a sentence saying so.

use axum::extract::Path;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

#[derive(rust_embed::Embed)]
#[folder = "../../ui/dist/"]
#[allow_missing = true]
struct Console;

/// `/ui` → `/ui/`, so the bundle's relative asset paths resolve under it.
pub(crate) async fn root() -> Redirect {
    Redirect::permanent("/ui/")
}

pub(crate) async fn index() -> Response {
    file("index.html")
}

pub(crate) async fn asset(Path(path): Path<String>) -> Response {
    match Console::get(&path) {
        Some(_) => file(&path),
        // Client-side routes fall back to the app itself.
        None if !path.starts_with("assets/") => file("index.html"),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn file(path: &str) -> Response {
    let Some(content) = Console::get(path) else {
        return (
            StatusCode::NOT_FOUND,
            "The web console was not built into this strongroom: run `npm run build` in ui/ and rebuild.",
        )
            .into_response();
    };
    let mime = content.metadata.mimetype().to_owned();
    let mut response = content.data.into_owned().into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // The console handles API keys: no framing by other sites, no sniffing, same-origin only.
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}
