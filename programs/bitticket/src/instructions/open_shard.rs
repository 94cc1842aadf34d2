use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, NO_TIER, SEED_SHARD};
use crate::errors::BitTicketError;
use crate::events::ShardOpened;
use crate::state::{permission, Event, Organizer, SaleShape, Shard};

#[derive(Accounts)]
#[instruction(index: u8)]
pub struct OpenShard<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
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

impl OpenShard<'_> {
    fn validate(&self, index: u8) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        require!(!self.event.cancelled, BitTicketError::EventCancelled);
        require!(
            index == self.event.shards_opened && index < self.event.shard_count,
            BitTicketError::InvalidShardIndex
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<OpenShard>, index: u8) -> Result<()> {
    ctx.accounts.validate(index)?;
    let event = &mut ctx.accounts.event;
    event.shards_opened = event
        .shards_opened
        .checked_add(1)
        .ok_or(BitTicketError::Overflow)?;
    event.invariant()?;

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
    shard.tier = NO_TIER;
    shard.sold = 0;
    shard.revenue = 0;
    shard.refunded = 0;
    shard.swept = 0;
    let lamports = shard.to_account_info().lamports();
    shard.reserve = lamports;
    shard.currency = crate::constants::SOL_CURRENCY;
    shard.opened_by = ctx.accounts.manager.key();
    shard.invariant(lamports)?;
    shard.require_serials_within(&SaleShape {
        tier: NO_TIER,
        first_shard: 0,
        shard_count: event.shard_count,
        serial_base: 0,
        supply: event.config.supply,
    })?;
    emit!(ShardOpened {
        event: event.key(),
        shard: shard.key(),
        index,
        tier: NO_TIER,
    });
    Ok(())
}
