use anchor_lang::prelude::*;

use crate::constants::{SEED_SHARD, SEED_VAULT};
use crate::errors::BitTicketError;
use crate::events::ShardSwept;
use crate::state::{Event, Organizer, Shard};

/// Anyone may crank it: moves a shard's proceeds into its organizer's vault, and only
/// there. Only once nothing can be owed from the shard any more (`Event::require_sweepable`):
/// a held event after its sale and check-in; a cancelled one after its refund period,
/// when what is left (checked-in tickets, unclaimed refunds) goes to the vault.
#[derive(Accounts)]
#[instruction(index: u8)]
pub struct SweepShard<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(has_one = organizer)]
    pub event: Box<Account<'info, Event>>,
    #[account(
        mut,
        // the seeds name the event (no `has_one = event`, which would make the IDL derive
        // the event from the shard and the shard from the event)
        seeds = [SEED_SHARD, event.key().as_ref(), index.to_le_bytes().as_ref()],
        bump = shard.bump
    )]
    pub shard: Account<'info, Shard>,
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
}

impl SweepShard<'_> {
    fn validate(&self, now: i64) -> Result<u64> {
        self.event.require_sweepable(now)?;
        let amount = self.shard.held();
        require!(amount > 0, BitTicketError::NothingToSweep);
        Ok(amount)
    }
}

pub fn handler(ctx: Context<SweepShard>) -> Result<()> {
    let amount = ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let left = a.shard.pay_out(
        &a.shard.to_account_info(),
        &a.vault.to_account_info(),
        amount,
    )?;

    let shard = &mut a.shard;
    shard.swept = shard
        .swept
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    shard.invariant(left)?;
    emit!(ShardSwept {
        organizer: a.organizer.key(),
        event: a.event.key(),
        shard: shard.key(),
        vault: a.vault.key(),
        amount,
    });
    Ok(())
}
