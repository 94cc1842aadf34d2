//! BitTicket: NFT ticketing. Organizers with member roles run events; a wallet signs its
//! own purchase and receives a ticket NFT; the chain enforces sale windows, supply,
//! per-wallet limits, resale locks and single entry.
//!
//! This file is a table of contents: each instruction lives in `instructions/<name>.rs`.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

pub mod constants;
pub mod cpi;
pub mod errors;
pub mod events;
pub mod instructions;
pub mod pda;
pub mod rent;
pub mod state;
pub mod vault;

pub use instructions::*;
use state::{EventConfig, ProposalAction};

declare_id!("2hWCu8my7AeBkGsJ4yeFvFCxod5GDKueM3yS53YrC5rJ");

#[program]
pub mod bitticket {
    use super::*;

    pub fn create_organizer(ctx: Context<CreateOrganizer>, organizer_id: u64) -> Result<()> {
        create_organizer::handler(ctx, organizer_id)
    }

    pub fn add_member(ctx: Context<AddMember>, member: Pubkey, permissions: u8) -> Result<()> {
        add_member::handler(ctx, member, permissions)
    }

    pub fn remove_member(ctx: Context<RemoveMember>, member: Pubkey) -> Result<()> {
        remove_member::handler(ctx, member)
    }

    pub fn create_event(
        ctx: Context<CreateEvent>,
        config: EventConfig,
        shard_count: u8,
    ) -> Result<()> {
        create_event::handler(ctx, config, shard_count)
    }

    pub fn update_event<'info>(
        ctx: Context<'info, UpdateEvent<'info>>,
        config: EventConfig,
    ) -> Result<()> {
        update_event::handler(ctx, config)
    }

    pub fn open_shard(ctx: Context<OpenShard>, index: u8) -> Result<()> {
        open_shard::handler(ctx, index)
    }

    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        set_paused::handler(ctx, paused)
    }

    pub fn cancel_event(ctx: Context<CancelEvent>) -> Result<()> {
        cancel_event::handler(ctx)
    }

    pub fn purchase(ctx: Context<Purchase>, bumps: TicketBumps) -> Result<()> {
        purchase::handler(ctx, bumps)
    }

    pub fn transfer_ticket(ctx: Context<TransferTicket>) -> Result<()> {
        transfer_ticket::handler(ctx)
    }

    pub fn check_in(ctx: Context<CheckIn>) -> Result<()> {
        check_in::handler(ctx)
    }

    pub fn claim_refund(ctx: Context<ClaimRefund>) -> Result<()> {
        claim_refund::handler(ctx)
    }

    pub fn sweep_shard(ctx: Context<SweepShard>) -> Result<()> {
        sweep_shard::handler(ctx)
    }

    pub fn create_proposal(ctx: Context<CreateProposal>, action: ProposalAction) -> Result<()> {
        create_proposal::handler(ctx, action)
    }

    pub fn approve_proposal(ctx: Context<VoteOnProposal>) -> Result<()> {
        vote_proposal::approve(ctx)
    }

    pub fn reject_proposal(ctx: Context<VoteOnProposal>) -> Result<()> {
        vote_proposal::reject(ctx)
    }

    pub fn cancel_proposal(ctx: Context<VoteOnProposal>) -> Result<()> {
        vote_proposal::cancel(ctx)
    }

    pub fn execute_proposal(ctx: Context<ExecuteProposal>) -> Result<()> {
        execute_proposal::handler(ctx)
    }

    pub fn spend(ctx: Context<Spend>, limit_id: u8, amount: u64) -> Result<()> {
        spend::handler(ctx, limit_id, amount)
    }
}
