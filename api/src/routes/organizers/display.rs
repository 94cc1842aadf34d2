//! How an event's tickets show in wallets, set by the organizer's event managers: a
//! description, an image URL and a venue, which every ticket's metadata JSON carries
//! (`GET /v1/metadata/{event}/{serial}`). The chain keeps the name, the serial and the URI;
//! this is the API's own state.
use axum::extract::State;
use axum::{Extension, Json};
use serde::{Deserialize, Serialize};

use super::{require_own_event, tenant};
use crate::db;
use crate::domain::AccountAddress;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{Json as Body, Path};
use crate::rbac::Caller;
use crate::startup::AppState;

const MAX_DESCRIPTION: usize = 1_000;
const MAX_IMAGE_URL: usize = 500;
const MAX_VENUE: usize = 100;

#[derive(Debug, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventDisplay {
    /// Up to 1,000 characters; line breaks allowed, no other control characters. Empty:
    /// the metadata says what the ticket is for.
    #[serde(default)]
    pub description: String,
    /// An https URL of up to 500 characters. Empty: the API draws the image.
    #[serde(default)]
    pub image_url: String,
    /// Up to 100 characters, no control characters; the Venue attribute when set.
    #[serde(default)]
    pub venue: String,
}

impl EventDisplay {
    /// Each field within its bounds, the URL an https URL: a wallet renders them all.
    fn validate(&self) -> Result<(), ApiError> {
        let bad = |field: &str, why: &str| ApiError::BadRequest(format!("field `{field}`: {why}"));
        if self.description.chars().count() > MAX_DESCRIPTION {
            return Err(bad("description", "at most 1000 characters"));
        }
        if self
            .description
            .chars()
            .any(|c| c.is_control() && c != '\n')
        {
            return Err(bad("description", "no control characters but line breaks"));
        }
        if self.venue.chars().count() > MAX_VENUE || self.venue.chars().any(char::is_control) {
            return Err(bad(
                "venue",
                "at most 100 characters, no control characters",
            ));
        }
        if !self.image_url.is_empty() {
            let ok = self.image_url.len() <= MAX_IMAGE_URL
                && self.image_url.strip_prefix("https://").is_some_and(|rest| {
                    !rest.is_empty()
                        && !rest.starts_with('/')
                        && rest
                            .chars()
                            .all(|c| c.is_ascii_graphic() && !matches!(c, '"' | '<' | '>' | '\\'))
                });
            if !ok {
                return Err(bad(
                    "image_url",
                    "an https URL of at most 500 characters, without spaces or quotes",
                ));
            }
        }
        Ok(())
    }
}

/// Sets how the event's tickets show in wallets.
///
/// For the organizer's admins and event managers. Replaces what was set; each ticket's
/// metadata follows at once (wallets refresh it within the minute it is cached).
#[utoipa::path(put, path = "/v1/organizers/{organizer}/events/{event}/display", tag = "organizers", params(("organizer" = String, Path, description = "the organizer (tenant) address"), ("event" = String, Path)), request_body = EventDisplay, security(("bearer" = [])), responses((status = 200, body = EventDisplay), (status = 404, description = "no such event of this organizer", body = ErrorBody), (status = 400, description = "invalid input", body = ErrorBody), (status = 401, description = "no valid token", body = ErrorBody), (status = 403, description = "not allowed", body = ErrorBody), (status = 429, description = "rate limited (Retry-After)", body = ErrorBody)))]
#[tracing::instrument(name = "organizers.display", skip_all, fields(%organizer, %event))]
pub async fn put_display(
    State(app): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((organizer, event)): Path<(AccountAddress, AccountAddress)>,
    Body(req): Body<EventDisplay>,
) -> Result<Json<EventDisplay>, ApiError> {
    req.validate()?;
    let org = tenant(&caller)?;
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    require_own_event(&mut tx, &event, &org).await?;
    sqlx::query(
        "INSERT INTO event_display (event, organizer, description, image_url, venue, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (event) DO UPDATE SET description = excluded.description,
           image_url = excluded.image_url, venue = excluded.venue,
           updated_by = excluded.updated_by, updated_at = now()",
    )
    .bind(event.to_string())
    .bind(&org)
    .bind(&req.description)
    .bind(&req.image_url)
    .bind(&req.venue)
    .bind(caller.identity.actor())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    crate::audit::Entry::new(&caller.identity.actor(), "event_display_set", "ok")
        .tenant(Some(&org))
        .target(Some(&event.to_string()))
        .source(caller.source.as_deref())
        .record(&app.pool)
        .await;
    Ok(Json(req))
}
