//! Enforces a route's `Access`: reads the bearer token, checks the role the route asks
//! for (the organizer comes from the path), hands the handler a `Caller`. Every refusal
//! is audited and counted.
use std::net::SocketAddr;

use axum::extract::{ConnectInfo, RawPathParams, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use axum::RequestPartsExt;

use crate::audit;
use crate::auth::tokens::Identity;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::ApiError;
use crate::middleware::rate_limit::{enforce, Class};
use crate::rbac::{Access, Caller};
use crate::startup::AppState;

async fn deny(
    app: &AppState,
    actor: &str,
    source: Option<&str>,
    path: &str,
    why: &str,
    err: ApiError,
) -> ApiError {
    metrics::counter!("api_auth_failures_total", "reason" => why.to_string()).increment(1);
    audit::Entry::new(actor, "denied", why)
        .target(Some(path))
        .source(source)
        .record(&app.pool)
        .await;
    err
}

pub async fn authorize(
    State((app, access, limit)): State<(AppState, Access, Class)>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if access == Access::Public {
        let source = req
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip().to_string());
        enforce(&app, limit, None, source.as_deref()).await?;
        return Ok(next.run(req).await);
    }
    let (mut parts, body) = req.into_parts();
    let source = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    let src = source.as_deref();
    let path = parts.uri.path().to_string();
    let token = parts
        .headers
        .get(AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let Some(token) = token else {
        return Err(deny(
            &app,
            "anonymous",
            src,
            &path,
            "no_token",
            ApiError::Unauthorized,
        )
        .await);
    };
    let identity = match app.tokens.verify(token) {
        Ok(i) => i,
        Err(e) => {
            tracing::info!(error = %e, %path, "token refused");
            return Err(deny(
                &app,
                "anonymous",
                src,
                &path,
                "bad_token",
                ApiError::Unauthorized,
            )
            .await);
        }
    };
    let actor = identity.actor();
    let mut tenant = None;
    match access {
        Access::Public | Access::Signed => {}
        Access::Holder => {
            if !matches!(identity, Identity::Wallet(_)) {
                return Err(deny(
                    &app,
                    &actor,
                    src,
                    &path,
                    "not_a_wallet",
                    ApiError::Forbidden,
                )
                .await);
            }
        }
        Access::Staff(bits) => {
            let params = parts
                .extract::<RawPathParams>()
                .await
                .map_err(|_| ApiError::internal("staff route without path parameters"))?;
            let organizer = params
                .iter()
                .find(|(k, _)| *k == "organizer")
                .map(|(_, v)| v.to_string())
                .ok_or_else(|| ApiError::internal("staff route without {organizer}"))?;
            let organizer: AccountAddress = organizer.parse()?;
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
                return Err(deny(&app, &actor, src, &path, "role", ApiError::Forbidden).await);
            }
            tenant = Some(organizer);
        }
    }
    let caller = Caller {
        identity,
        tenant,
        source,
    };
    enforce(&app, limit, Some(&caller), caller.source.as_deref()).await?;
    let mut req = Request::from_parts(parts, body);
    req.extensions_mut().insert(caller);
    Ok(next.run(req).await)
}
