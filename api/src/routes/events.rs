//! The public catalogue: anybody, signed in or not, may list events and read one with its
//! availability (sold, remaining, the sale's status now) and sales figures. Every read
//! goes through `db::begin_public`, as the role that may read the `catalogue` view and
//! nothing else; staff data (members, vaults, proposals, check-ins, holders) is not there.
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

use crate::currency::Currency;
use crate::db;
use crate::domain::{AccountAddress, Amount, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Path, Query};
use crate::sale::{Availability, Terms};
use crate::startup::AppState;
use crate::tiers::{self, TierRow, TierView};

/// An event's terms, as the program holds them.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct EventTerms {
    pub pubkey: String,
    pub organizer: String,
    /// The organizer's name, as it set it on chain ('' while the mirror lacks it).
    pub organizer_name: String,
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
    /// The resale market's cap, in basis points of each ticket's face value (what its
    /// first buyer paid); 0: no market.
    pub resale_cap_bps: i64,
    /// The organizer's royalty on each resale, in basis points of its price; it joins the
    /// event's proceeds.
    pub royalty_bps: i32,
    /// Whether tickets move only through the market (no free transfers).
    pub transfers_locked: bool,
}

/// An event of the catalogue: its terms, its availability now (its own sale and its
/// tiers together) and its tiers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventView {
    #[serde(flatten)]
    pub event: EventTerms,
    pub availability: Availability,
    /// Its ticket tiers, each with its phases and where its sale stands (the event's own
    /// `price_lamports` and `supply` are its base sale's).
    pub tiers: Vec<TierView>,
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

/// One row of the `catalogue` view.
#[derive(sqlx::FromRow)]
struct CatalogueRow {
    #[sqlx(flatten)]
    event: EventTerms,
    #[sqlx(flatten)]
    sales: Sales,
    /// What the opened shards can still issue (the view's `open_room`).
    open_room: i64,
    /// Its own supply and its tiers' together.
    total_supply: i64,
}

impl CatalogueRow {
    fn terms(&self) -> Terms {
        let e = &self.event;
        Terms {
            cancelled: e.cancelled,
            approved: e.approved,
            paused: e.paused,
            sale_start: e.sale_start,
            sale_end: e.sale_end,
            supply: self.total_supply,
            sold: self.sales.sold,
            // no shard opened yet: the purchase says so itself (not a sold-out event)
            open_room: (self.sales.shards_opened > 0).then_some(self.open_room),
        }
    }
}

/// The columns of `CatalogueRow` over the view `c`, as a literal (a macro, so that each
/// query is one constant).
macro_rules! catalogue_columns {
    () => {
        "c.pubkey, c.organizer, c.event_id::text AS event_id, c.name, c.uri, \
         c.price_lamports::text AS price_lamports, c.supply, c.sale_start, c.sale_end, c.resale_unlock, \
         c.max_per_wallet, c.check_in_start, c.check_in_end, c.paused, c.cancelled, c.approved, \
         c.sold, c.revenue::text AS revenue_lamports, c.refunded::text AS refunded_lamports, \
         c.swept::text AS swept_lamports, c.shards_opened, c.organizer_name, c.open_room, \
         c.total_supply, c.resale_cap_bps, c.royalty_bps, c.transfers_locked"
    };
}

/// Events (of the organizer `$1`, if given; on sale at `$4` if `$2`, by the same rule as
/// `sale::Terms::status`; upcoming at `$4` if `$3`), a page after the cursor `$5` (by
/// address).
const EVENTS: &str = concat!(
    "SELECT ",
    catalogue_columns!(),
    " FROM catalogue c
     WHERE ($1::text IS NULL OR c.organizer = $1)
       AND (NOT $2 OR (c.sale_start <= $4 AND $4 < c.sale_end AND NOT c.paused AND NOT c.cancelled
                       AND c.approved AND c.sold < c.total_supply
                       AND (c.shards_opened = 0 OR c.open_room > 0)))
       AND (NOT $3 OR (c.sale_start > $4 AND NOT c.cancelled))
       AND ($5::text IS NULL OR c.pubkey > $5)
     ORDER BY c.pubkey LIMIT $6"
);

/// One event.
const EVENT: &str = concat!(
    "SELECT ",
    catalogue_columns!(),
    " FROM catalogue c WHERE c.pubkey = $1"
);

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    pub organizer: Option<AccountAddress>,
    /// Only events selling now: approved, inside the sale window, neither paused nor
    /// cancelled, not sold out (the status `on_sale`).
    #[serde(default)]
    pub on_sale: bool,
    /// Only events whose sale has not started.
    #[serde(default)]
    pub upcoming: bool,
    /// 1 to 100 (50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<AccountAddress>,
}

/// This server's clock (the catalogue's; a purchase asks the chain's).
pub(crate) fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// The catalogue: events with their availability, a page at a time.
///
/// No token needed (an anonymous caller is rate-limited by its client address); a token,
/// when sent, must be valid. `availability.status` is the first of `cancelled`,
/// `not_approved`, `paused`, `not_started`, `ended`, `sold_out` that holds now (the
/// program's order for a purchase), else `on_sale`.
#[utoipa::path(get, operation_id = "events", path = "/v1/events", tag = "events", params(EventsQuery), security((), ("bearer" = [])), responses((status = 200, body = Page<EventView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "a token was sent and is not valid", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.list", skip_all, fields(organizer = q.organizer.map(tracing::field::display)))]
pub async fn list(
    State(app): State<AppState>,
    Query(q): Query<EventsQuery>,
) -> Result<Json<Page<EventView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let now = unix_now();
    let mut tx = db::begin_public(&app.pool).await?;
    let rows: Vec<CatalogueRow> = sqlx::query_as(EVENTS)
        .bind(q.organizer.map(|o| o.to_string()))
        .bind(q.on_sale)
        .bind(q.upcoming)
        .bind(now)
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    let keys: Vec<String> = rows.iter().map(|r| r.event.pubkey.clone()).collect();
    let mut tiers = tiers::of_events(&mut tx, &keys).await?;
    tx.commit().await?;
    let views = rows
        .into_iter()
        .map(|r| {
            let terms = r.terms();
            Ok(EventView {
                availability: Availability::of(&terms, now),
                tiers: views(tiers.remove(&r.event.pubkey), &terms, now)?,
                event: r.event,
            })
        })
        .collect::<Result<_, ApiError>>()?;
    Ok(Json(Page::from_rows(views, limit, |e| {
        e.event.pubkey.clone()
    })))
}

fn views(rows: Option<Vec<TierRow>>, event: &Terms, now: i64) -> Result<Vec<TierView>, ApiError> {
    rows.unwrap_or_default()
        .iter()
        .map(|t| t.view(event, now))
        .collect()
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct EventDetail {
    #[serde(flatten)]
    pub event: EventTerms,
    pub availability: Availability,
    pub sales: Sales,
    pub tiers: Vec<TierView>,
}

/// One event of the catalogue, with its availability and sales figures.
///
/// No token needed, as for the list.
#[utoipa::path(get, operation_id = "event", path = "/v1/events/{event}", tag = "events", params(("event" = String, Path, description = "the event's address")), security((), ("bearer" = [])), responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "a token was sent and is not valid", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.one", skip_all, fields(%event))]
pub async fn one(
    State(app): State<AppState>,
    Path(event): Path<AccountAddress>,
) -> Result<Json<EventDetail>, ApiError> {
    detail(&app, &event).await.map(Json)
}

impl EventTerms {
    /// The organizer as a person reads it: its name on chain, else its address.
    pub fn organizer_shown(&self) -> &str {
        if self.organizer_name.is_empty() {
            &self.organizer
        } else {
            &self.organizer_name
        }
    }
}

/// One event of the public catalogue, as `one` serves it.
pub async fn detail(app: &AppState, event: &AccountAddress) -> Result<EventDetail, ApiError> {
    let mut tx = db::begin_public(&app.pool).await?;
    let found: Option<CatalogueRow> = sqlx::query_as(EVENT)
        .bind(event.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    let row = found.ok_or(ApiError::NotFound)?;
    let mut tiers = tiers::of_events(&mut tx, std::slice::from_ref(&row.event.pubkey)).await?;
    tx.commit().await?;
    let (terms, now) = (row.terms(), unix_now());
    Ok(EventDetail {
        availability: Availability::of(&terms, now),
        tiers: views(tiers.remove(&row.event.pubkey), &terms, now)?,
        event: row.event,
        sales: row.sales,
    })
}

/// A standing resale listing: its seller still holds the valid ticket of an event not
/// cancelled.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ListingView {
    #[serde(flatten)]
    pub listing: ListingRow,
    /// What its price is counted in: its tier's currency.
    pub currency: Currency,
}

/// A listing as `catalogue_listings` holds it.
#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct ListingRow {
    pub listing: String,
    pub ticket: String,
    pub mint: String,
    pub seller: String,
    /// What a buyer pays, the royalty included, in `currency`'s smallest unit.
    #[schema(value_type = u64)]
    pub price: Amount,
    /// What the ticket's first buyer paid (same unit); the cap is a share of it.
    #[schema(value_type = u64)]
    pub face_value: Amount,
    #[serde(skip)]
    pub currency: String,
    #[serde(skip)]
    pub currency_decimals: i32,
    /// The tier it was sold in (255: the event's own sale).
    pub tier: i32,
    pub serial: i64,
    pub listed_at: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListingsQuery {
    /// 1 to 100 (50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<AccountAddress>,
}

/// An event's standing listings, by listing address, a page at a time.
const LISTINGS: &str = "SELECT listing, ticket, mint, seller, price::text AS price,
       face_value::text AS face_value, currency, currency_decimals, tier, serial, listed_at
     FROM catalogue_listings
     WHERE event = $1 AND ($2::text IS NULL OR listing > $2)
     ORDER BY listing LIMIT $3";

/// An event's resale market: the listings that can be bought now.
///
/// Each with its price, seller and face value.
/// No token needed, as for the catalogue.
#[utoipa::path(get, operation_id = "listings", path = "/v1/events/{event}/listings", tag = "events", params(("event" = String, Path, description = "the event's address"), ListingsQuery), security((), ("bearer" = [])), responses((status = 200, body = Page<ListingView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "a token was sent and is not valid", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "events.listings", skip_all, fields(%event))]
pub async fn listings(
    State(app): State<AppState>,
    Path(event): Path<AccountAddress>,
    Query(q): Query<ListingsQuery>,
) -> Result<Json<Page<ListingView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let mut tx = db::begin_public(&app.pool).await?;
    let rows: Vec<ListingRow> = sqlx::query_as(LISTINGS)
        .bind(event.to_string())
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    let views = rows
        .into_iter()
        .map(|listing| {
            Ok(ListingView {
                currency: Currency::stored(&listing.currency, listing.currency_decimals)?,
                listing,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(Json(Page::from_rows(views, limit, |l| {
        l.listing.listing.clone()
    })))
}
