use anchor_lang::prelude::*;

use crate::constants::SEED_VAULT;
use crate::errors::BitTicketError;
use crate::events::SpendingLimitUsed;
use crate::state::{Organizer, SpendingLimit};
use crate::vault::VaultSigner;

/// A member of a SOL spending limit moves SOL out of the vault without a proposal, within
/// what the limit and the organizer's outflow cap leave in the current period. Periods roll
/// over by the Clock sysvar only. The right to spend is the limit alone (granted and ended
/// by the multisig), not membership of the organizer, which an admin controls.
/// `spend_token` does the same for tokens.
#[derive(Accounts)]
pub struct Spend<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    pub member: Signer<'info>,
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    /// Only receives lamports; checked against the limit's destinations.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

/// The limit `limit_id` exists, is of `mint` (`Pubkey::default()` for SOL), names
/// `member`, and allows `destination`.
pub fn validate_spend(
    organizer: &Organizer,
    limit_id: u8,
    member: &Pubkey,
    mint: Pubkey,
    destination: &Pubkey,
    amount: u64,
) -> Result<()> {
    require!(amount > 0, BitTicketError::InvalidAmount);
    let limit: &SpendingLimit = organizer
        .spending_limit(limit_id)
        .ok_or(BitTicketError::SpendingLimitNotFound)?;
    require!(
        limit.config.members.contains(member),
        BitTicketError::NotLimitMember
    );
    require!(
        limit.config.mint == mint,
        BitTicketError::VaultTokenMismatch
    );
    require!(
        limit.config.destinations.is_empty() || limit.config.destinations.contains(destination),
        BitTicketError::DestinationNotAllowed
    );
    Ok(())
}

pub fn handler(ctx: Context<Spend>, limit_id: u8, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let destination = a.destination.key();
    validate_spend(
        &a.organizer,
        limit_id,
        &a.member.key(),
        Pubkey::default(),
        &destination,
        amount,
    )?;
    let (remaining, cap_used) = a.organizer.record_spend(limit_id, amount, now)?;
    a.organizer.invariant()?;
    let signer = VaultSigner::of(&a.organizer);
    signer.transfer_sol(
        &a.vault.to_account_info(),
        &a.destination.to_account_info(),
        &a.system_program,
        amount,
    )?;
    emit!(SpendingLimitUsed {
        organizer: a.organizer.key(),
        limit_id,
        member: a.member.key(),
        mint: Pubkey::default(),
        destination,
        amount,
        remaining,
        cap_used,
    });
    Ok(())
}
