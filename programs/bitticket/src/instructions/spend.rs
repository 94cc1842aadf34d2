use anchor_lang::prelude::*;

use crate::constants::SEED_VAULT;
use crate::errors::BitTicketError;
use crate::events::SpendingLimitUsed;
use crate::state::Organizer;
use crate::vault::*;

/// A member of a spending limit moves funds out of the vault without a proposal, within
/// what the limit and the organizer's outflow cap leave in the current period. Periods roll
/// over by the Clock sysvar only. The right to spend is the limit alone (granted and ended
/// by the multisig), not membership of the organizer, which an admin controls.
#[derive(Accounts)]
pub struct Spend<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    pub member: Signer<'info>,
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    pub outflow: VaultOutflow<'info>,
}

impl Spend<'_> {
    /// The limit exists and names the signer, and the destination is one it allows.
    /// Returns the asset to move and the destination; `Organizer::record_spend` then
    /// checks the amount against what the limit and the cap leave in their windows.
    fn validate(&self, limit_id: u8, amount: u64) -> Result<(Asset, Pubkey)> {
        require!(amount > 0, BitTicketError::InvalidAmount);
        let limit = self
            .organizer
            .spending_limit(limit_id)
            .ok_or(BitTicketError::SpendingLimitNotFound)?;
        require!(
            limit.config.members.contains(&self.member.key()),
            BitTicketError::NotLimitMember
        );
        let asset = Asset::from_mint(limit.config.mint);
        let destination = self.outflow.destination_key(asset)?;
        require!(
            limit.config.destinations.is_empty()
                || limit.config.destinations.contains(&destination),
            BitTicketError::DestinationNotAllowed
        );
        Ok((asset, destination))
    }
}

pub fn handler(ctx: Context<Spend>, limit_id: u8, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let (asset, destination) = ctx.accounts.validate(limit_id, amount)?;
    let a = ctx.accounts;
    let (remaining, cap_used) = a.organizer.record_spend(limit_id, amount, now)?;
    a.organizer.invariant()?;

    let signer = VaultSigner {
        organizer: a.organizer.key(),
        bump: a.organizer.vault_bump,
    };
    a.outflow
        .pay(&signer, &a.vault.to_account_info(), asset, amount)?;
    emit!(SpendingLimitUsed {
        organizer: a.organizer.key(),
        limit_id,
        member: a.member.key(),
        mint: asset.mint(),
        destination,
        amount,
        remaining,
        cap_used,
    });
    Ok(())
}
