use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, MAX_SHARDS, SEED_EVENT};
use crate::errors::BitTicketError;
use crate::events::EventConfigured;
use crate::state::{permission, Event, EventConfig, Organizer};

#[derive(Accounts)]
pub struct CreateEvent<'info> {
    #[account(mut)]
    pub organizer: Account<'info, Organizer>,
    #[account(
        init,
        payer = manager,
        space = Event::SIZE,
        seeds = [SEED_EVENT, organizer.key().as_ref(), &organizer.next_event_id.to_le_bytes()],
        bump
    )]
    pub event: Account<'info, Event>,
    #[account(mut)]
    pub manager: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl CreateEvent<'_> {
    fn validate(&self, config: &EventConfig, shard_count: u8) -> Result<()> {
        self.organizer
            .require_permission(&self.manager.key(), permission::EVENT_MANAGER)?;
        config.validate()?;
        require!(
            (1..=MAX_SHARDS).contains(&shard_count),
            BitTicketError::InvalidShardCount
        );
        require!(
            config.supply >= u32::from(shard_count),
            BitTicketError::InvalidSupply
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<CreateEvent>, config: EventConfig, shard_count: u8) -> Result<()> {
    ctx.accounts.validate(&config, shard_count)?;
    let organizer = &mut ctx.accounts.organizer;
    let event_id = organizer.next_event_id;
    organizer.next_event_id = event_id.checked_add(1).ok_or(BitTicketError::Overflow)?;
    organizer.invariant()?;

    let approved = !organizer.needs_proposals();
    let event = &mut ctx.accounts.event;
    event.version = ACCOUNT_VERSION;
    event.approved = approved;
    event.organizer = organizer.key();
    event.event_id = event_id;
    event.bump = ctx.bumps.event;
    event.shard_count = shard_count;
    event.shards_opened = 0;
    event.paused = false;
    event.cancelled = false;
    event.config = config;
    event.cancelled_at = 0;
    event.tier_count = 0;
    event.shards_reserved = shard_count;
    event.tier_serial_start = 0;
    event.tier_serial_end = 0;
    event.tiers_changed_at_proposal = 0;
    event.resale = Default::default();
    event.invariant()?;
    crate::rent::return_surplus(
        &event.to_account_info(),
        &ctx.accounts.manager.to_account_info(),
        Event::SIZE,
    )?;
    emit!(EventConfigured::from_event(event, event.key()));
    Ok(())
}
