use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, SEED_SHARD};
use crate::errors::BitTicketError;
use crate::events::ShardOpened;
use crate::state::{permission, Event, Organizer, Shard, Tier};

/// An event manager opens a tier's next shard: event shard index `index`, which must be
/// `first_shard + shards_opened` of the tier. Refunds and sweeps treat it as any shard of
/// the event (same seeds, same index space).
#[derive(Accounts)]
#[instruction(index: u8)]
pub struct OpenTierShard<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(has_one = organizer)]
    pub event: Account<'info, Event>,
    #[account(mut, has_one = event)]
    pub tier: Account<'info, Tier>,
    #[account(
        init,
        payer = manager,
        space = Shard::SIZE,
        seeds = [SEED_SHARD, event.key().as_ref(), index.to_le_bytes().as_ref()],
        bump
    )]
    pub shard: Account<'info, Shard>,
    #[account(mut)]
    pub manager: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl OpenTierShard<'_> {
    fn validate(&self, index: u8) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        let tier = &self.tier;
        require!(
            tier.shards_opened < tier.shard_count
                && Some(index) == tier.first_shard.checked_add(tier.shards_opened),
            BitTicketError::InvalidShardIndex
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<OpenTierShard>, index: u8) -> Result<()> {
    ctx.accounts.validate(index)?;
    let event = &ctx.accounts.event;
    let tier = &mut ctx.accounts.tier;
    tier.shards_opened = tier
        .shards_opened
        .checked_add(1)
        .ok_or(BitTicketError::Overflow)?;
    tier.invariant(event.config.sale_start, event.config.sale_end)?;

    let shard = &mut ctx.accounts.shard;
    crate::rent::return_surplus(
        &shard.to_account_info(),
        &ctx.accounts.manager.to_account_info(),
        Shard::SIZE,
    )?;
    shard.version = ACCOUNT_VERSION;
    shard.event = event.key();
    shard.index = index;
    shard.bump = ctx.bumps.shard;
    shard.tier = tier.index;
    shard.sold = 0;
    shard.revenue = 0;
    shard.refunded = 0;
    shard.swept = 0;
    let lamports = shard.to_account_info().lamports();
    shard.reserve = lamports;
    shard.currency = tier.currency;
    shard.opened_by = ctx.accounts.manager.key();
    shard.invariant(lamports)?;
    shard.require_serials_within(&tier.sale())?;
    emit!(ShardOpened {
        event: event.key(),
        shard: shard.key(),
        index,
        tier: tier.index,
    });
    Ok(())
}
