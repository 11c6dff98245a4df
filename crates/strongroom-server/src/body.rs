//! Request bodies as the real clients send them: any or no Content-Type, `null`, an empty
//! body or `{}` for "nothing", and field names in any case (`KeyRingID`, `Tags`).

use axum::body::Bytes;
use serde_json::{Map, Value};

use crate::error::Failure;

/// A parsed JSON object body; absent when the body was empty, `null` or `{}`.
pub(crate) struct Fields(Map<String, Value>);

impl Fields {
    pub(crate) fn parse(bytes: &Bytes) -> Result<Option<Self>, Failure> {
        let text = std::str::from_utf8(bytes)
            .map_err(|_| Failure::bad_body("the request body is not valid UTF-8"))?;
        if text.trim().is_empty() {
            return Ok(None);
        }
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Null) => Ok(None),
            Ok(Value::Object(map)) if map.is_empty() => Ok(None),
            Ok(Value::Object(map)) => Ok(Some(Self(map))),
            Ok(_) => Err(Failure::bad_body("the request body must be a JSON object")),
            Err(_) => Err(Failure::bad_body("the request body is not valid JSON")),
        }
    }

    /// The field named `name`, matched case-insensitively as Go's decoder does.
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value)
            .filter(|value| !value.is_null())
    }

    pub(crate) fn string(&self, name: &str) -> Result<Option<String>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(Failure::invalid_field(format!(
                "the field `{name}` must be a string"
            ))),
        }
    }

    pub(crate) fn bool(&self, name: &str) -> Result<Option<bool>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Bool(b)) => Ok(Some(*b)),
            Some(_) => Err(Failure::invalid_field(format!(
                "the field `{name}` must be true or false"
            ))),
        }
    }

    pub(crate) fn strings(&self, name: &str) -> Result<Vec<String>, Failure> {
        match self.get(name) {
            None => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    _ => Err(Failure::invalid_field(format!(
                        "the field `{name}` must be a list of strings"
                    ))),
                })
                .collect(),
            Some(_) => Err(Failure::invalid_field(format!(
                "the field `{name}` must be a list of strings"
            ))),
        }
    }

    /// A nested object, such as `dualAuthDelete` or `policy_data`.
    pub(crate) fn object(&self, name: &str) -> Result<Option<Fields>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Fields(map.clone()))),
            Some(_) => Err(Failure::invalid_field(format!(
                "the field `{name}` must be an object"
            ))),
        }
    }

    /// A whole number.
    pub(crate) fn integer(&self, name: &str) -> Result<Option<i64>, Failure> {
        match self.get(name) {
            None => Ok(None),
            Some(Value::Number(n)) => n.as_i64().map(Some).ok_or_else(|| {
                Failure::invalid_field(format!("the field `{name}` must be a whole number"))
            }),
            Some(_) => Err(Failure::invalid_field(format!(
                "the field `{name}` must be a whole number"
            ))),
        }
    }

    /// The raw JSON of a field.
    pub(crate) fn value(&self, name: &str) -> Option<Value> {
        self.get(name).cloned()
    }

    /// Every object of `resources`.
    pub(crate) fn resources(&self) -> Result<Vec<Fields>, Failure> {
        let items = self.items()?;
        if items.is_empty() {
            return Err(Failure::bad_body("the body must have a `resources` list"));
        }
        items
            .iter()
            .map(|item| match item {
                Value::Object(map) => Ok(Fields(map.clone())),
                _ => Err(Failure::bad_body("`resources` must hold objects")),
            })
            .collect()
    }

    /// `resources[0]` of a collection body, the shape of POST /keys, which creates one key: a
    /// second resource would be dropped without a word, so it is refused.
    pub(crate) fn first_resource(&self) -> Result<Fields, Failure> {
        match self.items()? {
            [Value::Object(map)] => Ok(Fields(map.clone())),
            [] | [_] => Err(Failure::bad_body("`resources` must hold one object")),
            _ => Err(Failure::bad_body("`resources` must hold exactly one key")),
        }
    }

    /// The `resources` list, which `metadata.collectionTotal` must count when it is given
    /// (Key Protect's `COLLECTION_TOTAL_MISMATCH_ERR`).
    fn items(&self) -> Result<&[Value], Failure> {
        let Some(Value::Array(items)) = self.get("resources") else {
            return Err(Failure::bad_body("the body must have a `resources` list"));
        };
        let total = self
            .get("metadata")
            .and_then(|metadata| metadata.get("collectionTotal"));
        if let Some(total) = total {
            if total.as_u64() != Some(items.len() as u64) {
                return Err(Failure::new(
                    axum::http::StatusCode::BAD_REQUEST,
                    "COLLECTION_TOTAL_MISMATCH_ERR",
                    format!(
                        "`metadata.collectionTotal` is {total} but `resources` holds {}",
                        items.len()
                    ),
                ));
            }
        }
        Ok(items)
    }
}

/// The raw body, with axum's plain-text rejections (too large, unreadable) turned into
/// Key Protect's error envelope.
pub(crate) struct RawBody(pub(crate) Bytes);

impl<S: Send + Sync> axum::extract::FromRequest<S> for RawBody {
    type Rejection = Failure;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Failure> {
        Bytes::from_request(request, state)
            .await
            .map(RawBody)
            .map_err(|rejection| {
                let status = rejection.status();
                if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                    Failure::new(
                        status,
                        "BODY_TOO_LARGE_ERR",
                        format!("the request body exceeds {} bytes", crate::MAX_BODY_BYTES),
                    )
                } else {
                    Failure::bad_body("the request body could not be read")
                }
            })
    }
}
