//! The ticket a code names, as the mirror has it, and the mirror's refusals (the client
//! library's `gate::admit_mirrored`): the event cancelled, the ticket checked in or
//! refunded, or held by another wallet than the code's.
use bitticket::state::TicketState;
use bitticket_client::gate::{self, Refusal};
use bitticket_client::names::Named;

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
    /// Why the mirror refuses to admit the ticket for the code's `holder`, if it does. A
    /// state the mirror spells in no known way refuses nothing here: the chain decides.
    pub fn refusal(&self, holder: &str) -> Option<Refusal> {
        let state = TicketState::parse(&self.state).unwrap_or(TicketState::Valid);
        gate::admit_mirrored(state, self.cancelled, self.holder == holder).err()
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
