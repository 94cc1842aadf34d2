//! The organizer's check-ins, newest first, optionally of one event.
use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::tenant;
use crate::db;
use crate::domain::{AccountAddress, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::rbac::Caller;
use crate::startup::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    pub event: Option<AccountAddress>,
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// History pages run newest first by (slot, signature, event index); the cursor is the
/// last row's triple.
fn history_cursor(c: Option<&str>) -> Result<(i64, String, i32), ApiError> {
    let Some(c) = c else {
        return Ok((i64::MAX, String::new(), 0));
    };
    let bad =
        || ApiError::BadRequest("query parameter `cursor`: not a cursor this API gave".into());
    let mut it = c.splitn(3, '.');
    let slot = it.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    let sig = it
        .next()
        .filter(|s| s.len() <= 88 && s.chars().all(|c| c.is_ascii_alphanumeric()))
        .ok_or_else(bad)?;
    let idx = it.next().and_then(|s| s.parse().ok()).ok_or_else(bad)?;
    Ok((slot, sig.to_string(), idx))
}

#[derive(Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct CheckInView {
    pub signature: String,
    pub event_index: i32,
    pub slot: i64,
    pub event: String,
    pub ticket: String,
    pub holder: String,
    pub gatekeeper: String,
    pub at: i64,
    pub commitment: String,
}

/// The organizer's check-ins (of the event `$2`, if given) before the cursor `($3, $4,
/// $5)`, newest first.
const CHECK_INS: &str =
    "SELECT c.signature, c.event_index, c.slot, c.event, c.ticket, c.holder, c.gatekeeper, c.at,
            coalesce(s.status, 'confirmed') AS commitment
     FROM check_ins c LEFT JOIN slots s ON s.slot = c.slot
     WHERE c.organizer = $1 AND ($2::text IS NULL OR c.event = $2)
       AND (c.slot, c.signature, c.event_index) < ($3, $4, $5)
     ORDER BY c.slot DESC, c.signature DESC, c.event_index DESC LIMIT $6";

/// The organizer's check-ins, newest first (admin, event manager, gatekeeper).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/check-ins", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), HistoryQuery), security(("bearer" = [])), responses((status = 200, body = Page<CheckInView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.check_ins", skip_all, fields(%organizer, event = q.event.map(tracing::field::display)))]
pub async fn check_ins(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
    Query(q): Query<HistoryQuery>,
) -> Result<Json<Page<CheckInView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let (slot, sig, idx) = history_cursor(q.cursor.as_deref())?;
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<CheckInView> = sqlx::query_as(CHECK_INS)
        .bind(&org)
        .bind(q.event.map(|e| e.to_string()))
        .bind(slot)
        .bind(sig)
        .bind(idx)
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |c| {
        format!("{}.{}.{}", c.slot, c.signature, c.event_index)
    })))
}
