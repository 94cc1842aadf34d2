//! Browsers' cross-origin calls (CORS), for the web apps in `BITTICKET_API_CORS_ORIGINS`
//! only. With none listed (the default), no CORS header is ever sent, and a preflight is a
//! method the API does not have (405). A preflight from an origin not on the list is
//! refused (403) with no CORS header at all: nothing of the API's methods or headers is
//! told to a page that may not call it.
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, ORIGIN, RETRY_AFTER};
use axum::http::{HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;

/// The origins allowed, as header values (an origin that is not one refuses the start).
#[derive(Debug, Clone)]
pub struct Allowed(Arc<Vec<HeaderValue>>);

impl Allowed {
    /// `None` when no origin is listed: then the API sends no CORS header.
    pub fn from_settings(origins: &[String]) -> Result<Option<Self>, String> {
        if origins.is_empty() {
            return Ok(None);
        }
        origins
            .iter()
            .map(|o| HeaderValue::from_str(o).map_err(|_| o.clone()))
            .collect::<Result<Vec<_>, _>>()
            .map(|v| Some(Allowed(Arc::new(v))))
    }

    fn allows(&self, origin: &HeaderValue) -> bool {
        self.0.iter().any(|o| o == origin)
    }

    /// tower-http's layer over the list: simple requests and preflights of the listed
    /// origins get their `Access-Control-*` headers; the headers a web app needs to read
    /// (`Retry-After`, the QR code's key id and expiry) are exposed.
    pub fn layer(&self) -> CorsLayer {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(self.0.iter().cloned()))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([AUTHORIZATION, CONTENT_TYPE])
            .expose_headers([
                RETRY_AFTER,
                HeaderName::from_static("x-qr-kid"),
                HeaderName::from_static("x-qr-expires-at"),
            ])
            .max_age(Duration::from_secs(600))
    }
}

/// Outside `Allowed::layer`, which answers every OPTIONS request itself: a preflight (or
/// any OPTIONS) from an origin not on the list, or with none, is refused before it does.
pub async fn refuse_other_origins(
    State(allowed): State<Allowed>,
    req: Request,
    next: Next,
) -> Response {
    if req.method() == Method::OPTIONS
        && !req
            .headers()
            .get(ORIGIN)
            .is_some_and(|origin| allowed.allows(origin))
    {
        return ApiError::Forbidden.into_response();
    }
    next.run(req).await
}
