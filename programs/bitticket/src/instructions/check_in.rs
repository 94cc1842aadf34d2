use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::{PASS_MAX_VALIDITY, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketCheckedIn;
use crate::pass;
use crate::state::{permission, Event, Organizer, Ticket, TicketState};

/// Entry at the door: only a gatekeeper of the organizer signs. The holder's consent is
/// its pass, an Ed25519 signature over the ticket's mint and an expiry, verified by the
/// precompile in the instruction right before this one (`crate::pass`); the holder's token
/// account must hold the ticket's NFT.
#[derive(Accounts)]
pub struct CheckIn<'info> {
    pub gatekeeper: Signer<'info>,
    /// The ticket's holder: the pass's signer, not this transaction's.
    /// CHECK: the pass must be signed by this key and `holder_token` owned by it.
    pub holder: UncheckedAccount<'info>,
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(has_one = organizer)]
    pub event: Box<Account<'info, Event>>,
    /// The ticket's NFT mint, which names the ticket: what a wallet or a scanned code knows.
    /// CHECK: only its key is used, as the ticket's seed and in the pass.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Account<'info, Ticket>,
    pub holder_token: InterfaceAccount<'info, TokenAccount>,
    /// CHECK: the instructions sysvar, by its address.
    #[account(address = solana_sdk_ids::sysvar::instructions::ID)]
    pub instructions: UncheckedAccount<'info>,
}

impl CheckIn<'_> {
    fn validate(&self, now: i64, expires_at: i64) -> Result<()> {
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
        pass::require_fresh(expires_at, now, PASS_MAX_VALIDITY)?;
        pass::require_signed(
            &self.instructions,
            &self.holder.key(),
            &self.mint.key(),
            expires_at,
        )
    }
}

pub fn handler(ctx: Context<CheckIn>, expires_at: i64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now, expires_at)?;
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
