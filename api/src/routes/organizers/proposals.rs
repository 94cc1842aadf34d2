//! The organizer's vault proposals, by index, closed ones kept as history.
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
pub struct ProposalView {
    pub pubkey: String,
    pub index: String,
    pub proposer: String,
    pub action: serde_json::Value,
    /// `active`, `approved`, `rejected`, `cancelled`, `executed`, or `stale` (active or
    /// approved, but made before the organizer's last configuration change: it can only
    /// be closed).
    pub status: String,
    pub status_at: Option<i64>,
    pub approved: Vec<String>,
    pub rejected: Vec<String>,
    pub cancelled: Vec<String>,
    pub slot: i64,
    /// The slot its account was closed at (its rent back to the proposer), if it was; the
    /// mirror keeps it as history.
    pub closed_slot: Option<i64>,
}

/// The organizer's proposals after the index `$2`, in index order; an active or approved
/// one made before the organizer's last configuration change reads `stale`
/// (`bitticket_client::names::proposal_status_now`).
const PROPOSALS: &str = "SELECT p.pubkey, p.index::text AS index, p.proposer, p.action,
            CASE WHEN p.status IN ('active', 'approved')
                  AND p.index <= o.stale_transaction_index THEN 'stale' ELSE p.status END AS status,
            p.status_at, p.approved, p.rejected, p.cancelled, p.slot, p.closed_slot
     FROM proposals p JOIN organizers o ON o.pubkey = p.organizer
     WHERE p.organizer = $1 AND ($2::text IS NULL OR p.index > $2::numeric)
     ORDER BY p.index LIMIT $3";

/// The organizer's proposals (admin, finance, multisig).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/proposals", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), IndexQuery), security(("bearer" = [])), responses((status = 200, body = Page<ProposalView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.proposals", skip_all, fields(%organizer))]
pub async fn proposals(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(organizer): Path<AccountAddress>,
    Query(q): Query<IndexQuery>,
) -> Result<Json<Page<ProposalView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<ProposalView> = sqlx::query_as(PROPOSALS)
        .bind(&org)
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |p| p.index.clone())))
}
