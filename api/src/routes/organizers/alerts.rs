//! The monitoring alerts the indexer raised for the organizer, newest first.
use axum::extract::State;
use axum::{Extension, Json};
use serde::Serialize;

use super::{tenant, IndexQuery};
use crate::db;
use crate::domain::{AccountAddress, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::rbac::Caller;
use crate::startup::AppState;

#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct AlertView {
    pub id: i64,
    pub rule: String,
    pub subject: String,
    pub slot: i64,
    pub detail: serde_json::Value,
    pub at: i64,
}

/// The organizer's alerts before the id `$2`, newest first.
const ALERTS: &str = "SELECT id, rule, subject, slot, detail, extract(epoch FROM at)::bigint AS at
     FROM alerts WHERE organizer = $1 AND id < $2 ORDER BY id DESC LIMIT $3";

/// The indexer's alerts about the organizer, newest first (admin, event manager).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/alerts", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), IndexQuery), security(("bearer" = [])), responses((status = 200, body = Page<AlertView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.alerts", skip_all, fields(%organizer))]
pub async fn alerts(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
    Query(q): Query<IndexQuery>,
) -> Result<Json<Page<AlertView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let org = tenant(&caller)?;
    let before = q
        .cursor
        .map(|c| c.min(i64::MAX as u64) as i64)
        .unwrap_or(i64::MAX);
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<AlertView> = sqlx::query_as(ALERTS)
        .bind(&org)
        .bind(before)
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |a| a.id.to_string())))
}
