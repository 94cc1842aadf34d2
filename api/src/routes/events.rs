//! The public catalogue: any signed-in caller may list events and read one with its
//! sales figures.
use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::db;
use crate::domain::{AccountAddress, Amount, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::rbac::Caller;
use crate::startup::AppState;

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EventView {
    pub pubkey: String,
    pub organizer: String,
    pub event_id: String,
    pub name: String,
    pub uri: String,
    #[schema(value_type = u64)]
    pub price_lamports: Amount,
    pub supply: i64,
    pub sale_start: i64,
    pub sale_end: i64,
    pub resale_unlock: i64,
    pub max_per_wallet: i32,
    pub check_in_start: i64,
    pub check_in_end: i64,
    pub paused: bool,
    pub cancelled: bool,
    /// Whether its sale terms are approved; an event an event manager created alone in an
    /// organizer that needs proposals sells nothing until a proposal approves them.
    pub approved: bool,
}

/// The columns of `EventView` over `events e`, as a literal (a macro, so that each query
/// that returns events is one constant).
macro_rules! event_columns {
    () => {
        "e.pubkey, e.organizer, e.event_id::text AS event_id, e.name, e.uri, \
         e.price_lamports::text AS price_lamports, e.supply, e.sale_start, e.sale_end, e.resale_unlock, e.max_per_wallet, \
         e.check_in_start, e.check_in_end, e.paused, e.cancelled, e.approved"
    };
}

/// Events (of the organizer `$1`, if given; on sale at `$4` if `$2`; upcoming at `$4` if
/// `$3`), a page after the cursor `$5` (by address).
const EVENTS: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events e
     WHERE ($1::text IS NULL OR e.organizer = $1)
       AND (NOT $2 OR (e.sale_start <= $4 AND $4 < e.sale_end AND NOT e.paused AND NOT e.cancelled AND e.approved))
       AND (NOT $3 OR (e.sale_start > $4 AND NOT e.cancelled))
       AND ($5::text IS NULL OR e.pubkey > $5)
     ORDER BY e.pubkey LIMIT $6"
);

/// One event.
const EVENT: &str = concat!(
    "SELECT ",
    event_columns!(),
    " FROM events e WHERE e.pubkey = $1"
);

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    pub organizer: Option<AccountAddress>,
    /// Only events selling now: approved, inside the sale window, neither paused nor
    /// cancelled.
    #[serde(default)]
    pub on_sale: bool,
    /// Only events whose sale has not started.
    #[serde(default)]
    pub upcoming: bool,
    pub limit: Option<u32>,
    pub cursor: Option<AccountAddress>,
}

fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

#[utoipa::path(get, operation_id = "events", path = "/v1/events", tag = "events", params(EventsQuery), security(("bearer" = [])), responses((status = 200, body = Page<EventView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.list", skip_all, fields(organizer = q.organizer.map(tracing::field::display)))]
pub async fn list(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<EventsQuery>,
) -> Result<Json<Page<EventView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<EventView> = sqlx::query_as(EVENTS)
        .bind(q.organizer.map(|o| o.to_string()))
        .bind(q.on_sale)
        .bind(q.upcoming)
        .bind(unix_now())
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |e| e.pubkey.clone())))
}

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct Sales {
    pub sold: i64,
    #[schema(value_type = u64)]
    pub revenue_lamports: Amount,
    #[schema(value_type = u64)]
    pub refunded_lamports: Amount,
    #[schema(value_type = u64)]
    pub swept_lamports: Amount,
    pub shards_opened: i32,
}

/// The event `$1`'s sales over its shards (zeros before any shard opens).
const SALES: &str = "SELECT coalesce(sum(sold), 0)::bigint AS sold,
            coalesce(sum(revenue), 0)::text AS revenue_lamports,
            coalesce(sum(refunded), 0)::text AS refunded_lamports,
            coalesce(sum(swept), 0)::text AS swept_lamports,
            count(*)::int AS shards_opened
     FROM shards WHERE event = $1";

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventView,
    pub sales: Sales,
}

#[utoipa::path(get, operation_id = "event", path = "/v1/events/{event}", tag = "events", params(("event" = String, Path)), security(("bearer" = [])), responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.one", skip_all, fields(%event))]
pub async fn one(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(event): Path<AccountAddress>,
) -> Result<Json<EventDetail>, ApiError> {
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let found: Option<EventView> = sqlx::query_as(EVENT)
        .bind(event.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let Some(found) = found else {
        return Err(ApiError::NotFound);
    };
    let sales: Sales = sqlx::query_as(SALES)
        .bind(event.to_string())
        .fetch_one(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(EventDetail {
        event: found,
        sales,
    }))
}
