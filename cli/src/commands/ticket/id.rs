//! One ticket id everywhere: a command that takes a ticket takes either its mint (what a
//! purchase prints, what a wallet shows) or its ticket account (what the API and the door
//! name), and says both.
use bitticket::state::Ticket;
use bitticket_client as client;
use solana_address::Address;

use crate::ctx::Ctx;
use crate::error::CliError;

/// What a command's TICKET argument says of it.
pub const HELP: &str = "The ticket: its mint or its ticket account (either)";

/// A ticket found from either of its addresses.
#[derive(Debug)]
pub struct Found {
    /// The ticket account, `["ticket", mint]`.
    pub ticket: Address,
    pub mint: Address,
    pub state: Ticket,
}

/// The ticket `id` names: the ticket account itself when `id` is one (owned by the
/// program, a `Ticket`), else the ticket of the mint `id`. Both are read in one request.
pub async fn find(ctx: &Ctx, id: &Address) -> Result<Found, CliError> {
    let derived = client::ticket_pda(id);
    let found = ctx.accounts::<Ticket>(&[*id, derived]).await?;
    let mut found = found.into_iter();
    match (found.next().flatten(), found.next().flatten()) {
        (Some(t), _) => Ok(Found {
            ticket: *id,
            mint: t.mint,
            state: t,
        }),
        (None, Some(t)) => Ok(Found {
            ticket: derived,
            mint: *id,
            state: t,
        }),
        (None, None) => Err(CliError::NotFound {
            kind: "ticket (as a mint or a ticket account)",
            address: id.to_string(),
        }),
    }
}
