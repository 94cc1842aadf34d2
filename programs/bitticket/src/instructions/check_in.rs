use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;

use crate::constants::SEED_TICKET;
use crate::errors::BitTicketError;
use crate::events::TicketCheckedIn;
use crate::state::{permission, Event, Organizer, Ticket, TicketState};

/// Entry at the door: a gatekeeper of the organizer and the ticket's holder both sign;
/// the holder's token account must hold the ticket's NFT.
#[derive(Accounts)]
pub struct CheckIn<'info> {
    pub gatekeeper: Signer<'info>,
    pub holder: Signer<'info>,
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(has_one = organizer)]
    pub event: Box<Account<'info, Event>>,
    /// The ticket's NFT mint, which names the ticket: what a wallet or a scanned code knows.
    /// CHECK: only its key is used, as the ticket's seed.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Account<'info, Ticket>,
    pub holder_token: Account<'info, TokenAccount>,
}

impl CheckIn<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        self.organizer
            .require_permission(&self.gatekeeper.key(), permission::GATEKEEPER)?;
        let event = &self.event;
        require!(!event.cancelled, BitTicketError::EventCancelled);
        require!(
            now >= event.config.check_in_start && now < event.config.check_in_end,
            BitTicketError::CheckInClosed
        );
        self.ticket.require_valid()?;
        self.ticket
            .require_held_by(&self.holder.key(), &self.holder_token)?;
        Ok(())
    }
}

pub fn handler(ctx: Context<CheckIn>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now)?;
    let ticket = &mut ctx.accounts.ticket;
    ticket.state = TicketState::CheckedIn;
    ticket.checked_in_at = now;
    ticket.invariant()?;
    emit!(TicketCheckedIn {
        event: ticket.event,
        ticket: ticket.key(),
        holder: ctx.accounts.holder.key(),
        gatekeeper: ctx.accounts.gatekeeper.key(),
        at: now,
    });
    Ok(())
}
