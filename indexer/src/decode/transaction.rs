//! One transaction that mentions the program, as fetched, into what the sink writes.
use solana_address::Address;

use super::{program_data, ProgramEvent};

/// A transaction as the source hands it over, independent of the RPC's encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawTx {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    /// Every account key, the fee payer first, with whether the transaction may write it.
    pub accounts: Vec<(Address, bool)>,
    /// How many of `accounts`, from the first, signed the transaction.
    pub signers: usize,
    /// Indexes in `accounts` of token accounts (in the node's token balances).
    pub token_accounts: Vec<usize>,
    /// `None` when the transaction succeeded.
    pub err: Option<String>,
    /// `None` when the node kept no logs for it.
    pub logs: Option<Vec<String>>,
}

/// A decoding failure worth recording: the transaction is kept, the bad part skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub kind: &'static str,
    pub detail: String,
}

#[derive(Debug)]
pub struct DecodedTx {
    pub signature: String,
    pub slot: u64,
    pub block_time: Option<i64>,
    pub signer: Address,
    pub success: bool,
    pub err: Option<String>,
    pub logs_truncated: bool,
    /// Whether our program ran in it (an `invoke` line of its in the logs, or no logs to
    /// tell): a transaction that only names the program as an account is not its history
    /// and is not stored, though the accounts it wrote are still read again.
    pub invoked: bool,
    /// Accounts the transaction may have written that can be the program's: re-read
    /// after it. Signers are left out (every account of the program, and every vault, is
    /// a PDA, and a PDA cannot sign a transaction), and so are token accounts (the token
    /// program owns them).
    pub writable: Vec<Address>,
    pub accounts: Vec<Address>,
    /// Our program's events with their index in the transaction. Empty when it failed:
    /// a failed transaction changes nothing.
    pub events: Vec<(u32, ProgramEvent)>,
    pub problems: Vec<Problem>,
}

pub fn decode_transaction(raw: RawTx, program: &Address) -> DecodedTx {
    let success = raw.err.is_none();
    let mut problems = Vec::new();
    let mut events = Vec::new();
    let mut truncated = false;
    match (&raw.logs, success) {
        (_, false) => {}
        (None, true) => {
            truncated = true;
            problems.push(Problem {
                kind: "missing_logs",
                detail: "the node returned no logs; accounts re-read".into(),
            });
        }
        (Some(logs), true) => match program_data(logs, program) {
            Err(e) => problems.push(Problem {
                kind: "bad_logs",
                detail: e.to_string(),
            }),
            Ok(found) => {
                truncated = found.truncated;
                for (i, data) in found.data.iter().enumerate() {
                    match ProgramEvent::decode(data) {
                        Ok(event) => events.push((i as u32, event)),
                        Err(e) => problems.push(Problem {
                            kind: "bad_event",
                            detail: format!("event {i}: {e}"),
                        }),
                    }
                }
            }
        },
    }
    let signer = raw.accounts.first().map(|(k, _)| *k).unwrap_or_default();
    let invoke = format!("Program {program} invoke [");
    let invoked = raw
        .logs
        .as_ref()
        .is_none_or(|logs| logs.iter().any(|l| l.starts_with(&invoke)));
    DecodedTx {
        signature: raw.signature,
        slot: raw.slot,
        block_time: raw.block_time,
        signer,
        success,
        err: raw.err,
        logs_truncated: truncated,
        invoked,
        writable: raw
            .accounts
            .iter()
            .enumerate()
            .filter(|(i, (_, w))| {
                *w && *i >= raw.signers && raw.token_accounts.binary_search(i).is_err()
            })
            .map(|(_, (k, _))| *k)
            .collect(),
        accounts: raw.accounts.iter().map(|(k, _)| *k).collect(),
        events,
        problems,
    }
}
