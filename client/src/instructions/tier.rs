//! Tiers: create, change, open their shards, and buy a ticket of one.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use bitticket::state::TierConfig;
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::{ATA_PROGRAM, SYSTEM, TICKET_TOKEN};

/// Creates tier `index`, which must be the event's next (`Event::tier_count`), priced in
/// SOL.
pub fn ix_create_tier(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
    config: TierConfig,
    shard_count: u8,
) -> Instruction {
    ix_create_tier_in(organizer, event, manager, index, config, shard_count, None)
}

/// Creates tier `index` priced in `currency` (an SPL mint), or in SOL for `None`.
pub fn ix_create_tier_in(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
    config: TierConfig,
    shard_count: u8,
    currency: Option<&Address>,
) -> Instruction {
    ix(
        acc::CreateTier {
            organizer: *organizer,
            event: *event,
            tier: tier_pda(event, index),
            manager: *manager,
            system_program: SYSTEM,
            currency: currency.copied(),
        },
        args::CreateTier {
            config,
            shard_count,
        },
    )
}

pub fn ix_update_tier(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
    config: TierConfig,
) -> Instruction {
    ix(
        acc::UpdateTier {
            organizer: *organizer,
            event: *event,
            tier: tier_pda(event, index),
            manager: *manager,
        },
        args::UpdateTier { config },
    )
}

/// Opens event shard `shard_index`, the next of tier `tier`.
pub fn ix_open_tier_shard(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    tier: u8,
    shard_index: u8,
) -> Instruction {
    ix(
        acc::OpenTierShard {
            organizer: *organizer,
            event: *event,
            tier: tier_pda(event, tier),
            shard: shard_pda(event, shard_index),
            manager: *manager,
            system_program: SYSTEM,
        },
        args::OpenTierShard { index: shard_index },
    )
}

/// A purchase of a ticket of tier `tier` through event shard `shard_index`, paying at
/// most `max_price` lamports; `proof` is the buyer's allow-list proof (empty when the
/// phase has no list).
pub fn ix_purchase_tier(
    buyer: &Address,
    event: &Address,
    tier: u8,
    shard_index: u8,
    mint: &Address,
    max_price: u64,
    proof: Vec<[u8; 32]>,
) -> Instruction {
    ix_purchase_tier_in(
        buyer,
        event,
        tier,
        shard_index,
        mint,
        max_price,
        proof,
        None,
    )
}

/// As `ix_purchase_tier`, for a tier priced in `currency` (`purchase_tier_token`): the
/// price (at most `max_price` of its smallest unit) moves from the buyer's associated
/// account to the shard's; `None` is `ix_purchase_tier`.
#[allow(clippy::too_many_arguments)]
pub fn ix_purchase_tier_in(
    buyer: &Address,
    event: &Address,
    tier: u8,
    shard_index: u8,
    mint: &Address,
    max_price: u64,
    proof: Vec<[u8; 32]>,
    currency: Option<TokenCurrency>,
) -> Instruction {
    let shard = shard_pda(event, shard_index);
    let bumps = ticket_bumps(event, buyer, mint);
    let Some(c) = currency else {
        return ix(
            acc::PurchaseTier {
                buyer: *buyer,
                event: *event,
                tier: tier_pda(event, tier),
                shard,
                buyer_record: buyer_pda(event, buyer),
                mint: *mint,
                buyer_token: ata(buyer, mint),
                ticket: ticket_pda(mint),
                token_program: TICKET_TOKEN,
                associated_token_program: ATA_PROGRAM,
                system_program: SYSTEM,
            },
            args::PurchaseTier {
                bumps,
                max_price,
                proof,
            },
        );
    };
    ix(
        acc::PurchaseTierToken {
            buyer: *buyer,
            event: *event,
            tier: tier_pda(event, tier),
            shard,
            buyer_record: buyer_pda(event, buyer),
            mint: *mint,
            buyer_token: ata(buyer, mint),
            ticket: ticket_pda(mint),
            token_program: TICKET_TOKEN,
            associated_token_program: ATA_PROGRAM,
            system_program: SYSTEM,
            currency_mint: c.mint,
            buyer_currency: c.account(buyer),
            till: c.account(&shard),
            currency_program: c.program,
        },
        args::PurchaseTierToken {
            bumps,
            max_price,
            proof,
        },
    )
}
