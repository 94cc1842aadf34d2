//! A wallet's own tickets, each named by its ticket account or its mint. Row-level
//! security shows a wallet only the tickets it holds (outside a tenant scope), so a ticket
//! held by someone else is simply not found.
use axum::extract::State;
use axum::http::{header, HeaderName};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use bitticket_client::pass::{Pass, PASS_MAX_VALIDITY};
use serde::{Deserialize, Serialize};

use crate::db;
use crate::domain::{AccountAddress, Amount, Limit, Page};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json as Body, Path, Query};
use crate::rbac::Caller;
use crate::startup::AppState;

#[derive(Debug, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct TicketView {
    pub pubkey: String,
    /// The ticket account (the same as `pubkey`); `mint` is its token's mint. Either one
    /// names the ticket in `/v1/tickets/{ticket}`.
    pub ticket: String,
    pub organizer: String,
    pub event: String,
    pub mint: String,
    pub holder: String,
    pub serial: i64,
    pub shard_index: i32,
    #[schema(value_type = u64)]
    pub price_paid: Amount,
    pub state: String,
    pub checked_in_at: i64,
    pub slot: i64,
    /// `finalized` once the slot that last wrote it is final, `confirmed` before.
    pub commitment: String,
}

/// The columns of `TicketView` over `tickets t LEFT JOIN slots s`, as a literal (a macro,
/// so that every query that returns tickets is one constant).
macro_rules! ticket_columns {
    () => {
        "t.pubkey, t.pubkey AS ticket, t.organizer, t.event, t.mint, t.holder, t.serial, \
         t.shard_index, t.price_paid::text AS price_paid, t.state, t.checked_in_at, t.slot, \
         coalesce(s.status, 'confirmed') AS commitment"
    };
}
pub(crate) use ticket_columns;

/// The columns of `TicketView`, for every query that returns tickets.
pub const TICKET_COLUMNS: &str = ticket_columns!();

/// The wallet `$1`'s tickets, a page after a cursor (by address).
const TICKETS_HELD: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t LEFT JOIN slots s ON s.slot = t.slot
     WHERE t.holder = $1 AND ($2::text IS NULL OR t.pubkey > $2)
     ORDER BY t.pubkey LIMIT $3"
);

/// One ticket, by its account or its mint (row-level security shows a wallet only those
/// it holds).
const TICKET: &str = concat!(
    "SELECT ",
    ticket_columns!(),
    " FROM tickets t LEFT JOIN slots s ON s.slot = t.slot WHERE t.pubkey = $1 OR t.mint = $1"
);

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub limit: Option<u32>,
    pub cursor: Option<AccountAddress>,
}

/// The signed-in wallet's tickets, a page at a time.
#[utoipa::path(get, operation_id = "my_tickets", path = "/v1/me/tickets", tag = "tickets", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<TicketView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "tickets.mine", skip_all)]
pub async fn mine(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<TicketView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let wallet = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<TicketView> = sqlx::query_as(TICKETS_HELD)
        .bind(wallet.to_string())
        .bind(q.cursor.map(|c| c.to_string()))
        .bind(limit.0 + 1)
        .fetch_all(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |t| t.pubkey.clone())))
}

/// A ticket the wallet holds, by its ticket account or its mint.
///
/// Another wallet's ticket is not found (404), not forbidden: there is nothing to learn.
#[utoipa::path(get, operation_id = "ticket", path = "/v1/tickets/{ticket}", tag = "tickets", params(("ticket" = String, Path, description = "the ticket account or its mint")), security(("bearer" = [])), responses((status = 200, body = TicketView), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "tickets.one", skip_all, fields(%ticket))]
pub async fn one(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(ticket): Path<AccountAddress>,
) -> Result<Json<TicketView>, ApiError> {
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let row: Option<TicketView> = sqlx::query_as(TICKET)
        .bind(ticket.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    row.map(Json).ok_or(ApiError::NotFound)
}

/// A ticket the caller holds: its account, state and organizer.
#[derive(sqlx::FromRow)]
struct HeldTicket {
    pubkey: String,
    state: String,
    organizer: String,
    mint: String,
}

/// The ticket `$1` (its account or its mint) if the wallet `$2` holds it.
const HELD_TICKET: &str = "SELECT pubkey, state, organizer, mint FROM tickets
     WHERE (pubkey = $1 OR mint = $1) AND holder = $2";

#[derive(Serialize, utoipa::ToSchema)]
pub struct QrView {
    /// What the QR code encodes.
    pub payload: String,
    pub kid: u32,
    pub expires_at: i64,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct QrQuery {
    /// `json` (default) or `png` (the image; kid and expiry in `x-qr-kid`, `x-qr-expires-at`).
    pub format: Option<String>,
}

/// A short-lived QR code for a ticket the wallet holds.
///
/// An encrypted payload for a ticket the caller holds and may still use (named by its
/// ticket account or its mint), as JSON or as a PNG image. It carries no holder pass: a
/// gatekeeper's wallet is answered `no_pass` (see `POST`).
#[utoipa::path(get, operation_id = "ticket_qr", path = "/v1/tickets/{ticket}/qr", tag = "tickets", params(("ticket" = String, Path, description = "the ticket account or its mint"), QrQuery), security(("bearer" = [])), responses((status = 200, description = "JSON, or image/png with ?format=png", body = QrView), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "tickets.qr", skip_all, fields(%ticket))]
pub async fn qr(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(ticket): Path<AccountAddress>,
    Query(q): Query<QrQuery>,
) -> Result<Response, ApiError> {
    issue_qr(&app, &caller, &ticket, None, q.png()?).await
}

/// The holder's check-in pass: its wallet's signature over the pass message.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PassRequest {
    /// Unix seconds: the pass, and the code, are valid until then (at most
    /// `PASS_MAX_VALIDITY`, 600 s, ahead).
    pub expires_at: i64,
    /// Base58 of the wallet's Ed25519 signature over the UTF-8 message
    /// `BitTicket check-in\nticket: <mint>\nvalid until: <expires_at>`.
    pub signature: String,
}

/// A short-lived QR code carrying the holder's check-in pass.
///
/// As `GET`, with the holder's pass (a message its wallet signed when showing the code):
/// a gatekeeper's wallet scanning it gets a check-in transaction that it signs alone, the
/// pass verified on chain by the Ed25519 program. The code expires with the pass.
#[utoipa::path(post, operation_id = "ticket_qr_with_pass", path = "/v1/tickets/{ticket}/qr", tag = "tickets", params(("ticket" = String, Path, description = "the ticket account or its mint"), QrQuery), request_body = PassRequest, security(("bearer" = [])), responses((status = 200, description = "JSON, or image/png with ?format=png", body = QrView), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "tickets.qr_with_pass", skip_all, fields(%ticket))]
pub async fn qr_with_pass(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(ticket): Path<AccountAddress>,
    Query(q): Query<QrQuery>,
    Body(pass): Body<PassRequest>,
) -> Result<Response, ApiError> {
    issue_qr(&app, &caller, &ticket, Some(&pass), q.png()?).await
}

impl QrQuery {
    fn png(&self) -> Result<bool, ApiError> {
        match self.format.as_deref() {
            None | Some("json") => Ok(false),
            Some("png") => Ok(true),
            Some(_) => Err(ApiError::BadRequest(
                "query parameter `format`: json or png".into(),
            )),
        }
    }
}

impl PassRequest {
    /// The pass for `mint` held by `holder`, if its signature is the holder's and its
    /// expiry in the coming `PASS_MAX_VALIDITY` seconds.
    fn verified(&self, mint: &str, holder: &AccountAddress) -> Result<Pass, ApiError> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        if self.expires_at <= now || self.expires_at - now > PASS_MAX_VALIDITY {
            return Err(ApiError::BadRequest(format!(
                "field `expires_at`: must be after now and at most {PASS_MAX_VALIDITY} s ahead"
            )));
        }
        let signature = Pass::signature_from_base58(&self.signature).ok_or_else(|| {
            ApiError::BadRequest("field `signature`: base58 of a 64-byte signature".into())
        })?;
        let pass = Pass {
            mint: mint
                .parse()
                .map_err(|_| ApiError::internal("stored mint"))?,
            holder: holder.0,
            expires_at: self.expires_at,
            signature,
        };
        pass.verify().map_err(|_| {
            ApiError::BadRequest(
                "field `signature`: not this wallet's signature over the pass message for this ticket and expiry".into(),
            )
        })?;
        Ok(pass)
    }
}

/// Seals a code for a ticket the caller holds and may still use, with its pass if given.
async fn issue_qr(
    app: &AppState,
    caller: &Caller,
    ticket: &AccountAddress,
    pass: Option<&PassRequest>,
    png: bool,
) -> Result<Response, ApiError> {
    let wallet = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let held: Option<HeldTicket> = sqlx::query_as(HELD_TICKET)
        .bind(ticket.to_string())
        .bind(wallet.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    let held = held.ok_or(ApiError::NotFound)?;
    // the payload names the ticket account, however the caller named the ticket
    let ticket: AccountAddress = held
        .pubkey
        .parse()
        .map_err(|_| ApiError::internal("stored ticket"))?;
    let organizer: AccountAddress = held
        .organizer
        .parse()
        .map_err(|_| ApiError::internal("stored organizer"))?;
    if held.state != "valid" {
        return Err(ApiError::BadRequest(
            "this ticket can no longer enter (checked in or refunded)".into(),
        ));
    }
    let pass = pass.map(|p| p.verified(&held.mint, &wallet)).transpose()?;
    let (payload, kid, expires_at) = app
        .qr
        .issue(&app.pool, organizer, ticket, wallet, pass.as_ref())
        .await?;
    crate::audit::Entry::new(&wallet.to_string(), "qr_issue", "ok")
        .target(Some(&ticket.to_string()))
        .source(caller.source.as_deref())
        .detail(serde_json::json!({ "kid": kid, "expires_at": expires_at, "pass": pass.is_some() }))
        .record(&app.pool)
        .await;
    let view = QrView {
        payload,
        kid,
        expires_at,
    };
    if png {
        return png_response(&view);
    }
    Ok(Json(view).into_response())
}

/// The QR code as a PNG image, its key id and expiry in headers.
fn png_response(view: &QrView) -> Result<Response, ApiError> {
    let image = crate::qr::png(&view.payload)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/png".to_string()),
            (HeaderName::from_static("x-qr-kid"), view.kid.to_string()),
            (
                HeaderName::from_static("x-qr-expires-at"),
                view.expires_at.to_string(),
            ),
        ],
        image,
    )
        .into_response())
}
