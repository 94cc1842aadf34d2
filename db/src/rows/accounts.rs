//! The account tables' rows: the newest state of each account, written by the sink's
//! slot-guarded upserts. `numeric` columns (u64 amounts, ids) travel as text.
use serde_json::Value;

crate::columns! {
    /// Organizers, one row per organizer account.
    Organizers(Organizer) in "organizers" {
        pubkey: String = "text",
        creator: String = "text",
        organizer_id: String = "text" as "numeric",
        next_event_id: String = "text" as "numeric",
        threshold: i32 = "int",
        time_lock: i64 = "bigint",
        transaction_index: String = "text" as "numeric",
        stale_transaction_index: String = "text" as "numeric",
        vault: String = "text",
        name: String = "text",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
    }
}

crate::columns! {
    /// An organizer's members, replaced with it.
    Members(Member) in "members" {
        organizer: String = "text",
        member: String = "text",
        permissions: i32 = "int",
        slot: i64 = "bigint",
    }
}

crate::columns! {
    /// An organizer's spending limits, replaced with it; key lists travel as JSON arrays.
    SpendingLimits(SpendingLimit) in "spending_limits" {
        organizer: String = "text",
        limit_id: i32 = "int",
        mint: String = "text",
        amount: String = "text" as "numeric",
        period: String = "text",
        remaining: String = "text" as "numeric",
        window_start: i64 = "bigint",
        members: Value = "jsonb" as "text[]",
        destinations: Value = "jsonb" as "text[]",
        slot: i64 = "bigint",
        frozen: bool = "bool",
    }
}

crate::columns! {
    /// An organizer's outflow caps, replaced with it.
    OutflowCaps(OutflowCap) in "outflow_caps" {
        organizer: String = "text",
        mint: String = "text",
        amount: String = "text" as "numeric",
        period: String = "text",
        used: String = "text" as "numeric",
        window_start: i64 = "bigint",
        slot: i64 = "bigint",
        carry_room: String = "text" as "numeric",
        carry_until: i64 = "bigint",
    }
}

crate::columns! {
    /// Organizer vaults (system accounts): their balance.
    Vaults(Vault) in "vaults" {
        address: String = "text",
        organizer: String = "text",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
    }
}

crate::columns! {
    /// Events: their configuration and sale state.
    Events(Event) in "events" {
        pubkey: String = "text",
        organizer: String = "text",
        event_id: String = "text" as "numeric",
        name: String = "text",
        uri: String = "text",
        price_lamports: String = "text" as "numeric",
        supply: i64 = "bigint",
        sale_start: i64 = "bigint",
        sale_end: i64 = "bigint",
        resale_unlock: i64 = "bigint",
        max_per_wallet: i32 = "int",
        check_in_start: i64 = "bigint",
        check_in_end: i64 = "bigint",
        shard_count: i32 = "int",
        shards_opened: i32 = "int",
        paused: bool = "bool",
        cancelled: bool = "bool",
        cancelled_at: i64 = "bigint",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        approved: bool = "bool",
        tier_count: i32 = "int",
        shards_reserved: i32 = "int",
        tier_serial_start: i64 = "bigint",
        tier_serial_end: i64 = "bigint",
        tiers_changed_at_proposal: String = "text" as "numeric",
        resale_cap_bps: i64 = "bigint",
        royalty_bps: i32 = "int",
        transfers_locked: bool = "bool",
    }
}

crate::columns! {
    /// Sale shards: what each sold, holds and paid out (a closed one stays, marked by
    /// `closed_slot`).
    Shards(Shard) in "shards" {
        pubkey: String = "text",
        organizer: String = "text",
        event: String = "text",
        index: i32 = "int",
        sold: i64 = "bigint",
        revenue: String = "text" as "numeric",
        refunded: String = "text" as "numeric",
        swept: String = "text" as "numeric",
        reserve: String = "text" as "numeric",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        tier: i32 = "int",
        currency: String = "text",
        opened_by: String = "text",
        closed_slot: Option<i64> = "bigint",
    }
}

crate::columns! {
    /// Tickets: holder and state (a burned one stays, marked by `closed_slot`).
    Tickets(Ticket) in "tickets" {
        pubkey: String = "text",
        organizer: String = "text",
        event: String = "text",
        mint: String = "text",
        holder: String = "text",
        serial: i64 = "bigint",
        shard_index: i32 = "int",
        price_paid: String = "text" as "numeric",
        state: String = "text",
        checked_in_at: i64 = "bigint",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        tier: i32 = "int",
        closed_slot: Option<i64> = "bigint",
    }
}

crate::columns! {
    /// Per-wallet purchase counts (a closed record stays, marked by `closed_slot`).
    BuyerRecords(BuyerRecord) in "buyer_records" {
        pubkey: String = "text",
        organizer: String = "text",
        event: String = "text",
        buyer: String = "text",
        purchased: i32 = "int",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        tiers: Value = "jsonb",
        closed_slot: Option<i64> = "bigint",
    }
}

crate::columns! {
    /// An event's ticket tiers, each with its phases (a JSON array).
    Tiers(Tier) in "tiers" {
        pubkey: String = "text",
        organizer: String = "text",
        event: String = "text",
        index: i32 = "int",
        name: String = "text",
        supply: i64 = "bigint",
        max_per_wallet: i32 = "int",
        serial_base: i64 = "bigint",
        serial_span: i64 = "bigint",
        first_shard: i32 = "int",
        shard_count: i32 = "int",
        shards_opened: i32 = "int",
        phases: Value = "jsonb",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        currency: String = "text",
        currency_decimals: i32 = "int",
    }
}

crate::columns! {
    /// Multisig proposals (a closed one stays, marked by `closed_slot`).
    Proposals(Proposal) in "proposals" {
        pubkey: String = "text",
        organizer: String = "text",
        index: String = "text" as "numeric",
        proposer: String = "text",
        action: Value = "jsonb",
        status: String = "text",
        status_at: Option<i64> = "bigint",
        approved: Value = "jsonb" as "text[]",
        rejected: Value = "jsonb" as "text[]",
        cancelled: Value = "jsonb" as "text[]",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
    }
}

crate::columns! {
    /// Resale listings (a closed one stays, marked by `closed_slot`, until the ticket is
    /// listed again at the same address).
    Listings(Listing) in "listings" {
        pubkey: String = "text",
        organizer: String = "text",
        event: String = "text",
        ticket: String = "text",
        mint: String = "text",
        seller: String = "text",
        price: String = "text" as "numeric",
        listed_at: i64 = "bigint",
        lamports: i64 = "bigint",
        slot: i64 = "bigint",
        closed_slot: Option<i64> = "bigint",
    }
}
