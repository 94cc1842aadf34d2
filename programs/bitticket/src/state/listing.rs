use anchor_lang::prelude::*;

use crate::constants::ACCOUNT_VERSION;
use crate::errors::BitTicketError;
use crate::state::{Event, Ticket, TicketState};

/// A holder's offer of one ticket on the event's capped resale market. PDA:
/// ["listing", ticket]. The ticket stays frozen in its seller's account, with the event
/// PDA approved as its delegate so that a buyer's `buy_listing` can move it; nothing is
/// escrowed. The listing stands while its seller holds the ticket, the ticket is valid and
/// the event is not cancelled; otherwise it is void and anyone may close it (its rent goes
/// back to the seller).
#[account]
#[derive(InitSpace, Debug)]
pub struct Listing {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub mint: Pubkey,
    pub seller: Pubkey,
    /// Lamports the buyer pays, the royalty included.
    pub price: u64,
    pub listed_at: i64,
    pub bump: u8,
}

impl Listing {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// Whether it can still be bought: its seller holds the valid ticket of a live event.
    pub fn stands(&self, event: &Event, ticket: &Ticket) -> bool {
        !event.cancelled && ticket.state == TicketState::Valid && ticket.holder == self.seller
    }

    /// Its ticket is the event's and its price is within the event's cap for that ticket.
    pub fn invariant(&self, event: &Event, ticket: &Ticket) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        require!(
            ticket.event == self.event && ticket.mint == self.mint,
            BitTicketError::ListingVoid
        );
        require!(
            self.price <= event.resale.cap(ticket.price_paid)?,
            BitTicketError::AboveResaleCap
        );
        Ok(())
    }
}
