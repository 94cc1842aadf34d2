use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::{SEED_SHARD, SEED_TICKET};
use crate::currency;
use crate::errors::BitTicketError;
use crate::events::TicketRefunded;
use crate::state::{Event, Shard, Ticket, TicketState};

/// After a cancellation the holder takes back what was paid, from the shard that sold
/// the ticket, within the refund period.
#[derive(Accounts)]
pub struct ClaimRefund<'info> {
    #[account(mut)]
    pub holder: Signer<'info>,
    pub event: Box<Account<'info, Event>>,
    /// The shard that sold the ticket: a client derives it from the shard index it reads
    /// on the ticket. The seeds name the event (no `has_one = event`: a client resolves the
    /// event from the ticket, and @anchor-lang/core reads only an account's first relation).
    #[account(
        mut,
        seeds = [SEED_SHARD, event.key().as_ref(), ticket.shard_index.to_le_bytes().as_ref()],
        bump = shard.bump
    )]
    pub shard: Account<'info, Shard>,
    /// The ticket's NFT mint, which names the ticket.
    /// CHECK: only its key is used, as the ticket's seed.
    pub mint: UncheckedAccount<'info>,
    #[account(
        mut,
        seeds = [SEED_TICKET, mint.key().as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Account<'info, Ticket>,
    pub holder_token: InterfaceAccount<'info, TokenAccount>,
    /// For a ticket priced in an SPL mint: the mint, the shard's till it is paid from, the
    /// token account (in that mint) the holder is paid into and the mint's token program.
    /// CHECK: `currency::tokens`.
    pub currency_mint: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::pay_from_shard`.
    #[account(mut)]
    pub till: Option<UncheckedAccount<'info>>,
    /// CHECK: any account in the currency the holder names (`TransferChecked` checks it).
    #[account(mut)]
    pub holder_currency: Option<UncheckedAccount<'info>>,
    pub currency_program: Option<Interface<'info, TokenInterface>>,
}

impl ClaimRefund<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        require!(self.event.cancelled, BitTicketError::EventNotCancelled);
        require!(
            now < self.event.refund_deadline(),
            BitTicketError::RefundPeriodOver
        );
        self.ticket.require_valid()?;
        self.ticket
            .require_held_by(&self.holder.key(), &self.holder_token)?;
        Ok(())
    }
}

pub fn handler(ctx: Context<ClaimRefund>) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let amount = a.ticket.price_paid;
    let tokens = currency::tokens(
        &a.shard.currency,
        a.currency_mint.as_deref(),
        a.currency_program.as_ref(),
        &[a.till.is_some(), a.holder_currency.is_some()],
    )?;
    let remaining = match (&tokens, &a.till, &a.holder_currency) {
        (Some(tokens), Some(till), Some(to)) => {
            tokens.pay_from_shard(&a.shard, till, to, amount)?;
            a.shard.to_account_info().lamports()
        }
        _ => a.shard.pay_out(
            &a.shard.to_account_info(),
            &a.holder.to_account_info(),
            amount,
        )?,
    };

    let shard = &mut a.shard;
    shard.refunded = shard
        .refunded
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    shard.invariant(remaining)?;

    let ticket = &mut a.ticket;
    ticket.state = TicketState::Refunded;
    ticket.invariant()?;
    emit!(TicketRefunded {
        event: a.event.key(),
        ticket: ticket.key(),
        shard: shard.key(),
        holder: a.holder.key(),
        amount,
    });
    Ok(())
}
