//! Enforces a route's `Access`: spends the client address's budget first (so refused
//! traffic is limited as well; an anonymous read of the catalogue spends a caller's budget
//! kept for that address in the same call), reads the bearer token, checks the role the route asks for
//! (the organizer comes from the path), hands the handler a `Caller`. Every refusal is
//! counted, and audited under the route's pattern (never the raw path), with repeats
//! folded into one row a minute (`audit::Refusals`).
use axum::extract::{MatchedPath, RawPathParams, Request, State};
use axum::http::header::{AUTHORIZATION, CONNECTION, CONTENT_LENGTH, TRANSFER_ENCODING};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::RequestPartsExt;

use crate::audit;
use crate::auth::tokens::Identity;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::ApiError;
use crate::middleware::client_addr::ClientAddr;
use crate::middleware::rate_limit::{enforce, enforce_client, enforce_refused, Class};
use crate::rbac::{Access, Caller};
use crate::startup::AppState;

/// Where a refusal happened: who, from where, on which route (its pattern).
struct Refused<'a> {
    app: &'a AppState,
    source: &'a str,
    route: &'static str,
}

impl Refused<'_> {
    async fn deny(&self, actor: &str, why: &'static str, err: ApiError) -> ApiError {
        metrics::counter!("api_auth_failures_total", "reason" => why).increment(1);
        if let Some(repeated) = self.app.refusals.due(self.source, why, self.route) {
            let detail = if repeated > 0 {
                serde_json::json!({ "repeated": repeated })
            } else {
                serde_json::Value::Null
            };
            audit::Entry::new(actor, "denied", why)
                .target(Some(self.route))
                .source(Some(self.source))
                .detail(detail)
                .record(&self.app.pool)
                .await;
        }
        err
    }
}

/// The pattern of the route this middleware guards (`/v1/organizers/{organizer}/members`),
/// one of the route table's, so bounded.
fn route_pattern(m: Option<&MatchedPath>) -> &'static str {
    let Some(m) = m else {
        return "(unmatched)";
    };
    crate::routes::TABLE
        .iter()
        .find(|r| r.path == m.as_str())
        .map(|r| r.path)
        .unwrap_or("(unmatched)")
}

/// A refusal sent before the request's body was read ends the connection (the unread
/// body would be taken for the next request), and says so with `Connection: close`, so
/// that a keep-alive client opens a new one instead of finding this one broken.
pub async fn authorize(
    state: State<(AppState, Access, Class)>,
    req: Request,
    next: Next,
) -> Response {
    let has_body = req
        .headers()
        .get(CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0")
        || req.headers().contains_key(TRANSFER_ENCODING);
    match guard(state, req, next).await {
        Ok(response) => response,
        Err(e) => {
            let mut response = e.into_response();
            if has_body {
                response
                    .headers_mut()
                    .insert(CONNECTION, HeaderValue::from_static("close"));
            }
            response
        }
    }
}

async fn guard(
    State((app, access, limit)): State<(AppState, Access, Class)>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let source = req
        .extensions()
        .get::<ClientAddr>()
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unknown".into());
    // the catalogue without a token: the client address stands for the caller
    let anonymous = access == Access::Anyone && !req.headers().contains_key(AUTHORIZATION);
    enforce_client(&app, limit, &source, anonymous).await?;
    if access == Access::Public || anonymous {
        return Ok(next.run(req).await);
    }
    let (mut parts, body) = req.into_parts();
    let route = route_pattern(parts.extensions.get::<MatchedPath>());
    let refused = Refused {
        app: &app,
        source: &source,
        route,
    };
    let token = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = token else {
        return Err(refused
            .deny("anonymous", "no_token", ApiError::Unauthorized)
            .await);
    };
    let verified = match app.tokens.verify_full(token) {
        Ok(v) => v,
        Err(e) => {
            tracing::info!(error = %e, route, "token refused");
            return Err(refused
                .deny("anonymous", "bad_token", ApiError::Unauthorized)
                .await);
        }
    };
    let identity = verified.identity;
    // signed out since this token was issued: its wallet's not-before is later
    if let Identity::Wallet(w) = &identity {
        if let Some(nb) = app.not_before.get(&app.pool, w).await? {
            if verified.issued_at_ms < nb {
                return Err(refused
                    .deny(&w.to_string(), "signed_out", ApiError::Unauthorized)
                    .await);
            }
        }
    }
    let actor = identity.actor();
    let mut tenant = None;
    match access {
        Access::Public | Access::Signed | Access::Anyone => {}
        Access::Holder => {
            if !matches!(identity, Identity::Wallet(_)) {
                enforce_refused(&app, &actor).await?;
                return Err(refused
                    .deny(&actor, "not_a_wallet", ApiError::Forbidden)
                    .await);
            }
        }
        Access::Staff(bits) => {
            // roles come from the mirror: not from one that lags past the bound
            if let Some(max) = app.settings.lag.staff_max_slots {
                let lag = app.freshness.lag(&app.pool, &app.limiter, &app.chain).await;
                if lag.is_none_or(|l| l > max) {
                    metrics::counter!("api_staff_refused_stale_total").increment(1);
                    return Err(ApiError::Unavailable);
                }
            }
            // a path that is not UTF-8 or not a valid address is the caller's mistake
            let params = parts
                .extract::<RawPathParams>()
                .await
                .map_err(|_| ApiError::BadRequest("a path parameter is not UTF-8".into()))?;
            let organizer = params
                .iter()
                .find(|(k, _)| *k == "organizer")
                .map(|(_, v)| v.to_string())
                .ok_or_else(|| ApiError::internal("staff route without {organizer}"))?;
            let organizer: AccountAddress = organizer.parse().map_err(|_| {
                ApiError::BadRequest(
                    "path parameter `organizer`: not a Solana address (base58 of 32 bytes)".into(),
                )
            })?;
            let allowed = match &identity {
                Identity::Wallet(w) => {
                    let mut tx = db::begin(
                        &app.pool,
                        db::Scope {
                            wallet: Some(*w),
                            tenant: None,
                        },
                    )
                    .await?;
                    let held: Option<i32> = sqlx::query_scalar(
                        "SELECT permissions FROM members WHERE organizer = $1 AND member = $2",
                    )
                    .bind(organizer.to_string())
                    .bind(w.to_string())
                    .fetch_optional(&mut *tx)
                    .await?;
                    tx.commit().await?;
                    held.is_some_and(|p| (p as u8) & bits != 0)
                }
                Identity::Service { organizers, .. } => {
                    organizers.iter().any(|o| *o == organizer.to_string())
                }
            };
            if !allowed {
                enforce_refused(&app, &actor).await?;
                return Err(refused.deny(&actor, "role", ApiError::Forbidden).await);
            }
            tenant = Some(organizer);
        }
    }
    let caller = Caller {
        identity,
        tenant,
        source: Some(source),
    };
    enforce(&app, limit, &caller).await?;
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}
