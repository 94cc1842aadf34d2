//! An organizer's own data, for its staff (the route table names the roles). Every query
//! runs in the tenant scope the authorisation set, and names the organizer as well: row
//! level security is the second lock, not the only one.
//!
//! One file per resource: `members`, `tickets` (an event's), `check_ins`, `vault`,
//! `proposals`, `alerts`, `allow_lists` (a tier phase's, with each wallet's proof),
//! `display` (how an event's tickets show in wallets) and `gate` (a scanned QR code's
//! admission).
mod alerts;
pub mod allow_lists;
mod check_ins;
mod display;
mod gate;
mod members;
mod proposals;
mod tickets;
mod vault;

use serde::Deserialize;

use crate::error::ApiError;
use crate::rbac::Caller;

// each handler beside its OpenAPI operation (`__path_*`), which the route table names
pub use alerts::{__path_alerts, alerts, AlertView};
pub use allow_lists::{__path_proof, __path_put_allow_list, proof, put_allow_list};
pub use check_ins::{__path_check_ins, check_ins, CheckInView, HistoryQuery};
pub use display::{__path_put_display, put_display, EventDisplay};
pub use gate::{__path_gate_verify, gate_verify, GateDecision, GateRequest};
pub use members::{__path_members, members, MemberView};
pub use proposals::{__path_proposals, proposals, ProposalView};
pub use tickets::{__path_event_tickets, event_tickets};
pub use vault::{__path_vault, vault, SpendingLimitView, VaultView};

/// The organizer the authorisation admitted the caller for (the path's, checked).
fn tenant(caller: &Caller) -> Result<String, ApiError> {
    caller
        .tenant
        .map(|t| t.to_string())
        .ok_or_else(|| ApiError::internal("staff route without a tenant"))
}

/// The event is `organizer`'s (in the mirror): another's, or none, is a 404.
async fn require_own_event(
    tx: &mut sqlx::PgConnection,
    event: &crate::domain::AccountAddress,
    organizer: &str,
) -> Result<(), ApiError> {
    let owned: Option<String> =
        sqlx::query_scalar("SELECT organizer FROM events WHERE pubkey = $1")
            .bind(event.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    if owned.as_deref() != Some(organizer) {
        return Err(ApiError::NotFound);
    }
    Ok(())
}

/// Pages of rows numbered by the chain (proposals) or the mirror (alerts).
#[derive(Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct IndexQuery {
    pub limit: Option<u32>,
    /// The last index of the previous page.
    pub cursor: Option<u64>,
}
