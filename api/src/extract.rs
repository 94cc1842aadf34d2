//! axum's extractors with their rejections turned into `ApiError`: a malformed body, query
//! or path gets our JSON error with a message that names the field and the cause
//! (``field `event`: not a Solana address (base58 of 32 bytes)``), never the parser's
//! internals (no Rust type names, no positions in the body).
use axum::body::Bytes;
use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use crate::domain::AccountAddress;
use crate::error::ApiError;

pub struct Json<T>(pub T);

impl<T: serde::Serialize> axum::response::IntoResponse for Json<T> {
    fn into_response(self) -> axum::response::Response {
        axum::Json(self.0).into_response()
    }
}

/// `application/json`, or a `+json` type, with or without parameters.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence
            .strip_prefix("application/")
            .is_some_and(|sub| sub.ends_with("+json"))
}

impl<S, T> FromRequest<S> for Json<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::BadRequest(
                "expected content-type: application/json".into(),
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                tracing::debug!(error = %e, "body unread");
                ApiError::BadRequest("the body could not be read".into())
            }
        })?;
        parse_body(&bytes).map(Json)
    }
}

/// The body as `T`, or a message naming the field at fault and why.
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        tracing::debug!(error = %e, "body refused");
        ApiError::BadRequest(body_message(e.path(), e.inner()))
    })?;
    de.end()
        .map_err(|e| ApiError::BadRequest(format!("the body is not valid JSON: {}", plain(&e))))?;
    Ok(value)
}

fn body_message(path: &serde_path_to_error::Path, e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof => {
            format!("the body is not valid JSON: {}", plain(e))
        }
        Category::Io => "the body could not be read".into(),
        Category::Data => at(&path.to_string(), "field", &plain(e)),
    }
}

/// `message` about the field at `path` (`.` is the whole body), said once: an unknown
/// field's message names the field itself, so the path stops at its parent.
fn at(path: &str, what: &str, message: &str) -> String {
    let path = if message.starts_with("unknown field") {
        match path.rsplit_once('.') {
            Some((parent, _)) => parent,
            None => ".",
        }
    } else {
        path
    };
    if path == "." || path.is_empty() || path == "?" {
        return message.to_string();
    }
    format!("{what} `{path}`: {message}")
}

/// A deserializer's message in plain words: no position in the body ("at line 1 column 9")
/// and no Rust type name ("expected struct PurchaseRequest" reads "expected a JSON object").
fn plain(e: &impl std::fmt::Display) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest
        .find("expected struct ")
        .or_else(|| rest.find("expected enum "))
    {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let kind = if tail.starts_with("expected struct ") {
            "expected a JSON object"
        } else {
            "expected one of the allowed values"
        };
        out.push_str(kind);
        let name = tail
            .split_once(' ')
            .and_then(|(_, t)| t.split_once(' '))
            .map_or("", |(_, t)| t);
        let end = name
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(name.len());
        rest = &name[end..];
        // an array for a struct: "expected struct X with 3 elements" says too much
        if let Some(count) = rest.strip_prefix(" with ") {
            rest = count
                .split_once(" element")
                .map_or(count, |(_, t)| t.trim_start_matches('s'));
        }
    }
    out.push_str(rest);
    out
}

pub struct Query<T>(pub T);

impl<S, T> FromRequestParts<S> for Query<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parse_query(parts.uri.query().unwrap_or_default()).map(Query)
    }
}

/// The query string as `T`, or a message naming the parameter at fault and why.
pub fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let de = serde_urlencoded::Deserializer::new(form_urlencoded::parse(query.as_bytes()));
    serde_path_to_error::deserialize(de).map_err(|e| {
        tracing::debug!(error = %e, "query refused");
        ApiError::BadRequest(at(
            &e.path().to_string(),
            "query parameter",
            &plain(e.inner()),
        ))
    })
}

pub struct Path<T>(pub T);

impl<S, T> FromRequestParts<S> for Path<T>
where
    T: DeserializeOwned + Send,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(p) => Ok(Path(p.0)),
            Err(e) => {
                tracing::debug!(error = %e, "path refused");
                // the rejection of a custom type's error leaves the name out: every path
                // parameter of this API is an address, so the one at fault is the first
                // that is not
                let culprit = RawPathParams::from_request_parts(parts, state)
                    .await
                    .ok()
                    .and_then(|raw| {
                        raw.iter()
                            .find(|(_, v)| v.parse::<AccountAddress>().is_err())
                            .map(|(k, _)| k.to_string())
                    });
                Err(ApiError::BadRequest(path_message(&e, culprit.as_deref())))
            }
        }
    }
}

/// The path parameter at fault, by name, and why (never its value, which may be anything);
/// `culprit` names it when the rejection does not.
fn path_message(e: &PathRejection, culprit: Option<&str>) -> String {
    use axum::extract::path::ErrorKind;
    let PathRejection::FailedToDeserializePathParams(e) = e else {
        return "invalid path parameter".into();
    };
    match e.kind() {
        ErrorKind::DeserializeError { key, message, .. } => {
            format!("path parameter `{key}`: {}", plain(message))
        }
        ErrorKind::Message(message) => match culprit {
            Some(key) => format!("path parameter `{key}`: {}", plain(message)),
            None => format!("invalid path parameter: {}", plain(message)),
        },
        ErrorKind::ParseErrorAtKey { key, .. } => format!("path parameter `{key}` is not valid"),
        ErrorKind::InvalidUtf8InPathParam { key } => {
            format!("path parameter `{key}` is not UTF-8")
        }
        _ => "invalid path parameter".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Purchase {
        event: AccountAddress,
        shard: Option<u8>,
        inner: Option<Inner>,
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        buyer: AccountAddress,
    }

    fn refused(body: &str) -> String {
        match parse_body::<Purchase>(body.as_bytes()) {
            Err(ApiError::BadRequest(m)) => m,
            other => panic!("{body}: {other:?}"),
        }
    }

    #[test]
    fn a_refused_body_names_the_field_and_the_cause() {
        assert_eq!(
            refused(r#"{"event": "nope"}"#),
            "field `event`: not a Solana address (base58 of 32 bytes)"
        );
        assert_eq!(
            refused(r#"{"event": 42}"#),
            "field `event`: invalid type: integer `42`, expected a string"
        );
        assert_eq!(
            refused(r#"{"event": "11111111111111111111111111111111", "shard": 300}"#),
            "field `shard`: invalid value: integer `300`, expected u8"
        );
        assert_eq!(
            refused(r#"{"event": "11111111111111111111111111111111", "inner": {"buyer": "x"}}"#),
            "field `inner.buyer`: not a Solana address (base58 of 32 bytes)"
        );
        assert_eq!(refused("{}"), "missing field `event`");
        let m = refused(r#"{"event": "11111111111111111111111111111111", "admin": true}"#);
        assert!(
            m.starts_with("unknown field `admin`, expected one of"),
            "{m}"
        );
        // no Rust type name, no position
        assert_eq!(
            refused(r#""x""#),
            "invalid type: string \"x\", expected a JSON object"
        );
        assert_eq!(refused("[]"), "invalid length 0, expected a JSON object");
        assert_eq!(
            refused("{not json"),
            "the body is not valid JSON: key must be a string"
        );
        assert_eq!(
            refused(r#"{"event": "11111111111111111111111111111111"} x"#),
            "the body is not valid JSON: trailing characters"
        );
    }

    #[allow(dead_code)]
    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    struct Page {
        limit: Option<u32>,
        cursor: Option<AccountAddress>,
    }

    #[test]
    fn a_refused_query_names_the_parameter() {
        let refused = |q: &str| match parse_query::<Page>(q) {
            Err(ApiError::BadRequest(m)) => m,
            other => panic!("{q}: {other:?}"),
        };
        assert_eq!(
            refused("limit=x"),
            "query parameter `limit`: invalid digit found in string"
        );
        assert_eq!(
            refused("cursor=0OIl"),
            "query parameter `cursor`: not a Solana address (base58 of 32 bytes)"
        );
        assert!(refused("extra=1").starts_with("unknown field `extra`"));
        assert!(parse_query::<Page>("limit=5").is_ok());
    }
}
