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

#[utoipa::path(get, path = "/health/live", tag = "health", responses((status = 200, body = Health)))]
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

/// 200 when Postgres answers, 503 otherwise; says which dependency failed, not why.
/// `degraded` (still 200) when Redis or the node does not answer, or the mirror lags by
/// more than `BITTICKET_API_MAX_LAG_SLOTS`: reads still work from the mirror.
#[utoipa::path(get, path = "/health/ready", tag = "health", responses((status = 200, body = Readiness), (status = 503, body = Readiness)))]
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Readiness>) {
    // the three dependencies at once; the mirror's one query also says Postgres answers
    let (synced, redis, tip) = tokio::join!(
        sqlx::query_scalar::<_, Option<i64>>("SELECT max(synced_slot) FROM checkpoints")
            .fetch_one(&app.pool),
        app.limiter.redis_up(),
        tokio::time::timeout(std::time::Duration::from_secs(2), app.chain.slot()),
    );
    let postgres = synced.is_ok();
    let synced = synced.ok().flatten();
    let tip = tip.ok().and_then(Result::ok);
    let lag = match (tip, synced) {
        (Some(t), Some(s)) => Some(t as i64 - s),
        _ => None,
    };
    let lagging = lag.is_none_or(|l| l > app.settings.max_lag_slots);
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
