use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::Token2022;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::SEED_TICKET;
use crate::errors::BitTicketError;
use crate::events::TicketTransferred;
use crate::frozen::{Frozen, MovedBy};
use crate::state::{Event, Ticket, TicketState};

/// Resale or gift: the only way a ticket moves. Thaw, transfer, freeze again.
/// A transfer to oneself is refused by Anchor's duplicate-mutable-account check
/// (`from_token` and `to_token` would be the same account).
#[derive(Accounts)]
pub struct TransferTicket<'info> {
    #[account(mut)]
    pub holder: Signer<'info>,
    /// Any wallet may receive a ticket; it is only the authority of `to_token`.
    /// CHECK: the checks are the ones described above.
    pub recipient: UncheckedAccount<'info>,
    pub event: Box<Account<'info, Event>>,
    // the seeds name the mint (no `has_one = mint`, which would make the IDL derive the
    // mint from the ticket and the ticket from the mint); `Ticket::mint` is the mint of
    // the address it was created at, so the seeds check both
    #[account(
        mut,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Box<Account<'info, Ticket>>,
    /// The ticket's mint, named by the ticket's seeds: only its address is read here, and
    /// Token-2022 checks it against the token accounts (decoding it, with its metadata,
    /// would cost about a thousand CU for nothing).
    /// CHECK: the checks are the ones described above.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        associated_token::mint = mint,
        associated_token::authority = holder,
        associated_token::token_program = token_program
    )]
    pub from_token: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(
        init_if_needed,
        payer = holder,
        associated_token::mint = mint,
        associated_token::authority = recipient,
        associated_token::token_program = token_program
    )]
    pub to_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub token_program: Program<'info, Token2022>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl TransferTicket<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        require!(
            !self.event.resale.transfers_locked,
            BitTicketError::TransfersLocked
        );
        require!(
            now >= self.event.config.resale_unlock,
            BitTicketError::ResaleLocked
        );
        require!(
            self.ticket.holder == self.holder.key() && self.from_token.amount == 1,
            BitTicketError::NotTicketHolder
        );
        require!(
            self.ticket.state == TicketState::Valid,
            BitTicketError::TicketNotValid
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<TransferTicket>) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let event = &a.event;
    event.with_signer(|signer| {
        Frozen {
            program: a.token_program.key(),
            mint: a.mint.to_account_info(),
            event: event.to_account_info(),
            signer,
        }
        .move_ticket(
            a.from_token.to_account_info(),
            a.to_token.to_account_info(),
            MovedBy::Holder(a.holder.to_account_info()),
        )
    })?;

    let ticket = &mut a.ticket;
    ticket.holder = a.recipient.key();
    ticket.invariant()?;
    emit!(TicketTransferred {
        event: event.key(),
        ticket: ticket.key(),
        mint: ticket.mint,
        from: a.holder.key(),
        to: ticket.holder,
    });
    Ok(())
}
