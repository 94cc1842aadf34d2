use anchor_lang::prelude::*;

use crate::constants::SEED_VAULT;
use crate::errors::BitTicketError;
use crate::events::SpendingLimitUsed;
use crate::state::Organizer;
use crate::vault::*;

/// A member of a spending limit moves funds out of the vault without a proposal, within
/// what the limit and the organizer's outflow cap leave in the current period. Periods roll
/// over by the Clock sysvar only.
#[derive(Accounts)]
pub struct Spend<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    pub member: Signer<'info>,
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    pub outflow: VaultOutflow<'info>,
}

pub fn handler(ctx: Context<Spend>, limit_id: u8, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    require!(amount > 0, BitTicketError::InvalidAmount);
    let a = ctx.accounts;
    let member = a.member.key();
    let org = &mut a.organizer;
    require!(
        org.permissions_of(&member).is_some(),
        BitTicketError::NotAMember
    );
    let limit = org
        .spending_limits
        .iter_mut()
        .find(|l| l.config.id == limit_id)
        .ok_or(BitTicketError::SpendingLimitNotFound)?;
    require!(
        limit.config.members.contains(&member),
        BitTicketError::NotLimitMember
    );
    let asset = Asset::from_mint(limit.config.mint);
    let destination = a.outflow.destination_key(asset)?;
    require!(
        limit.config.destinations.is_empty() || limit.config.destinations.contains(&destination),
        BitTicketError::DestinationNotAllowed
    );

    // roll the limit's window forward by the clock
    let window = limit.config.period.window_start(limit.window_start, now);
    if window != limit.window_start {
        limit.window_start = window;
        limit.remaining = limit.config.amount;
    }
    require!(
        amount <= limit.remaining,
        BitTicketError::SpendingLimitExceeded
    );
    limit.remaining -= amount;
    let (mint, remaining) = (limit.config.mint, limit.remaining);

    let cap = org
        .outflow_caps
        .iter_mut()
        .find(|c| c.mint == mint)
        .ok_or(BitTicketError::NoOutflowCap)?;
    let window = cap.period.window_start(cap.window_start, now);
    if window != cap.window_start {
        cap.window_start = window;
        cap.used = 0;
    }
    let used = cap
        .used
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    require!(used <= cap.amount, BitTicketError::OutflowCapExceeded);
    cap.used = used;
    org.invariant()?;

    let signer = VaultSigner {
        organizer: org.key(),
        bump: org.vault_bump,
    };
    a.outflow
        .pay(&signer, &a.vault.to_account_info(), asset, amount)?;
    emit!(SpendingLimitUsed {
        organizer: a.organizer.key(),
        limit_id,
        member,
        mint,
        destination,
        amount,
        remaining,
        cap_used: used,
    });
    Ok(())
}
