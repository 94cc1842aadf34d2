//! An event's tickets, for the organizer's staff.
use axum::extract::State;
use axum::{Extension, Json};

use super::tenant;
use crate::db;
use crate::domain::{AccountAddress, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::rbac::Caller;
use crate::routes::tickets::{ticket_columns, PageQuery, TicketView};
use crate::startup::AppState;

/// The organizer's tickets of one event, a page after a cursor (by address).
const EVENT_TICKETS: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t LEFT JOIN slots s ON s.slot = t.slot
     WHERE t.organizer = $1 AND t.event = $2 AND ($3::text IS NULL OR t.pubkey > $3)
     ORDER BY t.pubkey LIMIT $4"
);

/// An event's tickets, for the organizer's staff (admin, event manager, gatekeeper).
#[utoipa::path(get, path = "/v1/organizers/{organizer}/events/{event}/tickets", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), ("event" = String, Path), PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<TicketView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.event_tickets", skip_all, fields(%organizer, %event))]
pub async fn event_tickets(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((organizer, event)): Path<(AccountAddress, AccountAddress)>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<TicketView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<TicketView> = sqlx::query_as(EVENT_TICKETS)
        .bind(&org)
        .bind(event.to_string())
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |t| t.pubkey.clone())))
}
