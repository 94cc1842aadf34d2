//! The history tables' rows: one per program event, keyed by where it was logged
//! (signature, event index), with the slot that wrote it and the tenant it belongs to.
//! Inserted once (`insert_new`), deleted with their slot when a fork drops it.

crate::columns! {
    /// Every program transaction (`accounts` joined by commas: base58 has none). The sink
    /// inserts them `WITH ORDINALITY`, so that `seq` follows the batch's order.
    Transactions(Transaction) in "transactions" {
        signature: String = "text",
        slot: i64 = "bigint",
        block_time: Option<i64> = "bigint",
        signer: String = "text",
        success: bool = "bool",
        err: Option<String> = "text",
        logs_truncated: bool = "bool",
        accounts: String = "text" as "text[]",
    }
}

crate::columns! {
    /// Every program event, by kind, with its data as JSON.
    EventLog(LoggedEvent) in "event_log" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        kind: String = "text",
        data: String = "text" as "jsonb",
    }
}

crate::columns! {
    /// `TicketPurchased`.
    Purchases(Purchase) in "purchases" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        shard: String = "text",
        ticket: String = "text",
        mint: String = "text",
        buyer: String = "text",
        serial: i64 = "bigint",
        price: String = "text" as "numeric",
        tier: i32 = "int",
        phase: i32 = "int",
    }
}

crate::columns! {
    /// `TicketTransferred`.
    Transfers(Transfer) in "transfers" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        ticket: String = "text",
        mint: String = "text",
        from_wallet: String = "text",
        to_wallet: String = "text",
    }
}

crate::columns! {
    /// `TicketListed`, `TicketDelisted` and `ListingSold`: `kind` is 'listed', 'delisted',
    /// 'void' or 'sold'; a sale has its buyer, price and royalty.
    Resales(Resale) in "resales" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        ticket: String = "text",
        listing: String = "text",
        kind: String = "text",
        seller: String = "text",
        buyer: Option<String> = "text",
        price: Option<String> = "text" as "numeric",
        royalty: Option<String> = "text" as "numeric",
    }
}

crate::columns! {
    /// `TicketCheckedIn`.
    CheckIns(CheckIn) in "check_ins" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        ticket: String = "text",
        holder: String = "text",
        gatekeeper: String = "text",
        at: i64 = "bigint",
    }
}

crate::columns! {
    /// `TicketRefunded`.
    Refunds(Refund) in "refunds" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        ticket: String = "text",
        shard: String = "text",
        holder: String = "text",
        amount: String = "text" as "numeric",
    }
}

crate::columns! {
    /// `ShardSwept`.
    Sweeps(Sweep) in "sweeps" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        event: String = "text",
        shard: String = "text",
        vault: String = "text",
        amount: String = "text" as "numeric",
    }
}

crate::columns! {
    /// `MemberAdded` and `MemberRemoved` (`change`: added or removed).
    MemberChanges(MemberChange) in "member_changes" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        member: String = "text",
        change: String = "text",
        permissions: Option<i32> = "int",
        by_wallet: String = "text",
    }
}

crate::columns! {
    /// `ProposalVoted`.
    Votes(Vote) in "votes" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        proposal: String = "text",
        member: String = "text",
        vote: String = "text",
        status: String = "text",
    }
}

crate::columns! {
    /// `ProposalExecuted`.
    Executions(Execution) in "executions" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        proposal: String = "text",
        index: String = "text" as "numeric",
        executor: String = "text",
        action: String = "text" as "jsonb",
    }
}

crate::columns! {
    /// `SpendingLimitUsed`.
    SpendingLimitUses(SpendingLimitUse) in "spending_limit_uses" {
        signature: String = "text",
        event_index: i32 = "int",
        slot: i64 = "bigint",
        organizer: String = "text",
        limit_id: i32 = "int",
        member: String = "text",
        mint: String = "text",
        destination: String = "text",
        amount: String = "text" as "numeric",
        remaining: String = "text" as "numeric",
    }
}

crate::columns! {
    /// Anything the indexer could not mirror, kept for an operator.
    IngestErrors(IngestErrorRow) in "ingest_errors" {
        signature: Option<String> = "text",
        account: Option<String> = "text",
        slot: i64 = "bigint",
        kind: String = "text",
        detail: String = "text",
    }
}
