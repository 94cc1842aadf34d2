use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::{SEED_SHARD, SEED_VAULT};
use crate::currency;
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
    /// For a shard priced in an SPL mint: the mint, its till, a token account of the vault
    /// in that mint and the mint's token program.
    /// CHECK: `currency::tokens`.
    pub currency_mint: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::pay_from_shard`.
    #[account(mut)]
    pub till: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::require_account_of` (the vault's, in the currency).
    #[account(mut)]
    pub vault_currency: Option<UncheckedAccount<'info>>,
    pub currency_program: Option<Interface<'info, TokenInterface>>,
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
    let tokens = currency::tokens(
        &a.shard.currency,
        a.currency_mint.as_deref(),
        a.currency_program.as_ref(),
        &[a.till.is_some(), a.vault_currency.is_some()],
    )?;
    let left = match (&tokens, &a.till, &a.vault_currency) {
        (Some(tokens), Some(till), Some(to)) => {
            tokens.require_account_of(to, &a.vault.key())?;
            tokens.pay_from_shard(&a.shard, till, to, amount)?;
            a.shard.to_account_info().lamports()
        }
        _ => a.shard.pay_out(
            &a.shard.to_account_info(),
            &a.vault.to_account_info(),
            amount,
        )?,
    };

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
