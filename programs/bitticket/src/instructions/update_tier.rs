use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::TierConfigured;
use crate::instructions::create_tier::change_tiers;
use crate::state::{Event, Organizer, Tier, TierConfig};

/// An event manager changes a tier (name, supply within the serials it reserved, limits,
/// phases and allow-lists) while the event's sale terms may change, under the same rules
/// as `create_tier`.
#[derive(Accounts)]
pub struct UpdateTier<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    #[account(mut, has_one = event)]
    pub tier: Account<'info, Tier>,
    pub manager: Signer<'info>,
}

pub fn handler(ctx: Context<UpdateTier>, config: TierConfig) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    change_tiers(&a.organizer, &mut a.event, a.manager.key)?;
    a.event.require_terms_open(now)?;
    require!(
        config.supply <= a.tier.serial_span,
        BitTicketError::InvalidSupply
    );
    let tier = &mut a.tier;
    tier.config = config;
    tier.invariant(a.event.config.sale_start, a.event.config.sale_end)?;
    a.event.invariant()?;
    emit!(TierConfigured::from_tier(tier, tier.key()));
    Ok(())
}
