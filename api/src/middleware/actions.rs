//! The Solana Actions interface's cross-origin rules, for its paths only (`/actions.json`
//! and `/v1/actions/...`): any page or wallet may call them, so every answer (errors,
//! refusals and 404s included) carries `Access-Control-Allow-Origin: *` with the methods
//! and headers the spec lists, and a preflight (`OPTIONS`) is answered here, before the
//! API's own CORS rules (which stay as strict as configured for every other path). An
//! error's body gains the spec's top-level `message` beside the API's `error` object, so
//! a wallet shows the reason. No other path is touched.
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

/// The version of the Actions spec served (`X-Action-Version`).
pub const ACTION_VERSION: &str = "2.4";

/// The spec's CORS headers (as `@solana/actions`'s `ACTIONS_CORS_HEADERS`).
const CORS: &[(&str, &str)] = &[
    ("access-control-allow-origin", "*"),
    ("access-control-allow-methods", "GET,POST,PUT,OPTIONS"),
    (
        "access-control-allow-headers",
        "Content-Type, Authorization, Content-Encoding, Accept-Encoding, X-Action-Version, X-Blockchain-Ids",
    ),
    (
        "access-control-expose-headers",
        "X-Action-Version, X-Blockchain-Ids",
    ),
];

/// An error body is at most this long; a longer one is left as it is.
const MAX_ERROR_BODY: usize = 16 * 1024;

/// Whether `path` belongs to the Actions interface.
pub fn is_action_path(path: &str) -> bool {
    path == "/actions.json" || path.starts_with("/v1/actions/")
}

/// The CAIP-2 id of the cluster named by the sign-in chain id (`mainnet`, `devnet`,
/// `testnet`); `None` for a local cluster, whose genesis hash has no published id.
pub fn blockchain_id(chain_id: &str) -> Option<&'static str> {
    match chain_id {
        "mainnet" | "mainnet-beta" => Some("solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"),
        "devnet" => Some("solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1"),
        "testnet" => Some("solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z"),
        _ => None,
    }
}

/// The layer: outside the API's CORS rules and inside the security headers.
pub async fn actions_cors(
    State(chain): State<Option<&'static str>>,
    req: Request,
    next: Next,
) -> Response {
    if !is_action_path(req.uri().path()) {
        return next.run(req).await;
    }
    let mut res = if req.method() == Method::OPTIONS {
        Response::new(Body::empty())
    } else {
        with_message(next.run(req).await).await
    };
    let h = res.headers_mut();
    for (name, value) in CORS {
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    h.insert(
        HeaderName::from_static("x-action-version"),
        HeaderValue::from_static(ACTION_VERSION),
    );
    if let Some(id) = chain {
        h.insert(
            HeaderName::from_static("x-blockchain-ids"),
            HeaderValue::from_static(id),
        );
    }
    res
}

/// An error answer with the API's `{"error": {"code", "message"}}` gains the spec's
/// `message` at the top.
async fn with_message(res: Response) -> Response {
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if res.status() < StatusCode::BAD_REQUEST || !is_json {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        // too long to be one of ours: nothing of it is passed on
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    };
    let rewritten = serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .and_then(|mut v| {
            let message = v.pointer("/error/message")?.as_str()?.to_string();
            v.as_object_mut()?
                .insert("message".into(), serde_json::Value::String(message));
            serde_json::to_vec(&v).ok()
        });
    match rewritten {
        Some(body) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(body))
        }
        None => Response::from_parts(parts, Body::from(bytes)),
    }
}
