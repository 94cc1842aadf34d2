//! Liveness (the process answers) and readiness (its dependencies answer), without auth.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::startup::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    status: &'static str,
}

/// Liveness: the process answers.
#[utoipa::path(get, path = "/health/live", tag = "health", responses((status = 200, body = Health)))]
#[tracing::instrument(name = "health.live", level = "debug")]
pub async fn live() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Readiness {
    status: &'static str,
    postgres: bool,
    /// The node answers (the gate and transaction building need it).
    rpc: bool,
    /// How many slots the mirror is behind the node (`null` when either is unknown).
    indexer_lag_slots: Option<i64>,
    /// `null` when no Redis is configured. Redis down is degraded, not unready: rate
    /// limits fall back to each instance's memory.
    redis: Option<bool>,
}

/// Readiness: whether the dependencies answer.
///
/// 200 when Postgres answers, 503 otherwise; says which dependency failed, not why.
/// `degraded` (still 200) when Redis or the node does not answer, or the mirror lags by
/// more than `BITTICKET_API_MAX_LAG_SLOTS`: reads still work from the mirror. Read at most
/// once a second (`freshness`), however often it is asked.
#[utoipa::path(get, path = "/health/ready", tag = "health", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
#[tracing::instrument(name = "health.ready", level = "debug", skip_all)]
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let p = app
        .freshness
        .probe(&app.pool, &app.limiter, &app.chain)
        .await;
    let (postgres, redis, tip, lag) = (p.postgres, p.redis, p.tip, p.lag());
    let lagging = lag.is_none_or(|l| l > app.settings.lag.max_slots);
    let code = if postgres {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        Json(Readiness {
            status: if !postgres {
                "unavailable"
            } else if redis == Some(false) || tip.is_none() || lagging {
                "degraded"
            } else {
                "ready"
            },
            postgres,
            rpc: tip.is_some(),
            indexer_lag_slots: lag,
            redis,
        }),
    )
}
