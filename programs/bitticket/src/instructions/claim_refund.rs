use anchor_lang::prelude::*;
use anchor_spl::token::TokenAccount;

use crate::constants::{SEED_SHARD, SEED_TICKET};
use crate::errors::BitTicketError;
use crate::events::TicketRefunded;
use crate::state::{Event, Shard, Ticket, TicketState};

/// After a cancellation the holder takes back what was paid, from the shard that sold
/// the ticket.
#[derive(Accounts)]
pub struct ClaimRefund<'info> {
    #[account(mut)]
    pub holder: Signer<'info>,
    pub event: Box<Account<'info, Event>>,
    #[account(
        mut,
        seeds = [SEED_SHARD, event.key().as_ref(), &[ticket.shard_index]],
        bump = shard.bump,
        has_one = event
    )]
    pub shard: Account<'info, Shard>,
    #[account(
        mut,
        seeds = [SEED_TICKET, ticket.mint.as_ref()],
        bump = ticket.bump,
        has_one = event
    )]
    pub ticket: Account<'info, Ticket>,
    pub holder_token: Account<'info, TokenAccount>,
}

impl ClaimRefund<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.event.cancelled, BitTicketError::EventNotCancelled);
        match self.ticket.state {
            TicketState::Valid => {}
            TicketState::CheckedIn => return err!(BitTicketError::AlreadyCheckedIn),
            TicketState::Refunded => return err!(BitTicketError::TicketRefunded),
        }
        let token = &self.holder_token;
        require!(
            self.ticket.holder == self.holder.key()
                && token.mint == self.ticket.mint
                && token.owner == self.holder.key()
                && token.amount == 1,
            BitTicketError::NotTicketHolder
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<ClaimRefund>) -> Result<()> {
    ctx.accounts.validate()?;
    let a = ctx.accounts;
    let amount = a.ticket.price_paid;
    let rent_floor = Rent::get()?.minimum_balance(Shard::SIZE);
    let shard_info = a.shard.to_account_info();
    let remaining = shard_info
        .lamports()
        .checked_sub(amount)
        .filter(|left| *left >= rent_floor)
        .ok_or(BitTicketError::InsufficientShardFunds)?;
    **shard_info.try_borrow_mut_lamports()? = remaining;
    let holder_info = a.holder.to_account_info();
    let credited = holder_info
        .lamports()
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    **holder_info.try_borrow_mut_lamports()? = credited;

    let shard = &mut a.shard;
    shard.refunded = shard
        .refunded
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    shard.invariant(
        remaining,
        rent_floor,
        a.event.config.supply,
        a.event.shard_count,
    )?;

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
