//! Events and their shards: create, change, open shards, pause, cancel, sweep proceeds,
//! close shards.
use bitticket::accounts as acc;
use bitticket::instruction as args;
use bitticket::state::EventConfig;
use solana_address::Address;
use solana_instruction::Instruction;

use super::ix;
use crate::pda::*;
use crate::SYSTEM;

pub fn ix_create_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
    shard_count: u8,
) -> Instruction {
    ix(
        acc::CreateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
            system_program: SYSTEM,
        },
        args::CreateEvent {
            config,
            shard_count,
        },
    )
}

pub fn ix_update_event(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    config: EventConfig,
) -> Instruction {
    ix(
        acc::UpdateEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::UpdateEvent { config },
    )
}

pub fn ix_open_shard(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    index: u8,
) -> Instruction {
    ix(
        acc::OpenShard {
            organizer: *organizer,
            event: *event,
            shard: shard_pda(event, index),
            manager: *manager,
            system_program: SYSTEM,
        },
        args::OpenShard { index },
    )
}

pub fn ix_set_paused(
    organizer: &Address,
    event: &Address,
    manager: &Address,
    paused: bool,
) -> Instruction {
    ix(
        acc::SetPaused {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::SetPaused { paused },
    )
}

pub fn ix_cancel_event(organizer: &Address, event: &Address, manager: &Address) -> Instruction {
    ix(
        acc::CancelEvent {
            organizer: *organizer,
            event: *event,
            manager: *manager,
        },
        args::CancelEvent {},
    )
}

/// The optional token accounts of what moves a shard's tokens to the vault (a sweep, a
/// close): for a shard priced in a mint, the mint, the shard's till, the vault's account
/// in it and its program; all `None` for SOL.
struct TillToVault {
    mint: Option<Address>,
    till: Option<Address>,
    vault_account: Option<Address>,
    program: Option<Address>,
}

impl TillToVault {
    fn new(shard: &Address, vault: &Address, currency: Option<TokenCurrency>) -> Self {
        Self {
            mint: currency.map(|c| c.mint),
            till: currency.map(|c| c.account(shard)),
            vault_account: currency.map(|c| c.account(vault)),
            program: currency.map(|c| c.program),
        }
    }
}

pub fn ix_sweep_shard(organizer: &Address, event: &Address, shard_index: u8) -> Instruction {
    ix_sweep_shard_in(organizer, event, shard_index, None)
}

/// Sweeps a shard priced in `currency` (from its associated account into the vault's), or
/// in SOL for `None`.
pub fn ix_sweep_shard_in(
    organizer: &Address,
    event: &Address,
    shard_index: u8,
    currency: Option<TokenCurrency>,
) -> Instruction {
    let (shard, vault) = (shard_pda(event, shard_index), vault_pda(organizer));
    let t = TillToVault::new(&shard, &vault, currency);
    ix(
        acc::SweepShard {
            organizer: *organizer,
            event: *event,
            shard,
            vault,
            currency_mint: t.mint,
            till: t.till,
            vault_currency: t.vault_account,
            currency_program: t.program,
        },
        args::SweepShard { index: shard_index },
    )
}

/// Closes shard `shard_index` of `event` once it holds nothing owed, its rent (and its
/// till's, for a shard priced in `currency`) going back to `opened_by`, who opened it.
pub fn ix_close_shard(
    organizer: &Address,
    event: &Address,
    shard_index: u8,
    opened_by: &Address,
    currency: Option<TokenCurrency>,
) -> Instruction {
    let (shard, vault) = (shard_pda(event, shard_index), vault_pda(organizer));
    let t = TillToVault::new(&shard, &vault, currency);
    ix(
        acc::CloseShard {
            organizer: *organizer,
            event: *event,
            shard,
            opened_by: *opened_by,
            vault,
            currency_mint: t.mint,
            till: t.till,
            vault_currency: t.vault_account,
            currency_program: t.program,
        },
        args::CloseShard { index: shard_index },
    )
}
