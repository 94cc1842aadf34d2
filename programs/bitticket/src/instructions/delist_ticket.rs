use anchor_lang::prelude::*;

use crate::constants::{SEED_LISTING, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketDelisted;
use crate::state::{Event, Listing, Ticket};

/// Takes a listing down, its rent going back to its seller: the seller at any time; anyone
/// once it is void (its ticket was moved, checked in or refunded, or the event cancelled),
/// so that a void listing never blocks the ticket's next one. The event PDA's approval on
/// the seller's token account stays: it moves nothing without a standing listing.
#[derive(Accounts)]
pub struct DelistTicket<'info> {
    pub closer: Signer<'info>,
    /// CHECK: the listing's seller (`has_one`), who gets its rent back.
    #[account(mut)]
    pub seller: UncheckedAccount<'info>,
    pub event: Box<Account<'info, Event>>,
    /// The ticket's NFT mint, which names the ticket.
    /// CHECK: only its key is used, as the ticket's seed.
    pub mint: UncheckedAccount<'info>,
    #[account(
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    #[account(
        mut,
        seeds = [SEED_LISTING, ticket.key().as_ref()],
        bump = listing.bump,
        has_one = seller,
        has_one = event,
        has_one = ticket,
        close = seller
    )]
    pub listing: Box<Account<'info, Listing>>,
}

pub fn handler(ctx: Context<DelistTicket>) -> Result<()> {
    let a = ctx.accounts;
    let void = !a.listing.stands(&a.event, &a.ticket);
    require!(
        void || a.closer.key() == a.seller.key(),
        BitTicketError::ListingStillValid
    );
    emit!(TicketDelisted {
        event: a.event.key(),
        ticket: a.ticket.key(),
        listing: a.listing.key(),
        seller: a.seller.key(),
        void,
    });
    Ok(())
}
