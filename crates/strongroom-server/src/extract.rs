//! axum's `Path` and `Query` with their plain-text rejections (a path segment that is not
//! UTF-8 once percent-decoded, a repeated or unparsable query parameter) turned into
//! Key Protect's error envelope, as every `/api/v2` answer must be.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::Failure;

/// Path parameters; a rejection is a 400 `BAD_REQUEST_ERR`.
pub(crate) struct Path<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(value)) => Ok(Self(value)),
            // A route/extractor mismatch is ours, not the caller's: keep its 500.
            Err(rejection) if rejection.status().is_server_error() => Err(Failure::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_SERVER_ERR",
                "an internal error occurred",
            )),
            Err(_) => Err(Failure::new(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST_ERR",
                "a path segment is not valid UTF-8 or not of the expected form",
            )),
        }
    }
}

/// Query parameters; a rejection is a 400 `INVALID_QUERY_PARAM_ERR`.
pub(crate) struct Query<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Failure;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Failure> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(value)| Self(value))
            .map_err(|rejection| {
                let text = rejection.body_text();
                let reason = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                Failure::new(
                    StatusCode::BAD_REQUEST,
                    "INVALID_QUERY_PARAM_ERR",
                    format!("the query is not valid: {}", plain_reason(reason)),
                )
            })
    }
}

/// serde's reason in the caller's terms. It names the parameter ("limit: invalid digit found
/// in string"), and a query carries no secrets, so the parameter stays; the parser's words
/// about digits and target types go.
fn plain_reason(reason: &str) -> String {
    if let Some(field) = reason
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        return format!("`{field}` is given more than once");
    }
    let Some((field, problem)) = reason.split_once(": ") else {
        return reason.to_owned();
    };
    if problem.contains("invalid digit") || problem.contains("empty string") {
        format!("`{field}` must be a whole number")
    } else if problem.contains("too large") || problem.contains("too small") {
        format!("`{field}` is out of range")
    } else if problem.contains("`true` or `false`") {
        format!("`{field}` must be true or false")
    } else {
        reason.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::plain_reason;

    #[test]
    fn parser_reasons_become_sentences_that_name_the_parameter() {
        for (serde, plain) in [
            (
                "limit: invalid digit found in string",
                "`limit` must be a whole number",
            ),
            (
                "hours: cannot parse integer from empty string",
                "`hours` must be a whole number",
            ),
            (
                "offset: number too large to fit in target type",
                "`offset` is out of range",
            ),
            (
                "failuresOnly: provided string was not `true` or `false`",
                "`failuresOnly` must be true or false",
            ),
            ("duplicate field `limit`", "`limit` is given more than once"),
            ("something else entirely", "something else entirely"),
        ] {
            assert_eq!(plain_reason(serde), plain);
        }
    }
}
