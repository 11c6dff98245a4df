//! Tauri commands: parse, call the facade, return its `{code, message}` error unchanged.
//! Each carries a span with the key id it touches; request bodies are never recorded.

pub(crate) mod admin;
pub(crate) mod connections;
pub(crate) mod keys;
pub(crate) mod wrapping;
