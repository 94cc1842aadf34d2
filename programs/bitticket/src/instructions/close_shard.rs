use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenInterface;

use crate::constants::{SEED_SHARD, SEED_VAULT};
use crate::currency;
use crate::errors::BitTicketError;
use crate::events::ShardClosed;
use crate::state::{Event, Organizer, Shard};

/// Anyone may crank it, as `close_proposal`: once nothing can be owed from a shard any
/// more (`Event::require_sweepable`, the sweep's rule) and it holds no proceeds (swept, or
/// refunded), it is closed and its rent goes back to the event manager who opened it. A
/// shard priced in a mint closes its till too (its rent to the same opener, who opens it
/// with the shard); tokens found there beyond the shard's books (sent to it by anyone) go
/// to the organizer's vault first, so that nobody can keep a till open with one token.
/// A closed shard never comes back: shards open only at the sale's next index.
#[derive(Accounts)]
#[instruction(index: u8)]
pub struct CloseShard<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(has_one = organizer)]
    pub event: Box<Account<'info, Event>>,
    #[account(
        mut,
        seeds = [SEED_SHARD, event.key().as_ref(), index.to_le_bytes().as_ref()],
        bump = shard.bump,
        has_one = opened_by @ BitTicketError::RentCollectorMismatch,
        close = opened_by
    )]
    pub shard: Account<'info, Shard>,
    /// Receives the rent; must be the shard's opener.
    /// CHECK: only receives lamports; `has_one` above checks its key.
    #[account(mut)]
    pub opened_by: UncheckedAccount<'info>,
    /// The organizer's vault: only named, as the owner of `vault_currency`.
    #[account(seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    /// For a shard priced in an SPL mint: the mint, its till, the vault's token account in
    /// that mint and the mint's token program.
    /// CHECK: `currency::tokens`.
    pub currency_mint: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::require_account_of` (the shard's), then closed by its token program.
    #[account(mut)]
    pub till: Option<UncheckedAccount<'info>>,
    /// CHECK: `Tokens::require_account_of` (the vault's, in the currency).
    #[account(mut)]
    pub vault_currency: Option<UncheckedAccount<'info>>,
    pub currency_program: Option<Interface<'info, TokenInterface>>,
}

impl CloseShard<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        self.event.require_sweepable(now)?;
        self.shard.require_emptied()
    }
}

pub fn handler(ctx: Context<CloseShard>, index: u8) -> Result<()> {
    ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
    let a = ctx.accounts;
    let tokens = currency::tokens(
        &a.shard.currency,
        a.currency_mint.as_deref(),
        a.currency_program.as_ref(),
        &[a.till.is_some(), a.vault_currency.is_some()],
    )?;
    let mut rent = a.shard.to_account_info().lamports();
    let mut tokens_to_vault = 0;
    if let (Some(tokens), Some(till), Some(to)) = (&tokens, &a.till, &a.vault_currency) {
        tokens.require_account_of(to, &a.vault.key())?;
        tokens_to_vault = tokens.require_account_of(till, &a.shard.key())?;
        tokens.pay_from_shard(&a.shard, till, to, tokens_to_vault)?;
        rent = rent
            .checked_add(till.lamports())
            .ok_or(BitTicketError::Overflow)?;
        tokens.close_till(&a.shard, till, &a.opened_by)?;
    }
    emit!(ShardClosed {
        organizer: a.organizer.key(),
        event: a.event.key(),
        shard: a.shard.key(),
        index,
        rent_to: a.opened_by.key(),
        rent,
        tokens_to_vault,
    });
    Ok(())
}
