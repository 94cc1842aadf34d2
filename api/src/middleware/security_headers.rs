//! The seed's security headers, on every response: errors, 404s and refusals included
//! (this layer sits outside everything else).
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Exactly as seed 001 lists them, plus `no-store`: answers carry tokens and holdings.
pub const HEADERS: &[(&str, &str)] = &[
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("x-xss-protection", "1; mode=block"),
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
    ("content-security-policy", "default-src 'self'"),
    ("cache-control", "no-store"),
];

pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    for (name, value) in HEADERS {
        // a handler's own policy stands (the door page's: its script, the camera, the node;
        // a ticket's public metadata: cached)
        if matches!(*name, "content-security-policy" | "cache-control") && h.contains_key(*name) {
            continue;
        }
        h.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    res
}
