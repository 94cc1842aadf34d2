//! Builders for the program's accounts and configuration types, so that a test names only
//! what it is about and every test agrees on the rest: each function returns a valid value
//! (its `invariant()` holds) whose public fields a test then changes.
use bitticket::constants::ACCOUNT_VERSION;
use bitticket::state::{
    self, BuyerRecord, EventConfig, Member, Period, ProposalAction, ProposalStatus,
    SpendingLimitConfig, TicketState,
};
use solana_address::Address;

/// An `EventConfig`: 0.001 SOL, 10 tickets, 2 a wallet, "Fest", unless told otherwise.
#[derive(Debug, Clone)]
pub struct EventConfigBuilder(EventConfig);

impl EventConfigBuilder {
    /// On sale from `sale` to `end`; resale and check-in open at `unlock`; check-in
    /// closes at `end`.
    pub fn at(sale: i64, unlock: i64, end: i64) -> Self {
        Self(EventConfig {
            price_lamports: 1_000_000,
            supply: 10,
            sale_start: sale,
            sale_end: end,
            resale_unlock: unlock,
            max_per_wallet: 2,
            check_in_start: unlock,
            check_in_end: end,
            name: "Fest".into(),
            uri: "https://example.com/e.json".into(),
        })
    }

    pub fn price(mut self, lamports: u64) -> Self {
        self.0.price_lamports = lamports;
        self
    }

    pub fn supply(mut self, supply: u32) -> Self {
        self.0.supply = supply;
        self
    }

    pub fn max_per_wallet(mut self, n: u16) -> Self {
        self.0.max_per_wallet = n;
        self
    }

    pub fn check_in_end(mut self, t: i64) -> Self {
        self.0.check_in_end = t;
        self
    }

    pub fn named(mut self, name: &str, uri: &str) -> Self {
        self.0.name = name.into();
        self.0.uri = uri.into();
        self
    }

    pub fn build(self) -> EventConfig {
        self.0
    }
}

/// An organizer (id 1) created by `creator`, threshold 1, no time-lock, with `members`
/// (key, permission bits).
pub fn organizer(creator: Address, members: &[(Address, u8)]) -> state::Organizer {
    state::Organizer {
        version: ACCOUNT_VERSION,
        creator,
        organizer_id: 1,
        next_event_id: 1,
        bump: 255,
        vault_bump: 255,
        threshold: 1,
        time_lock: 0,
        transaction_index: 0,
        stale_transaction_index: 0,
        members: members
            .iter()
            .map(|(key, permissions)| Member {
                key: *key,
                permissions: *permissions,
            })
            .collect(),
        spending_limits: vec![],
        outflow_caps: vec![],
        name: "Lagoon Nights".into(),
    }
}

/// Event 0 of `organizer`, approved, one shard open, on `EventConfigBuilder::at(100, 150,
/// 200)` with check-in until 300.
pub fn event(organizer: Address) -> state::Event {
    state::Event {
        version: ACCOUNT_VERSION,
        approved: true,
        organizer,
        event_id: 0,
        bump: 255,
        shard_count: 1,
        shards_opened: 1,
        paused: false,
        cancelled: false,
        config: EventConfigBuilder::at(100, 150, 200)
            .check_in_end(300)
            .build(),
        cancelled_at: 0,
        tier_count: 0,
        shards_reserved: 1,
        tier_serial_start: 0,
        tier_serial_end: 0,
        tiers_changed_at_proposal: 0,
        resale: Default::default(),
    }
}

/// Serial 0 of `event`, valid, held by `holder`, bought at 0.001 SOL.
pub fn ticket(event: Address, holder: Address) -> state::Ticket {
    state::Ticket {
        version: ACCOUNT_VERSION,
        event,
        mint: Address::new_unique(),
        holder,
        serial: 0,
        shard_index: 0,
        tier: bitticket::constants::NO_TIER,
        price_paid: 1_000_000,
        state: TicketState::Valid,
        checked_in_at: 0,
        bump: 255,
    }
}

/// Shard `index` of `event`, nothing sold yet, opened with 1,000,000 lamports of rent.
pub fn shard(event: Address, index: u8) -> state::Shard {
    state::Shard {
        version: ACCOUNT_VERSION,
        event,
        index,
        tier: bitticket::constants::NO_TIER,
        bump: 255,
        sold: 0,
        revenue: 0,
        refunded: 0,
        swept: 0,
        reserve: 1_000_000,
        currency: bitticket::constants::SOL_CURRENCY,
        opened_by: Address::new_from_array([7; 32]),
    }
}

/// What `buyer` bought of `event`: `purchased` tickets.
pub fn buyer_record(event: Address, buyer: Address, purchased: u16) -> BuyerRecord {
    BuyerRecord {
        version: ACCOUNT_VERSION,
        event,
        buyer,
        purchased,
        bump: 255,
        tiers: Default::default(),
    }
}

/// Proposal `index` of `organizer` for `action`, active, by a fresh proposer, no votes.
pub fn proposal(organizer: Address, index: u64, action: ProposalAction) -> state::Proposal {
    state::Proposal {
        version: ACCOUNT_VERSION,
        organizer,
        index,
        proposer: Address::new_unique(),
        action,
        status: ProposalStatus::Active,
        bump: 255,
        approved: vec![],
        rejected: vec![],
        cancelled: vec![],
    }
}

/// A SOL spending limit `id`: `amount` lamports per `period` for `members`, to any
/// destination.
pub fn sol_limit(id: u8, amount: u64, period: Period, members: &[Address]) -> SpendingLimitConfig {
    SpendingLimitConfig {
        id,
        mint: Address::default(),
        amount,
        period,
        members: members.to_vec(),
        destinations: vec![],
    }
}
