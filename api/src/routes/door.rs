//! The door page (`clients/door`): its built files, served as they are from
//! `BITTICKET_API_DOOR_DIR` under `/door/`, and `/door/config.json` naming the Solana RPC
//! URL the page sends check-ins to. Only the page's own files are served (a fixed list, no
//! path from the request reaches the file system), under a CSP that lets the page run its
//! own script and style, use the camera, and talk to this API and that node only.
use axum::extract::State;
use axum::http::header::{CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::HeaderValue;
use axum::response::{IntoResponse, Response};
use axum::Json;

use crate::error::ApiError;
use crate::extract::Path;
use crate::startup::AppState;

/// The page's files and their types.
const FILES: &[(&str, &str)] = &[
    ("index.html", "text/html; charset=utf-8"),
    ("door.js", "text/javascript; charset=utf-8"),
    ("door.css", "text/css; charset=utf-8"),
];

/// The door page for staff's phones: scan a ticket's QR code, admit or deny, check in.
#[utoipa::path(get, path = "/door/", tag = "door", responses((status = 200, description = "the door page (HTML)", content_type = "text/html", body = String), (status = 404, description = "the API serves no door page (BITTICKET_API_DOOR_DIR unset)", body = crate::error::ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = crate::error::ErrorBody)))]
#[tracing::instrument(name = "door.index", level = "debug", skip_all)]
pub async fn index(State(app): State<AppState>) -> Result<Response, ApiError> {
    serve(&app, "index.html").await
}

/// One of the door page's files, or its configuration.
///
/// `door.js`, `door.css`, `index.html`, or `config.json` (`{"rpc": URL}`: the Solana RPC
/// node the page sends check-ins to).
#[utoipa::path(get, path = "/door/{file}", tag = "door", params(("file" = String, Path, description = "door.js, door.css, index.html or config.json")), responses((status = 200, description = "the file"), (status = 404, description = "no such file, or no door page", body = crate::error::ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = crate::error::ErrorBody)))]
#[tracing::instrument(name = "door.file", level = "debug", skip_all)]
pub async fn file(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, ApiError> {
    if file == "config.json" {
        app.settings.door.dir.as_ref().ok_or(ApiError::NotFound)?;
        let rpc = app.settings.door.rpc_url.clone();
        return Ok(Json(serde_json::json!({ "rpc": rpc })).into_response());
    }
    serve(&app, &file).await
}

async fn serve(app: &AppState, name: &str) -> Result<Response, ApiError> {
    let dir = app.settings.door.dir.as_ref().ok_or(ApiError::NotFound)?;
    let (name, kind) = FILES
        .iter()
        .find(|(n, _)| *n == name)
        .ok_or(ApiError::NotFound)?;
    let body = tokio::fs::read(dir.join(name)).await.map_err(|e| {
        tracing::warn!(file = name, error = %e, "the door page's file cannot be read");
        ApiError::NotFound
    })?;
    let mut res = ([(CONTENT_TYPE, *kind)], body).into_response();
    if let Ok(csp) = HeaderValue::from_str(&csp(app)) {
        res.headers_mut().insert(CONTENT_SECURITY_POLICY, csp);
    }
    Ok(res)
}

/// The page's policy: its own script and style, the camera's stream, this API and the RPC
/// node (and the node's WebSocket, one port up, which web3.js uses to confirm).
fn csp(app: &AppState) -> String {
    let rpc = app.settings.door.rpc_origin();
    let ws = websocket_origin(&rpc);
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; \
         media-src 'self' blob: mediastream:; connect-src 'self' {rpc} {ws}; \
         frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    )
}

/// `ws(s)://host:port+1` for an `http(s)://host:port` origin, as web3.js derives it.
fn websocket_origin(rpc: &str) -> String {
    let (scheme, rest) = match rpc.split_once("://") {
        Some(("https", r)) => ("wss", r),
        Some((_, r)) => ("ws", r),
        None => return String::new(),
    };
    // a bracketed IPv6 host without a port ends in `]`, which no port parses as
    match rest
        .rsplit_once(':')
        .and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?)))
    {
        Some((host, port)) => format!("{scheme}://{host}:{}", port.saturating_add(1)),
        None => format!("{scheme}://{rest}"),
    }
}

#[cfg(test)]
mod tests {
    use super::websocket_origin;

    #[test]
    fn the_websocket_is_one_port_up() {
        assert_eq!(
            websocket_origin("http://127.0.0.1:8899"),
            "ws://127.0.0.1:8900"
        );
        assert_eq!(
            websocket_origin("https://rpc.example.com"),
            "wss://rpc.example.com"
        );
        assert_eq!(websocket_origin("http://[::1]:8899"), "ws://[::1]:8900");
        assert_eq!(websocket_origin("http://[::1]"), "ws://[::1]");
    }
}
