//! The indexer's side: a fresh mirror (a migrated database behind a `Sink`), account rows
//! as the sink takes them, and program transactions decoded from log lines.
use bitticket_indexer::decode::{decode_transaction, DecodedTx, ProgramAccount, RawTx};
use bitticket_indexer::sink::{AccountKind, AccountUpdate, Sink};
use solana_address::Address;

pub use crate::builders::organizer;
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
