//! The indexer's side: a fresh mirror (a migrated database behind a `Sink`), account rows
//! as the sink takes them, and program transactions decoded from log lines.
use bitticket::state::{self, Member, TicketState};
use bitticket_indexer::decode::{decode_transaction, DecodedTx, ProgramAccount, RawTx};
use bitticket_indexer::sink::{AccountKind, AccountUpdate, Sink};
use solana_address::Address;

pub use crate::db::admin_url;

/// A new, migrated database of its own, behind a sink.
pub async fn fresh_db() -> (Sink, String) {
    let (db, url) = crate::db::fresh_database("t").await;
    (Sink::new(db), url)
}

/// Rows in `table` of the sink's database.
pub async fn count(sink: &Sink, table: &str) -> i64 {
    crate::db::rows(&sink.pool, table).await
}

pub fn organizer(creator: Address, members: &[(Address, u8)]) -> state::Organizer {
    state::Organizer {
        version: bitticket::constants::ACCOUNT_VERSION,
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
    }
}

pub fn event(organizer: Address) -> state::Event {
    state::Event {
        version: bitticket::constants::ACCOUNT_VERSION,
        approved: true,
        organizer,
        event_id: 0,
        bump: 255,
        shard_count: 1,
        shards_opened: 1,
        paused: false,
        cancelled: false,
        config: crate::builders::EventConfigBuilder::at(100, 150, 200)
            .check_in_end(300)
            .build(),
        cancelled_at: 0,
    }
}

pub fn ticket(event: Address, holder: Address) -> state::Ticket {
    state::Ticket {
        version: bitticket::constants::ACCOUNT_VERSION,
        event,
        mint: Address::new_unique(),
        holder,
        serial: 0,
        shard_index: 0,
        price_paid: 1_000_000,
        state: TicketState::Valid,
        checked_in_at: 0,
        bump: 255,
    }
}

pub fn update(address: Address, slot: u64, a: ProgramAccount) -> AccountUpdate {
    AccountUpdate {
        address,
        slot,
        lamports: 1_000,
        kind: AccountKind::Program(a),
    }
}

/// A successful transaction of our program at `slot` logging `events` (Anchor-encoded).
pub fn tx(signature: &str, slot: u64, signer: Address, events: &[Vec<u8>]) -> DecodedTx {
    use base64::Engine;
    let program = bitticket::ID;
    let mut logs = vec![format!("Program {program} invoke [1]")];
    for e in events {
        logs.push(format!(
            "Program data: {}",
            base64::engine::general_purpose::STANDARD.encode(e)
        ));
    }
    logs.push(format!("Program {program} success"));
    decode_transaction(
        RawTx {
            signature: signature.into(),
            slot,
            block_time: Some(1_700_000_000),
            accounts: vec![(signer, true), (program, false)],
            signers: 1,
            token_accounts: vec![],
            err: None,
            logs: Some(logs),
        },
        &program,
    )
}
