//! Shared by the indexer's tests: a fresh database per test on the private cluster that
//! scripts/test.sh starts (BITTICKET_TEST_PG, its admin URL), and rows to write.
#![allow(dead_code)]
pub mod chain;
pub mod proxy;
use bitticket::state::{self, EventConfig, Member, TicketState};
use bitticket_indexer::decode::{decode_transaction, DecodedTx, ProgramAccount, RawTx};
use bitticket_indexer::sink::{AccountKind, AccountUpdate, Sink};
use solana_address::Address;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub fn admin_url() -> String {
    std::env::var("BITTICKET_TEST_PG").expect(
        "BITTICKET_TEST_PG (a Postgres admin URL) is not set: run scripts/test.sh, or start one with scripts/pg.sh",
    )
}

/// A new, migrated database of its own.
pub async fn fresh_db() -> (Sink, String) {
    let admin = admin_url();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .expect("connect to the test cluster");
    let name = format!("t_{}_{:016x}", std::process::id(), rand::random::<u64>());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("admin URL without a database"),
    };
    let db: PgPool = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .expect("connect");
    let sink = Sink::new(db);
    sink.migrate().await.expect("migrations");
    (sink, url)
}

pub async fn count(sink: &Sink, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}"))
        .fetch_one(&sink.pool)
        .await
        .expect("count")
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
        config: EventConfig {
            price_lamports: 1_000_000,
            supply: 10,
            sale_start: 100,
            sale_end: 200,
            resale_unlock: 150,
            max_per_wallet: 2,
            check_in_start: 150,
            check_in_end: 300,
            name: "Fest".into(),
            uri: "https://example.com/e.json".into(),
        },
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
