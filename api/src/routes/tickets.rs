//! A wallet's own tickets. Row-level security shows a wallet only the tickets it holds
//! (outside a tenant scope), so a ticket held by someone else is simply not found.
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
pub struct TicketView {
    pub pubkey: String,
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

/// The columns of `TicketView`, for every query that returns tickets.
pub const TICKET_COLUMNS: &str = "t.pubkey, t.organizer, t.event, t.mint, t.holder, t.serial, \
     t.shard_index, t.price_paid::text AS price_paid, t.state, t.checked_in_at, t.slot, \
     coalesce(s.status, 'confirmed') AS commitment";

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    pub limit: Option<u32>,
    pub cursor: Option<AccountAddress>,
}

#[utoipa::path(get, operation_id = "my_tickets", path = "/v1/me/tickets", tag = "tickets", params(PageQuery), security(("bearer" = [])), responses((status = 200, body = Page<TicketView>), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
pub async fn mine(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(q): Query<PageQuery>,
) -> Result<Json<Page<TicketView>>, ApiError> {
    let limit = Limit::new(q.limit)?;
    let wallet = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let rows: Vec<TicketView> = sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t LEFT JOIN slots s ON s.slot = t.slot
         WHERE t.holder = $1 AND ($2::text IS NULL OR t.pubkey > $2)
         ORDER BY t.pubkey LIMIT $3"
    ))
    .bind(wallet.to_string())
    .bind(q.cursor.map(|c| c.to_string()))
    .bind(limit.0 + 1)
    .fetch_all(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(Json(Page::from_rows(rows, limit, |t| t.pubkey.clone())))
}

#[utoipa::path(get, operation_id = "ticket", path = "/v1/tickets/{ticket}", tag = "tickets", params(("ticket" = String, Path)), security(("bearer" = [])), responses((status = 200, body = TicketView), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
pub async fn one(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(ticket): Path<AccountAddress>,
) -> Result<Json<TicketView>, ApiError> {
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let row: Option<TicketView> = sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t LEFT JOIN slots s ON s.slot = t.slot WHERE t.pubkey = $1"
    ))
    .bind(ticket.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    row.map(Json).ok_or(ApiError::NotFound)
}

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

/// A short-lived encrypted QR payload for a ticket the caller holds and may still use,
/// as JSON or as a PNG image.
#[utoipa::path(get, operation_id = "ticket_qr", path = "/v1/tickets/{ticket}/qr", tag = "tickets", params(("ticket" = String, Path), QrQuery), security(("bearer" = [])), responses((status = 200, description = "JSON, or image/png with ?format=png", body = QrView), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
pub async fn qr(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(ticket): Path<AccountAddress>,
    Query(q): Query<QrQuery>,
) -> Result<axum::response::Response, ApiError> {
    use axum::response::IntoResponse;
    let png = match q.format.as_deref() {
        None | Some("json") => false,
        Some("png") => true,
        Some(_) => return Err(ApiError::BadRequest("format is json or png".into())),
    };
    let wallet = caller.wallet().ok_or(ApiError::Forbidden)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT state, organizer FROM tickets WHERE pubkey = $1 AND holder = $2")
            .bind(ticket.to_string())
            .bind(wallet.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    tx.commit().await?;
    let Some((state, organizer)) = row else {
        return Err(ApiError::NotFound);
    };
    let organizer: AccountAddress = organizer
        .parse()
        .map_err(|_| ApiError::internal("stored organizer"))?;
    match state.as_str() {
        "valid" => {}
        _ => {
            return Err(ApiError::BadRequest(
                "this ticket can no longer enter (checked in or refunded)".into(),
            ))
        }
    }
    let (payload, kid, expires_at) = app.qr.issue(&app.pool, organizer, ticket, wallet).await?;
    crate::audit::Entry::new(&wallet.to_string(), "qr_issue", "ok")
        .target(Some(&ticket.to_string()))
        .source(caller.source.as_deref())
        .detail(serde_json::json!({ "kid": kid, "expires_at": expires_at }))
        .record(&app.pool)
        .await;
    if png {
        let image = crate::qr::png(&payload)?;
        return Ok((
            [
                (axum::http::header::CONTENT_TYPE, "image/png".to_string()),
                (
                    axum::http::HeaderName::from_static("x-qr-kid"),
                    kid.to_string(),
                ),
                (
                    axum::http::HeaderName::from_static("x-qr-expires-at"),
                    expires_at.to_string(),
                ),
            ],
            image,
        )
            .into_response());
    }
    Ok(Json(QrView {
        payload,
        kid,
        expires_at,
    })
    .into_response())
}
