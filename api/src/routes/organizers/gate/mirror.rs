//! The ticket a code names, as the mirror has it, and the mirror's refusals: the event
//! cancelled, the ticket checked in or refunded, or held by another wallet than the code's.
use super::AppState;
use crate::db;
use crate::domain::AccountAddress;
use crate::error::ApiError;
use crate::rbac::Caller;

#[derive(sqlx::FromRow)]
pub(super) struct MirroredTicket {
    pub organizer: String,
    pub event: String,
    pub holder: String,
    pub state: String,
    /// The event's, false when the mirror has no event row.
    pub cancelled: bool,
    pub mint: String,
}

/// The ticket `$1` with its event's cancellation (visible only in its organizer's scope).
const MIRRORED_TICKET: &str =
    "SELECT t.organizer, t.event, t.holder, t.state, coalesce(e.cancelled, false) AS cancelled, t.mint
     FROM tickets t LEFT JOIN events e ON e.pubkey = t.event WHERE t.pubkey = $1";

/// The ticket in the caller's scope, if it sees it.
pub(super) async fn ticket(
    app: &AppState,
    caller: &Caller,
    ticket: &str,
) -> Result<Option<MirroredTicket>, ApiError> {
    let mut tx = db::begin(&app.pool, caller.scope()).await?;
    let row: Option<MirroredTicket> = sqlx::query_as(MIRRORED_TICKET)
        .bind(ticket)
        .fetch_optional(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(row)
}

impl MirroredTicket {
    /// Why the mirror refuses to admit the ticket for the code's `holder`, if it does.
    pub fn refusal(&self, holder: &str) -> Option<&'static str> {
        if self.cancelled {
            Some("event_cancelled")
        } else if self.state == "checked_in" {
            Some("checked_in")
        } else if self.state == "refunded" {
            Some("refunded")
        } else if self.holder != holder {
            Some("holder_changed")
        } else {
            None
        }
    }

    pub fn mint(&self) -> Result<AccountAddress, ApiError> {
        self.mint
            .parse()
            .map_err(|_| ApiError::internal("stored mint"))
    }

    pub fn event(&self) -> Result<AccountAddress, ApiError> {
        self.event
            .parse()
            .map_err(|_| ApiError::internal("stored event"))
    }
}
