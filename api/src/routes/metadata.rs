//! What a wallet shows of a ticket. Each ticket's mint holds, in Token-2022's metadata, a
//! URI: its event's URI followed by its serial. An event whose URI is this API's
//! `/v1/metadata/{event}/` has its tickets' JSON served here, in the format wallets read
//! (Metaplex's token standard: name, symbol, description, image, attributes), from the
//! mirror: it follows the ticket's state (valid, checked in, refunded, burned). The image
//! is the organizer's (`PUT .../display`) or an SVG drawn here from the event's fields, so
//! nothing needs hosting. Public and cached: a wallet fetches it unsigned.
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use super::actions::{clip, when, xml};
use super::events;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::Path;
use crate::startup::AppState;

/// How long a wallet or a cache may keep an answer: its state changes at a check-in, a
/// refund or a burn, which a minute's delay does not hide for long.
const CACHE: &str = "public, max-age=60";

/// A ticket's metadata, as wallets read it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TicketMetadata {
    /// "<event name> #<serial>", as its mint's on-chain metadata names it.
    pub name: String,
    pub symbol: String,
    pub description: String,
    /// The organizer's image, or the one drawn here.
    pub image: String,
    /// The event's page in this API.
    pub external_url: String,
    /// Event, Date (the doors' opening), Venue (when set), Tier, Serial, State.
    pub attributes: Vec<Attribute>,
    pub properties: Properties,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Attribute {
    pub trait_type: &'static str,
    #[schema(value_type = Object)]
    pub value: serde_json::Value,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Properties {
    pub category: &'static str,
    pub files: Vec<File>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct File {
    pub uri: String,
    #[serde(rename = "type")]
    pub kind: String,
}

/// One row of `catalogue_tickets`.
#[derive(sqlx::FromRow)]
struct TicketRow {
    tier: i32,
    state: String,
    burned: bool,
    description: String,
    image_url: String,
    venue: String,
}

/// The ticket's state as its metadata says it.
fn state(row: &TicketRow) -> &'static str {
    match (row.burned, row.state.as_str()) {
        (true, _) => "burned",
        (false, "checked_in") => "checked in",
        (false, "refunded") => "refunded",
        _ => "valid",
    }
}

/// What the serial's ticket is, with the event as the catalogue shows it.
async fn ticket(
    app: &AppState,
    event: &AccountAddress,
    serial: u32,
) -> Result<(events::EventDetail, TicketRow), ApiError> {
    let detail = events::detail(app, event).await?;
    let mut tx = db::begin_public(&app.pool).await?;
    let row: Option<TicketRow> = sqlx::query_as(
        "SELECT tier, state, burned, description, image_url, venue FROM catalogue_tickets
         WHERE event = $1 AND serial = $2",
    )
    .bind(event.to_string())
    .bind(i64::from(serial))
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok((detail, row.ok_or(ApiError::NotFound)?))
}

fn cached(content_type: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, CACHE),
            // public data that any page may read
            (header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"),
        ],
        body,
    )
        .into_response()
}

/// A ticket's metadata JSON: what its mint's URI names.
///
/// No token needed. 404 when the mirror has no ticket of that serial.
#[utoipa::path(get, operation_id = "ticket_metadata", path = "/v1/metadata/{event}/{serial}", tag = "tickets", params(("event" = String, Path, description = "the event's address"), ("serial" = u32, Path, description = "the ticket's serial in its event")), security(()), responses((status = 200, body = TicketMetadata), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "metadata.json", skip_all, fields(%event, serial))]
pub async fn json(
    State(app): State<AppState>,
    Path((event, serial)): Path<(AccountAddress, u32)>,
) -> Result<Response, ApiError> {
    let (d, row) = ticket(&app, &event, serial).await?;
    let base = app.settings.sign_in.uri.trim_end_matches('/');
    let drawn = format!("{base}/v1/metadata/{event}/{serial}/image.svg");
    let (image, kind) = if row.image_url.is_empty() {
        (drawn, "image/svg+xml".to_string())
    } else {
        let kind = image_kind(&row.image_url);
        (row.image_url.clone(), kind.to_string())
    };
    let e = &d.event;
    let tier = d
        .tiers
        .iter()
        .find(|t| i32::from(t.index) == row.tier)
        .map_or_else(|| "General".to_string(), |t| t.name.clone());
    let description = if row.description.is_empty() {
        format!(
            "Ticket #{serial} to {} by {}. Doors {}.",
            e.name,
            e.organizer_shown(),
            when(e.check_in_start)
        )
    } else {
        row.description.clone()
    };
    let mut attributes = vec![
        attribute("Event", e.name.clone().into()),
        attribute("Date", rfc3339(e.check_in_start).into()),
    ];
    if !row.venue.is_empty() {
        attributes.push(attribute("Venue", row.venue.clone().into()));
    }
    attributes.extend([
        attribute("Tier", tier.into()),
        attribute("Serial", serial.into()),
        attribute("State", state(&row).into()),
    ]);
    let body = TicketMetadata {
        name: format!("{} #{serial}", e.name),
        symbol: bitticket::constants::TICKET_SYMBOL.to_string(),
        description,
        external_url: format!("{base}/v1/events/{event}"),
        properties: Properties {
            category: "image",
            files: vec![File {
                uri: image.clone(),
                kind,
            }],
        },
        image,
        attributes,
    };
    Ok(cached("application/json", axum::Json(body)))
}

fn attribute(trait_type: &'static str, value: serde_json::Value) -> Attribute {
    Attribute { trait_type, value }
}

/// A Unix time in RFC 3339 (UTC), or the number when it is out of range.
fn rfc3339(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| unix.to_string())
}

/// The media type of an image by its URL's extension (PNG when it says nothing).
fn image_kind(url: &str) -> &'static str {
    let path = url
        .split(['?', '#'])
        .next()
        .unwrap_or(url)
        .to_ascii_lowercase();
    match path.rsplit('.').next() {
        Some("svg") => "image/svg+xml",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("gif") => "image/gif",
        Some("webp") => "image/webp",
        _ => "image/png",
    }
}

/// A ticket's image: an SVG drawn from its event's name, serial, tier, doors' time and
/// state, every field escaped.
pub fn ticket_svg(name: &str, serial: u32, tier: &str, doors: i64, state: &str) -> String {
    let shade = match state {
        "valid" => "#0ea5e9",
        "checked in" => "#16a34a",
        _ => "#6b7280",
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="0 0 512 512"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#6d28d9"/><stop offset="1" stop-color="{shade}"/></linearGradient></defs><rect width="512" height="512" rx="48" fill="url(#g)"/><rect x="40" y="96" width="432" height="320" rx="24" fill="#ffffff" fill-opacity="0.92"/><circle cx="40" cy="256" r="28" fill="url(#g)"/><circle cx="472" cy="256" r="28" fill="url(#g)"/><text x="256" y="170" text-anchor="middle" font-family="sans-serif" font-size="34" font-weight="700" fill="#1e1b4b">{}</text><text x="256" y="240" text-anchor="middle" font-family="sans-serif" font-size="56" font-weight="700" fill="#312e81">#{serial}</text><text x="256" y="300" text-anchor="middle" font-family="sans-serif" font-size="26" fill="#312e81">{}</text><text x="256" y="350" text-anchor="middle" font-family="sans-serif" font-size="22" fill="#312e81">{}</text><text x="256" y="470" text-anchor="middle" font-family="sans-serif" font-size="26" font-weight="700" fill="#ffffff">BitTicket · {}</text></svg>"##,
        xml(&clip(name, 22)),
        xml(&clip(tier, 24)),
        xml(&when(doors)),
        xml(state),
    )
}

/// A ticket's image, drawn from its event's fields.
///
/// No token needed. 404 when the mirror has no ticket of that serial.
#[utoipa::path(get, operation_id = "ticket_image", path = "/v1/metadata/{event}/{serial}/image.svg", tag = "tickets", params(("event" = String, Path, description = "the event's address"), ("serial" = u32, Path)), security(()), responses((status = 200, content_type = "image/svg+xml", body = String), (status = 404, body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "metadata.image", skip_all, fields(%event, serial))]
pub async fn image(
    State(app): State<AppState>,
    Path((event, serial)): Path<(AccountAddress, u32)>,
) -> Result<Response, ApiError> {
    let (d, row) = ticket(&app, &event, serial).await?;
    let tier = d
        .tiers
        .iter()
        .find(|t| i32::from(t.index) == row.tier)
        .map_or("General", |t| t.name.as_str());
    let svg = ticket_svg(
        &d.event.name,
        serial,
        tier,
        d.event.check_in_start,
        state(&row),
    );
    Ok(cached("image/svg+xml", svg))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_fields_cannot_break_out_of_the_image() {
        let svg = ticket_svg("<script>x</script>", 7, "a\"b'&\u{7}", 0, "valid");
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("a&quot;b&apos;&amp;"));
        assert!(!svg.contains('\u{7}'));
    }

    #[test]
    fn image_types_follow_the_extension() {
        assert_eq!(image_kind("https://x.example/a.SVG?v=2"), "image/svg+xml");
        assert_eq!(image_kind("https://x.example/a.jpeg#top"), "image/jpeg");
        assert_eq!(image_kind("https://x.example/image"), "image/png");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    }
}
