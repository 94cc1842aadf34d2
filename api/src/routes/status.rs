//! How current the mirror is: the slot every transaction at or below which it holds, the
//! newest finalized slot it has marked.
use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::error::ApiError;
use crate::startup::AppState;

#[derive(Serialize)]
pub struct IndexerStatus {
    pub synced_slot: Option<i64>,
    pub checkpoint_slot: Option<i64>,
    pub finalized_slot: Option<i64>,
    /// Seconds since the indexer last moved its checkpoint.
    pub checkpoint_age_secs: Option<i64>,
}

pub async fn indexer(State(app): State<AppState>) -> Result<Json<IndexerStatus>, ApiError> {
    let row: Option<(i64, i64, i64)> = sqlx::query_as(
        "SELECT synced_slot, slot, extract(epoch FROM now() - updated_at)::bigint
         FROM checkpoints ORDER BY stream LIMIT 1",
    )
    .fetch_optional(&app.pool)
    .await?;
    let finalized: Option<i64> =
        sqlx::query_scalar("SELECT max(slot) FROM slots WHERE status = 'finalized'")
            .fetch_one(&app.pool)
            .await?;
    Ok(Json(IndexerStatus {
        synced_slot: row.map(|r| r.0),
        checkpoint_slot: row.map(|r| r.1),
        checkpoint_age_secs: row.map(|r| r.2),
        finalized_slot: finalized,
    }))
}
