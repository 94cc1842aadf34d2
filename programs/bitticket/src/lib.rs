//! BitTicket: NFT ticketing. Organizers with member roles run events; a wallet signs its
//! own purchase and receives a ticket NFT; the chain enforces sale windows, supply,
//! per-wallet limits, resale locks and single entry.
//!
//! This file is a table of contents: each instruction lives in `instructions/<name>.rs`.
#![allow(unexpected_cfgs)]

use anchor_lang::prelude::*;
#[cfg(target_arch = "bpf")]
use solana_compiler_builtins as _;

pub mod allow_list;
pub mod constants;
pub mod cpi;
pub mod currency;
pub mod errors;
pub mod events;
pub mod execution;
pub mod frozen;
pub mod instructions;
pub mod lamports;
pub mod pass;
pub mod pda;
pub mod rent;
pub mod state;
pub mod ticket_mint;
pub mod vault;

pub use instructions::*;
use state::{EventConfig, ProposalAction, ResaleTerms, TierConfig};

// The program's id: this repository's (build.rs's `DEFAULT`, also in Anchor.toml), or the
// address in `BITTICKET_PROGRAM_ID` at build time: deploying a copy under your own id.
include!(concat!(env!("OUT_DIR"), "/program_id.rs"));

#[cfg(test)]
mod program_id {
    /// The id is the build's override when one was given, this repository's otherwise.
    #[test]
    fn the_id_follows_the_build() {
        let expected = option_env!("BITTICKET_PROGRAM_ID")
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .unwrap_or("2hWCu8my7AeBkGsJ4yeFvFCxod5GDKueM3yS53YrC5rJ");
        assert_eq!(super::ID.to_string(), expected);
    }
}

// What explorers show under the program's "Security" tab: how to report a vulnerability,
// the same contact as SECURITY.md.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "BitTicket",
    project_url: "https://bitticket.dev",
    contacts: "email:security@bitticket.dev",
    policy: "https://bitticket.dev/SECURITY.md",
    preferred_languages: "en",
    source_code: "https://bitticket.dev/source"
}

#[program]
pub mod bitticket {
    use super::*;

    // The purchase first: Anchor dispatches by comparing the instruction's discriminator
    // with each instruction's in this order, and the purchase is the hot path.
    /// A buyer buys one ticket through a shard, paying the event's price if it is at most
    /// `max_price`; `bumps` are the canonical bumps of the ticket and the buyer record.
    pub fn purchase(ctx: Context<Purchase>, bumps: TicketBumps, max_price: u64) -> Result<()> {
        purchase::handler(ctx, bumps, max_price)
    }

    /// A buyer buys one ticket of a tier through one of its shards, in the phase open now,
    /// at its price if it is at most `max_price`; `proof` places the buyer on the phase's
    /// allow-list when it has one (empty otherwise).
    pub fn purchase_tier(
        ctx: Context<PurchaseTier>,
        bumps: TicketBumps,
        max_price: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        purchase_tier::handler(ctx, bumps, max_price, proof)
    }

    /// `purchase_tier` for a tier priced in an SPL mint: the price (at most `max_price` of
    /// its smallest unit) moves from the buyer's token account into the shard's till.
    pub fn purchase_tier_token(
        ctx: Context<PurchaseTierToken>,
        bumps: TicketBumps,
        max_price: u64,
        proof: Vec<[u8; 32]>,
    ) -> Result<()> {
        purchase_tier_token::handler(ctx, bumps, max_price, proof)
    }

    /// Creates an organizer (tenant) with its name and its multisig (members, threshold,
    /// time-lock); its creator is a member with every role unless listed with fewer, and its
    /// vault is funded with its rent-exempt minimum.
    pub fn create_organizer(
        ctx: Context<CreateOrganizer>,
        organizer_id: u64,
        setup: OrganizerSetup,
    ) -> Result<()> {
        create_organizer::handler(ctx, organizer_id, setup)
    }

    /// An admin adds a member with roles that cannot reach money; vault roles, and admin and
    /// event manager once the organizer needs proposals (a threshold above one or a
    /// time-lock), need a proposal, and the last member slot is kept for proposals.
    pub fn add_member(ctx: Context<AddMember>, member: Pubkey, permissions: u8) -> Result<()> {
        add_member::handler(ctx, member, permissions)
    }

    /// An admin removes a member holding none of the roles only a proposal may revoke; never
    /// the last admin.
    pub fn remove_member(ctx: Context<RemoveMember>, member: Pubkey) -> Result<()> {
        remove_member::handler(ctx, member)
    }

    /// An event manager creates an event with its price, supply, windows and shard count;
    /// where the organizer needs proposals, it sells nothing until an `UpdateEvent`
    /// proposal approves its terms.
    pub fn create_event(
        ctx: Context<CreateEvent>,
        config: EventConfig,
        shard_count: u8,
    ) -> Result<()> {
        create_event::handler(ctx, config, shard_count)
    }

    /// An event manager changes an event before its sale starts; where the organizer needs
    /// proposals, a manager alone changes only the name and the URI, and the terms (price,
    /// supply, limits, windows) need an `UpdateEvent` proposal, which approves them.
    pub fn update_event(ctx: Context<UpdateEvent>, config: EventConfig) -> Result<()> {
        update_event::handler(ctx, config)
    }

    /// An event manager adds the event's next tier (name, supply, wallet limit, phases
    /// with their prices and allow-lists) with `shard_count` shards, while its sale terms
    /// may change; its prices are in SOL, or in the SPL mint passed as `currency`.
    pub fn create_tier(
        ctx: Context<CreateTier>,
        config: TierConfig,
        shard_count: u8,
    ) -> Result<()> {
        create_tier::handler(ctx, config, shard_count)
    }

    /// An event manager changes a tier while the event's sale terms may change.
    pub fn update_tier(ctx: Context<UpdateTier>, config: TierConfig) -> Result<()> {
        update_tier::handler(ctx, config)
    }

    /// An event manager opens a tier's next shard, event shard index `index`.
    pub fn open_tier_shard(ctx: Context<OpenTierShard>, index: u8) -> Result<()> {
        open_tier_shard::handler(ctx, index)
    }

    /// An event manager opens the event's next sale shard (in index order).
    pub fn open_shard(ctx: Context<OpenShard>, index: u8) -> Result<()> {
        open_shard::handler(ctx, index)
    }

    /// An event manager pauses or resumes an event's sale.
    pub fn set_paused(ctx: Context<SetPaused>, paused: bool) -> Result<()> {
        set_paused::handler(ctx, paused)
    }

    /// An event manager cancels an event (irreversible; refunds open until `REFUND_PERIOD`
    /// after the later of now and its check-in end); where the organizer needs proposals,
    /// after the sale starts only a `CancelEvent` proposal can.
    pub fn cancel_event(ctx: Context<CancelEvent>) -> Result<()> {
        cancel_event::handler(ctx)
    }

    /// The holder transfers a valid ticket once resale is unlocked, unless the event's
    /// tickets move only through its market.
    pub fn transfer_ticket(ctx: Context<TransferTicket>) -> Result<()> {
        transfer_ticket::handler(ctx)
    }

    /// An event manager sets the event's resale market: its cap on each ticket's face
    /// value, the royalty, and whether free transfers are off; under the rules of the
    /// event's other sale terms.
    pub fn set_resale_terms(ctx: Context<SetResaleTerms>, terms: ResaleTerms) -> Result<()> {
        set_resale_terms::handler(ctx, terms)
    }

    /// The holder lists a valid ticket on the event's market at most at its cap.
    pub fn list_ticket(ctx: Context<ListTicket>, price: u64) -> Result<()> {
        list_ticket::handler(ctx, price)
    }

    /// The seller takes a listing down, or anyone a void one; its rent goes to the seller.
    pub fn delist_ticket(ctx: Context<DelistTicket>) -> Result<()> {
        delist_ticket::handler(ctx)
    }

    /// A buyer takes a standing listing at most at `max_price`: the royalty to the event's
    /// proceeds, the rest to the seller, the ticket to the buyer.
    pub fn buy_listing(ctx: Context<BuyListing>, max_price: u64) -> Result<()> {
        buy_listing::handler(ctx, max_price)
    }

    /// A gatekeeper alone checks in the holder of a valid ticket during check-in, the holder's
    /// consent proven by its pass (an Ed25519 instruction right before this one, over the
    /// ticket's mint and `expires_at`); a second entry is refused.
    pub fn check_in(ctx: Context<CheckIn>, expires_at: i64) -> Result<()> {
        check_in::handler(ctx, expires_at)
    }

    /// The holder of a valid ticket of a cancelled event takes back the price paid, within the
    /// refund period.
    pub fn claim_refund(ctx: Context<ClaimRefund>) -> Result<()> {
        claim_refund::handler(ctx)
    }

    /// After the event the holder burns their ticket: the NFT, its token account, its mint
    /// and its record are closed and their rent goes back to the holder.
    pub fn burn_ticket(ctx: Context<BurnTicket>) -> Result<()> {
        burn_ticket::handler(ctx)
    }

    /// Anyone closes a buyer's record after the event, its rent going back to the buyer.
    pub fn close_buyer_record(ctx: Context<CloseBuyerRecord>) -> Result<()> {
        close_buyer_record::handler(ctx)
    }

    /// Anyone closes shard `index` once nothing can be owed from it and it holds no
    /// proceeds (swept or refunded): its rent, and its till's for a token shard, goes back
    /// to the event manager who opened it.
    pub fn close_shard(ctx: Context<CloseShard>, index: u8) -> Result<()> {
        close_shard::handler(ctx, index)
    }

    /// Anyone moves shard `index`'s proceeds into the organizer's vault once nothing can be
    /// owed from it.
    pub fn sweep_shard(ctx: Context<SweepShard>, index: u8) -> Result<()> {
        let _ = index;
        sweep_shard::handler(ctx)
    }

    /// A member with PROPOSE proposes an action as the organizer's next proposal, `index`.
    pub fn create_proposal(
        ctx: Context<CreateProposal>,
        index: u64,
        action: ProposalAction,
    ) -> Result<()> {
        create_proposal::handler(ctx, index, action)
    }

    /// A voter approves active proposal `index`; it is approved at the threshold.
    pub fn approve_proposal(ctx: Context<VoteOnProposal>, index: u64) -> Result<()> {
        let _ = index;
        vote_proposal::approve(ctx)
    }

    /// A voter rejects active proposal `index`; it is rejected once approval has become
    /// impossible.
    pub fn reject_proposal(ctx: Context<VoteOnProposal>, index: u64) -> Result<()> {
        let _ = index;
        vote_proposal::reject(ctx)
    }

    /// A voter votes to cancel approved proposal `index`; it is cancelled at the threshold.
    pub fn cancel_proposal(ctx: Context<VoteOnProposal>, index: u64) -> Result<()> {
        let _ = index;
        vote_proposal::cancel(ctx)
    }

    /// A member with EXECUTE executes approved, fresh configuration proposal `index`
    /// (members, roles, threshold, time-lock, limits, caps) once its time-lock has elapsed.
    pub fn execute_proposal(ctx: Context<ExecuteProposal>, index: u64) -> Result<()> {
        let _ = index;
        execute_proposal::handler(ctx)
    }

    /// A member with EXECUTE executes approved, fresh `UpdateEvent` or `CancelEvent`
    /// proposal `index` on its event once its time-lock has elapsed.
    pub fn execute_event_action(ctx: Context<ExecuteEventAction>, index: u64) -> Result<()> {
        let _ = index;
        execute_event_action::handler(ctx)
    }

    /// A member with EXECUTE executes approved, fresh `WithdrawSol` proposal `index` once
    /// its time-lock has elapsed: the vault pays the destination it names.
    pub fn execute_withdrawal(ctx: Context<ExecuteWithdrawal>, index: u64) -> Result<()> {
        let _ = index;
        execute_withdrawal::handler(ctx)
    }

    /// A member with EXECUTE executes approved, fresh `WithdrawToken` proposal `index` once
    /// its time-lock has elapsed (SPL Token or Token-2022).
    pub fn execute_token_withdrawal(
        ctx: Context<ExecuteTokenWithdrawal>,
        index: u64,
    ) -> Result<()> {
        let _ = index;
        execute_token_withdrawal::handler(ctx)
    }

    /// Anyone closes proposal `index` once it is executed, rejected, cancelled or stale;
    /// its rent goes back to its proposer.
    pub fn close_proposal(ctx: Context<CloseProposal>, index: u64) -> Result<()> {
        close_proposal::handler(ctx, index)
    }

    /// An admin or finance member freezes spending limit `limit_id` at once; only an
    /// `UnfreezeSpendingLimit` proposal thaws it.
    pub fn freeze_spending_limit(ctx: Context<FreezeSpendingLimit>, limit_id: u8) -> Result<()> {
        freeze_spending_limit::handler(ctx, limit_id)
    }

    /// A member of a SOL spending limit moves SOL out of the vault within the limit and
    /// the outflow cap.
    pub fn spend(ctx: Context<Spend>, limit_id: u8, amount: u64) -> Result<()> {
        spend::handler(ctx, limit_id, amount)
    }

    /// A member of a token spending limit moves its tokens out of the vault within the
    /// limit and the outflow cap (SPL Token or Token-2022).
    pub fn spend_token(ctx: Context<SpendToken>, limit_id: u8, amount: u64) -> Result<()> {
        spend_token::handler(ctx, limit_id, amount)
    }
}
