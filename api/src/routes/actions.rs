//! A purchase link a wallet opens: the Solana Actions interface (spec v2.4) over the
//! catalogue and the purchase builder.
//!
//! - `GET /actions.json`: the rules that map a shared event link to this API.
//! - `GET /v1/actions/events/{event}`: the action's metadata: the event's icon, title and
//!   description, and a button per sale open now (the event's own, each tier in its open
//!   phase) with its price; `disabled` with the reason when nothing sells now.
//! - `POST /v1/actions/events/{event}[?tier=N]` with `{"account": "<buyer>"}`: the
//!   purchase transaction for that wallet to sign, built by `transactions::build_purchase`
//!   with the same checks, refusals and allow-list proofs as the signed-in route.
//! - `GET /v1/actions/events/{event}/icon.svg`: the icon, drawn from the event's fields.
//!
//! No token is needed: the wallet's own signature on the transaction is what authorises
//! the purchase. The posted account is not authenticated, so nothing private is read for
//! it except what its purchase needs: its proof on an allow-list uploaded here (which
//! tells that the wallet is on that list, as its purchase on chain would). The CORS
//! headers the spec requires come from `middleware::actions`. Rate limits are the
//! catalogue's per client address, with the strict budget for the POST.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use crate::auth::tokens::Identity;
use crate::currency::Currency;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json as Body, Path, Query};
use crate::middleware::client_addr::ClientAddr;
use crate::rbac::Caller;
use crate::routes::events::{self, unix_now, EventDetail};
use crate::routes::transactions::{build_purchase, PurchaseRequest};
use crate::sale::{SaleStatus, Terms};
use crate::startup::AppState;

/// `actions.json`: which page paths are Actions, and where their API is.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionsJson {
    pub rules: Vec<ActionRule>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionRule {
    #[serde(rename = "pathPattern")]
    pub path_pattern: String,
    #[serde(rename = "apiPath")]
    pub api_path: String,
}

/// The Actions rule file.
///
/// An event's link (`/events/<address>`) is its action, and the action paths are their
/// own.
#[utoipa::path(get, operation_id = "actions_json", path = "/actions.json", tag = "actions", security(()), responses((status = 200, body = ActionsJson), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
pub async fn rules() -> Json<ActionsJson> {
    let rule = |path_pattern: &str, api_path: &str| ActionRule {
        path_pattern: path_pattern.into(),
        api_path: api_path.into(),
    };
    Json(ActionsJson {
        rules: vec![
            rule("/events/*", "/v1/actions/events/*"),
            rule("/v1/actions/**", "/v1/actions/**"),
        ],
    })
}

/// An action's metadata (`ActionGetResponse`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionMetadata {
    /// Always `action`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Absolute URL of the icon (SVG).
    pub icon: String,
    pub title: String,
    pub description: String,
    pub label: String,
    /// Nothing sells now: `error` says why.
    pub disabled: bool,
    pub links: ActionLinks,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ActionMessage>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionLinks {
    pub actions: Vec<LinkedAction>,
}

/// One button: a sale open now, with its price.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct LinkedAction {
    /// Always `transaction`.
    #[serde(rename = "type")]
    pub kind: String,
    pub label: String,
    /// Relative to this API: where the wallet posts its account.
    pub href: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionMessage {
    pub message: String,
}

/// A Unix time as `YYYY-MM-DD HH:MM UTC`.
pub(crate) fn when(unix: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix) {
        Ok(t) => format!("{} {:02}:{:02} UTC", t.date(), t.hour(), t.minute()),
        Err(_) => unix.to_string(),
    }
}

/// Why a sale with `status` sells nothing now, in a wallet's words.
fn why_not(status: SaleStatus) -> &'static str {
    match status {
        SaleStatus::OnSale => "every open sale has sold its share",
        SaleStatus::Cancelled => "the event was cancelled",
        SaleStatus::NotApproved => "the event's sale is waiting for the organizer's approval",
        SaleStatus::Paused => "the sale is paused",
        SaleStatus::NotStarted => "the sale has not started",
        SaleStatus::Ended => "the sale is over",
        SaleStatus::SoldOut => "sold out",
        SaleStatus::BetweenPhases => "the next sale phase has not opened",
    }
}

/// The buttons of `d` at `now`: the event's own sale if it sells, and each tier in its
/// open phase.
fn buttons(d: &EventDetail, now: i64) -> Vec<LinkedAction> {
    let href = |tier: Option<u8>| match tier {
        None => format!("/v1/actions/events/{}", d.event.pubkey),
        Some(t) => format!("/v1/actions/events/{}?tier={t}", d.event.pubkey),
    };
    let button = |label: String, tier| LinkedAction {
        kind: "transaction".into(),
        label,
        href: href(tier),
    };
    let mut out = Vec::new();
    if d.event.supply > 0 {
        let tiers_sold: i64 = d.tiers.iter().map(|t| t.sold).sum();
        let own = Terms {
            cancelled: d.event.cancelled,
            approved: d.event.approved,
            paused: d.event.paused,
            sale_start: d.event.sale_start,
            sale_end: d.event.sale_end,
            supply: d.event.supply,
            sold: d.sales.sold.saturating_sub(tiers_sold),
            open_room: None,
        };
        if own.status(now) == SaleStatus::OnSale {
            out.push(button(
                format!("Buy · {}", Currency::sol().show(d.event.price_lamports.0)),
                None,
            ));
        }
    }
    for t in &d.tiers {
        if t.status != SaleStatus::OnSale {
            continue;
        }
        let Some(p) = t.open_phase.and_then(|i| t.phases.get(usize::from(i))) else {
            continue;
        };
        let list = if p.allow_listed { " · allow-list" } else { "" };
        out.push(button(
            format!("{} · {}{list}", t.name, t.currency.show(p.price)),
            Some(t.index),
        ));
    }
    out
}

/// An event's purchase action: icon, title, description, a button per open sale.
///
/// No token needed. `disabled`, with `error.message`, when nothing sells now (by the
/// mirror's figures and this server's clock; the POST asks the chain's).
#[utoipa::path(get, operation_id = "action", path = "/v1/actions/events/{event}", tag = "actions", params(("event" = String, Path, description = "the event's address")), security(()), responses((status = 200, body = ActionMetadata), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "actions.metadata", skip_all, fields(%event))]
pub async fn metadata(
    State(app): State<AppState>,
    Path(event): Path<AccountAddress>,
) -> Result<Json<ActionMetadata>, ApiError> {
    let d = events::detail(&app, &event).await?;
    let now = unix_now();
    let actions = buttons(&d, now);
    let base = app.settings.sign_in.uri.trim_end_matches('/');
    let organizer = d.event.organizer_shown();
    let disabled = actions.is_empty();
    Ok(Json(ActionMetadata {
        kind: "action".into(),
        icon: format!("{base}/v1/actions/events/{event}/icon.svg"),
        title: d.event.name.clone(),
        description: format!(
            "By {organizer}. Doors {}. {} of {} tickets left. The ticket arrives in your wallet as an NFT.",
            when(d.event.check_in_start),
            d.availability.remaining,
            d.availability.remaining + d.availability.sold,
        ),
        label: if disabled { "Not on sale" } else { "Buy a ticket" }.into(),
        disabled,
        error: disabled.then(|| ActionMessage {
            message: why_not(d.availability.status).into(),
        }),
        links: ActionLinks { actions },
    }))
}

/// The wallet's account (`ActionPostRequest`); other fields of later spec versions are
/// ignored.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ActionPost {
    /// The buyer: the wallet that signs and pays.
    pub account: AccountAddress,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ActionQuery {
    /// The tier to buy in its open phase; without it, the event's own sale.
    pub tier: Option<u8>,
}

/// The transaction for the wallet (`ActionPostResponse`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActionTransaction {
    /// Always `transaction`.
    #[serde(rename = "type")]
    pub kind: String,
    /// base64 of the serialized transaction: the buyer pays the fee; the ticket's fresh
    /// mint has signed it, so the wallet keeps its fee payer and blockhash.
    pub transaction: String,
    pub message: String,
}

/// The purchase for the posted account to sign.
///
/// The same checks and refusals as `POST /v1/transactions/purchase` (409 with the reason
/// when it cannot land now, the allow-list proof uploaded here when the phase needs one),
/// with the error's `message` at the top as the Actions spec reads it.
#[utoipa::path(post, operation_id = "action_purchase", path = "/v1/actions/events/{event}", tag = "actions", params(("event" = String, Path, description = "the event's address"), ActionQuery), request_body = ActionPost, security(()), responses((status = 200, body = ActionTransaction), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 409, description = "the sale cannot sell now (as for a purchase), or not_allow_listed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "actions.purchase", skip_all, fields(%event))]
pub async fn purchase(
    State(app): State<AppState>,
    Path(event): Path<AccountAddress>,
    Query(q): Query<ActionQuery>,
    client: Option<Extension<ClientAddr>>,
    Body(post): Body<ActionPost>,
) -> Result<Json<ActionTransaction>, ApiError> {
    // not a signed-in caller: the account stands for the buyer in the reads (its own
    // allow-list proof) and in the audit row, marked as the Actions link's
    let caller = Caller {
        identity: Identity::Wallet(post.account),
        tenant: None,
        source: client.map(|Extension(c)| c.to_string()),
    };
    let req = PurchaseRequest {
        event,
        shard: None,
        max_price: None,
        tier: q.tier,
        proof: None,
    };
    let built = build_purchase(&app, &caller, post.account, &req, "action_purchase").await?;
    Ok(Json(ActionTransaction {
        kind: "transaction".into(),
        transaction: built.transaction,
        message: format!(
            "Sign to buy the ticket: it arrives in this wallet ({}) once the transaction lands.",
            built.mint.unwrap_or_default()
        ),
    }))
}

/// Escapes text for SVG (XML) and drops control characters.
pub(crate) fn xml(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().filter(|c| !c.is_control()) {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// The icon of an event's action: a ticket drawn from its name, organizer and date.
pub fn icon_svg(name: &str, organizer: &str, doors: i64) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d28d9"/><stop offset="1" stop-color="#0ea5e9"/></linearGradient></defs><rect width="512" height="512" rx="48" fill="url(#g)"/><rect x="40" y="120" width="432" height="272" rx="24" fill="#ffffff" fill-opacity="0.92"/><circle cx="40" cy="256" r="28" fill="url(#g)"/><circle cx="472" cy="256" r="28" fill="url(#g)"/><text x="256" y="210" text-anchor="middle" font-family="sans-serif" font-size="34" font-weight="700" fill="#1e1b4b">{}</text><text x="256" y="262" text-anchor="middle" font-family="sans-serif" font-size="24" fill="#312e81">{}</text><text x="256" y="312" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#312e81">{}</text><text x="256" y="460" text-anchor="middle" font-family="sans-serif" font-size="26" font-weight="700" fill="#ffffff">BitTicket</text></svg>"##,
        xml(&clip(name, 22)),
        xml(&clip(organizer, 30)),
        xml(&when(doors)),
    )
}

/// The action's icon: an SVG drawn from the event's name, organizer and doors' time.
#[utoipa::path(get, operation_id = "action_icon", path = "/v1/actions/events/{event}/icon.svg", tag = "actions", params(("event" = String, Path, description = "the event's address")), security(()), responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "actions.icon", skip_all, fields(%event))]
pub async fn icon(
    State(app): State<AppState>,
    Path(event): Path<AccountAddress>,
) -> Result<Response, ApiError> {
    let d = events::detail(&app, &event).await?;
    Ok((
        [(header::CONTENT_TYPE, "image/svg+xml")],
        icon_svg(
            &d.event.name,
            d.event.organizer_shown(),
            d.event.check_in_start,
        ),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_names_cannot_break_out_of_the_svg() {
        let svg = icon_svg("<script>alert(1)</script>", "a\"b'&\u{7}", 0);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("a&quot;b&apos;&amp;"));
        assert!(!svg.contains('\u{7}'));
        assert_eq!(clip("abcdef", 4), "abc…");
    }
}
