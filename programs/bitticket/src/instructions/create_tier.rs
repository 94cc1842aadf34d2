use anchor_lang::prelude::*;
use anchor_spl::token_interface::Mint;

use crate::constants::{ACCOUNT_VERSION, SEED_TIER, SOL_CURRENCY, SOL_DECIMALS};
use crate::errors::BitTicketError;
use crate::events::TierConfigured;
use crate::state::{permission, Event, Organizer, Tier, TierConfig};

/// An event manager adds the event's next tier, with `shard_count` shards, while its sale
/// terms may change (`Event::require_terms_open`). It reserves the next `config.supply`
/// serials and `shard_count` shard indexes of the event for good. Where the organizer
/// needs proposals, tiers are sale terms the multisig approves: a manager sets them only
/// while the event's terms await approval (`MultisigRequired` once approved), and the
/// approving `UpdateEvent` proposal must be made after the last tier change
/// (`TermsChangedSinceProposal`), so the voters saw the tiers they approve.
#[derive(Accounts)]
pub struct CreateTier<'info> {
    pub organizer: Account<'info, Organizer>,
    #[account(mut, has_one = organizer)]
    pub event: Account<'info, Event>,
    #[account(
        init,
        payer = manager,
        space = Tier::SIZE,
        seeds = [SEED_TIER, event.key().as_ref(), &[event.tier_count]],
        bump
    )]
    pub tier: Account<'info, Tier>,
    #[account(mut)]
    pub manager: Signer<'info>,
    pub system_program: Program<'info, System>,
    /// The SPL mint its prices are in (`currency::accept`); none: SOL.
    pub currency: Option<Box<InterfaceAccount<'info, Mint>>>,
}

/// A manager of the organizer changes the event's tiers: where the organizer needs
/// proposals, only while the event's terms await approval, noting the organizer's last
/// proposal index so that no proposal made before this change approves the terms.
pub(crate) fn change_tiers(
    organizer: &Organizer,
    event: &mut Event,
    manager: &Pubkey,
) -> Result<()> {
    organizer.require_permission(manager, permission::EVENT_MANAGER)?;
    if organizer.needs_proposals() {
        require!(!event.approved, BitTicketError::MultisigRequired);
    }
    event.tiers_changed_at_proposal = organizer.transaction_index;
    Ok(())
}

pub fn handler(ctx: Context<CreateTier>, config: TierConfig, shard_count: u8) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let event = &mut ctx.accounts.event;
    change_tiers(&ctx.accounts.organizer, event, ctx.accounts.manager.key)?;
    event.require_terms_open(now)?;
    let (index, serial_base, first_shard) = event.reserve_tier(config.supply, shard_count)?;
    event.invariant()?;

    let (currency, currency_decimals) = match &ctx.accounts.currency {
        Some(mint) => {
            crate::currency::accept(mint)?;
            (mint.key(), mint.decimals)
        }
        None => (SOL_CURRENCY, SOL_DECIMALS),
    };
    let tier = &mut ctx.accounts.tier;
    crate::rent::return_surplus(
        &tier.to_account_info(),
        &ctx.accounts.manager.to_account_info(),
        Tier::SIZE,
    )?;
    tier.version = ACCOUNT_VERSION;
    tier.event = event.key();
    tier.index = index;
    tier.bump = ctx.bumps.tier;
    tier.serial_base = serial_base;
    tier.serial_span = config.supply;
    tier.first_shard = first_shard;
    tier.shard_count = shard_count;
    tier.shards_opened = 0;
    tier.config = config;
    tier.currency = currency;
    tier.currency_decimals = currency_decimals;
    tier.invariant(event.config.sale_start, event.config.sale_end)?;
    emit!(TierConfigured::from_tier(tier, tier.key()));
    Ok(())
}
