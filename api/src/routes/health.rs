//! Liveness (the process answers) and readiness (its dependencies answer), without auth.
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use serde::Serialize;

use crate::startup::AppState;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
}

pub async fn live() -> Json<Health> {
    Json(Health { status: "ok" })
}

#[derive(Serialize)]
pub struct Readiness {
    status: &'static str,
    postgres: bool,
    /// `null` when no Redis is configured. Redis down is degraded, not unready: rate
    /// limits fall back to each instance's memory.
    redis: Option<bool>,
}

/// 200 when Postgres answers, 503 otherwise; says which dependency failed, not why.
pub async fn ready(State(app): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let postgres = sqlx::query_scalar::<_, i32>("SELECT 1")
        .fetch_one(&app.pool)
        .await
        .is_ok();
    let redis = app.limiter.redis_up().await;
    let code = if postgres {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (
        code,
        Json(Readiness {
            status: match (postgres, redis) {
                (false, _) => "unavailable",
                (true, Some(false)) => "degraded",
                (true, _) => "ready",
            },
            postgres,
            redis,
        }),
    )
}
