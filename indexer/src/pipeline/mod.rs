//! The indexer: source -> decode -> sink, from the checkpoint on.
//!
//! * `snapshot`: every program account (getProgramAccounts by discriminator) and every
//!   vault balance, slot-guarded, so a fresh mirror starts from the chain's state.
//! * `catch_up`: the program's signatures after the checkpoint, oldest first, fetched
//!   `fetch_concurrency` at a time (in order), decoded, with the accounts they wrote re-read
//!   at or after their slot; each batch is one Postgres transaction with its checkpoint.
//!   The fetching of the next batch overlaps the writing of the last (a channel of two
//!   batches: backpressure when Postgres is the slower side).
//! * `finalize_step`: marks rows final when their slot is finalized; undoes slots a fork
//!   dropped.
//! * `run`: catch_up on every websocket wake-up or poll tick, finalize every few seconds.
//!
//! One file per concern: `fetch` (listing and fetching transactions into batches),
//! `accounts` (reading and classifying accounts: snapshot, balances), `finality`
//! (finalized and dropped slots), `tail` (catch-up and the live loop with its writer).
mod accounts;
mod fetch;
mod finality;
mod tail;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use solana_address::Address;

use crate::config::Settings;
use crate::sink::{Sink, SinkError};
use crate::source::{self, RpcPool, SourceError};

pub use accounts::with_vaults;
pub use fetch::{slot_aligned, BLOCK_FETCH_MIN};
pub use finality::FINALIZE_CHUNK;
pub use tail::TAIL_BATCH;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(transparent)]
    Source(#[from] SourceError),
    #[error(transparent)]
    Rpc(#[from] source::RpcFailure),
    #[error(transparent)]
    Sink(#[from] SinkError),
    #[error("the sink task stopped")]
    SinkGone,
}

pub struct Indexer {
    pub rpc: Arc<RpcPool>,
    pub sink: Sink,
    pub program: Address,
    commitment: String,
    batch_size: usize,
    concurrency: usize,
    vaults: HashMap<Address, Address>,
    /// Slots one finalize step looks at (the oldest pending first): bounded so that a step
    /// stays short beside the tail.
    pub finalize_chunk: usize,
    /// How often `run` reads the balances of shards and vaults again.
    pub balance_every: Duration,
    /// Bumped (under the writer lock) when the mirror's checkpoint moves back: by a
    /// fork's undo, or a failed write. Batches built before are dropped, not written,
    /// and the tail lists again from the checkpoint.
    epoch: Arc<AtomicU64>,
}

/// What one catch-up did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Progress {
    pub transactions: usize,
    pub events: u64,
    pub last_slot: u64,
}

impl Indexer {
    pub async fn new(
        settings: &Settings,
        rpc: Arc<RpcPool>,
        sink: Sink,
    ) -> Result<Self, IndexError> {
        let vaults = sink.vaults().await?;
        Ok(Self {
            rpc,
            sink,
            program: settings.program_id,
            commitment: settings.commitment.clone(),
            batch_size: settings.batch_size.max(1),
            concurrency: settings.fetch_concurrency.max(1),
            vaults,
            finalize_chunk: FINALIZE_CHUNK,
            balance_every: settings.balance_interval(),
            epoch: Arc::new(AtomicU64::new(0)),
        })
    }

    /// A second indexer over the same pool, sink and epoch, for a task of `run`'s.
    fn sibling(&self) -> Indexer {
        Indexer {
            rpc: self.rpc.clone(),
            sink: self.sink.clone(),
            program: self.program,
            commitment: self.commitment.clone(),
            batch_size: self.batch_size,
            concurrency: self.concurrency,
            vaults: self.vaults.clone(),
            finalize_chunk: self.finalize_chunk,
            balance_every: self.balance_every,
            epoch: self.epoch.clone(),
        }
    }

    /// How many times the checkpoint has moved back (undos, failed writes) since start.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }
}

#[cfg(test)]
mod send_check {
    /// `run` can be spawned onto a multi-threaded runtime (the main job does).
    #[allow(dead_code)]
    fn run_is_send(i: &'static mut super::Indexer) {
        fn send<T: Send>(_: T) {}
        send(i.run(
            vec![],
            std::time::Duration::from_millis(1),
            std::sync::Arc::new(tokio::sync::Notify::new()),
        ));
    }
}
