//! How current the mirror is: the slot every transaction at or below which it holds, the
//! newest finalized slot it has marked.
use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::error::{ApiError, ErrorBody};
use crate::startup::AppState;

#[derive(Serialize, utoipa::ToSchema)]
pub struct IndexerStatus {
    /// The node's confirmed slot (`null` when it does not answer).
    pub chain_slot: Option<u64>,
    /// `chain_slot - synced_slot`.
    pub lag_slots: Option<i64>,
    pub synced_slot: Option<i64>,
    pub checkpoint_slot: Option<i64>,
    pub finalized_slot: Option<i64>,
    /// Seconds since the indexer last moved its checkpoint.
    pub checkpoint_age_secs: Option<i64>,
}

/// The checkpoint and the newest finalized slot: one row always, the checkpoint's
/// columns null before the indexer's first write.
#[derive(sqlx::FromRow)]
struct Checkpoint {
    synced_slot: Option<i64>,
    slot: Option<i64>,
    age_secs: Option<i64>,
    finalized_slot: Option<i64>,
}

const CHECKPOINT: &str =
    "SELECT c.synced_slot, c.slot, extract(epoch FROM now() - c.updated_at)::bigint AS age_secs,
            (SELECT max(slot) FROM slots WHERE status = 'finalized') AS finalized_slot
     FROM (SELECT 1) one
     LEFT JOIN LATERAL (SELECT * FROM checkpoints ORDER BY stream LIMIT 1) c ON true";

/// How far the mirror is behind the chain.
#[utoipa::path(get, path = "/v1/status", tag = "status", security(("bearer" = [])), responses((status = 200, body = IndexerStatus), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "status.indexer", skip_all)]
pub async fn indexer(State(app): State<AppState>) -> Result<Json<IndexerStatus>, ApiError> {
    let c: Checkpoint = sqlx::query_as(CHECKPOINT).fetch_one(&app.pool).await?;
    let tip = app.chain.slot().await.ok();
    Ok(Json(IndexerStatus {
        chain_slot: tip,
        lag_slots: match (tip, c.synced_slot) {
            (Some(t), Some(s)) => Some(t as i64 - s),
            _ => None,
        },
        synced_slot: c.synced_slot,
        checkpoint_slot: c.slot,
        checkpoint_age_secs: c.age_secs,
        finalized_slot: c.finalized_slot,
    }))
}
