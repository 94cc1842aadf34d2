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
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::{StreamExt, TryStreamExt};
use solana_address::Address;
use tokio::sync::{mpsc, Notify};

use crate::config::Settings;
use crate::decode::{decode_transaction, DecodedTx, ProgramAccount, RawTx};
use crate::sink::{AccountKind, AccountUpdate, Batch, Checkpoint, IngestError, Sink, SinkError};
use crate::source::{self, AccountData, RpcPool, SourceError};

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

/// Transactions per batch while tailing, at most (the backfill uses `batch_size`). A
/// caught-up round is one or two slots, so one small batch; a round that fell behind
/// lists more, and larger batches let it catch up with fewer commits and account reads.
pub const TAIL_BATCH: usize = 512;

/// A slot with at least this many of the program's transactions is fetched with one
/// getBlock rather than a getTransaction per transaction: a node finds a transaction by
/// reading its whole block, so a dense slot costs one block read instead of dozens. Below
/// it, a mainnet block (megabytes of JSON, mostly other programs') costs more than the
/// few transactions.
pub const BLOCK_FETCH_MIN: usize = 8;

/// The transactions `sigs` (all in `slot`), in order: a getTransaction for one, a
/// getBlock for several; any the block did not list are fetched one by one.
async fn fetch_unit(
    rpc: &RpcPool,
    sigs: &[String],
    slot: u64,
    commitment: &str,
) -> Result<Vec<RawTx>, SourceError> {
    if let [sig] = sigs {
        return Ok(vec![source::fetch_transaction(rpc, sig, commitment).await?]);
    }
    let wanted: HashSet<&str> = sigs.iter().map(String::as_str).collect();
    let mut found: HashMap<String, RawTx> = source::fetch_block(rpc, slot, &wanted, commitment)
        .await?
        .into_iter()
        .map(|t| (t.signature.clone(), t))
        .collect();
    let mut out = Vec::with_capacity(sigs.len());
    for sig in sigs {
        match found.remove(sig) {
            Some(t) => out.push(t),
            None => out.push(source::fetch_transaction(rpc, sig, commitment).await?),
        }
    }
    Ok(out)
}

/// `sigs` cut into runs of about `size`, never splitting a slot: a slot's transactions
/// are fetched together and the checkpoint lands on a slot's end.
pub fn slot_aligned(sigs: &[source::SignatureInfo], size: usize) -> Vec<&[source::SignatureInfo]> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < sigs.len() {
        let mut end = (start + size.max(1)).min(sigs.len());
        while end < sigs.len() && sigs[end].slot == sigs[end - 1].slot {
            end += 1;
        }
        out.push(&sigs[start..end]);
        start = end;
    }
    out
}

/// Turns what was read into account rows: program accounts by kind, vaults by the
/// organizers in `vaults` (those read here are added). Unknown layouts become errors.
fn classify(
    program: &Address,
    vaults: &mut HashMap<Address, Address>,
    slot: u64,
    read: Vec<(Address, AccountData)>,
) -> (Vec<AccountUpdate>, Vec<IngestError>) {
    let mut updates = Vec::new();
    let mut errors = Vec::new();
    let mut others = Vec::new();
    for (address, acc) in read {
        if acc.owner != *program {
            others.push((address, acc));
            continue;
        }
        match ProgramAccount::decode(&acc.data) {
            Ok(a) => {
                if let ProgramAccount::Organizer(_) = &a {
                    vaults.insert(bitticket_client::vault_pda(&address), address);
                }
                updates.push(AccountUpdate {
                    address,
                    slot,
                    lamports: acc.lamports,
                    kind: AccountKind::Program(a),
                });
            }
            Err(e) => errors.push(IngestError {
                signature: None,
                account: Some(address),
                slot,
                kind: "bad_account".into(),
                detail: e.to_string(),
            }),
        }
    }
    for (address, acc) in others {
        if let Some(organizer) = vaults.get(&address) {
            updates.push(AccountUpdate {
                address,
                slot,
                lamports: acc.lamports,
                kind: AccountKind::Vault {
                    organizer: *organizer,
                },
            });
        }
    }
    (updates, errors)
}

/// Program accounts `read` at `slot`, classified, then the balance of every vault in
/// `vaults` (the organizers read here included), read at or after `slot`. Used by the
/// snapshot and by `verify`, so that both see the chain the same way.
pub async fn with_vaults(
    rpc: &RpcPool,
    program: &Address,
    commitment: &str,
    vaults: &mut HashMap<Address, Address>,
    slot: u64,
    read: Vec<(Address, AccountData)>,
) -> Result<(Vec<AccountUpdate>, Vec<IngestError>), IndexError> {
    let (mut updates, errors) = classify(program, vaults, slot, read);
    let keys: Vec<Address> = vaults.keys().copied().collect();
    if !keys.is_empty() {
        let (vslot, found) = source::accounts(rpc, &keys, commitment, slot).await?;
        let read: Vec<(Address, AccountData)> = keys
            .into_iter()
            .zip(found)
            .filter_map(|(k, a)| a.map(|a| (k, a)))
            .collect();
        updates.extend(classify(program, vaults, vslot, read).0);
    }
    Ok((updates, errors))
}

/// The default of `Indexer::finalize_chunk`.
pub const FINALIZE_CHUNK: usize = 256;

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

/// What the tail hands its writer, in order, with the epoch it was built in.
enum Write {
    Batch(Batch, usize),
    /// Every transaction at or below this slot has been handed over before it.
    Synced(u64),
}

/// What the cluster says of one transaction the mirror holds at `confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Final,
    NotYet,
    /// Unknown to the cluster, or finalized in another slot.
    Dropped,
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

    /// Reads every account that holds money again (each organizer's vault and every
    /// shard) and writes those whose balance differs from the mirror's: SOL sent to one by
    /// a plain transfer, which no program transaction records, is mirrored too. Returns how
    /// many changed. Slot-guarded like every account write.
    pub async fn refresh_balances(&mut self) -> Result<usize, IndexError> {
        let held = self.sink.balances().await?;
        if held.is_empty() {
            return Ok(0);
        }
        let keys: Vec<Address> = held.iter().map(|(a, _)| *a).collect();
        let mirror: HashMap<Address, Option<i64>> = held.into_iter().collect();
        let (updates, errors) = self.read_accounts(keys, 0).await?;
        let changed: Vec<AccountUpdate> = updates
            .into_iter()
            .filter(|u| {
                mirror.get(&u.address).copied().flatten() != Some(crate::sink::balance(u.lamports))
            })
            .collect();
        let n = changed.len();
        if n > 0 || !errors.is_empty() {
            self.sink
                .write(&Batch {
                    accounts: changed,
                    errors,
                    ..Batch::default()
                })
                .await?;
            metrics::counter!("indexer_balances_refreshed").increment(n as u64);
        }
        Ok(n)
    }

    fn classify(
        &mut self,
        slot: u64,
        read: Vec<(Address, AccountData)>,
    ) -> (Vec<AccountUpdate>, Vec<IngestError>) {
        classify(&self.program, &mut self.vaults, slot, read)
    }

    /// How many times the checkpoint has moved back (undos, failed writes) since start.
    pub fn epoch(&self) -> u64 {
        self.epoch.load(Ordering::SeqCst)
    }

    /// Reads `keys` at or after `min_slot` and classifies them.
    async fn read_accounts(
        &mut self,
        keys: Vec<Address>,
        min_slot: u64,
    ) -> Result<(Vec<AccountUpdate>, Vec<IngestError>), IndexError> {
        if keys.is_empty() {
            return Ok((vec![], vec![]));
        }
        let (slot, found) = source::accounts(&self.rpc, &keys, &self.commitment, min_slot).await?;
        let read: Vec<(Address, AccountData)> = keys
            .into_iter()
            .zip(found)
            .filter_map(|(k, a)| a.map(|a| (k, a)))
            .collect();
        Ok(self.classify(slot, read))
    }

    /// Every program account and vault, as the chain has them now.
    pub async fn snapshot(&mut self) -> Result<usize, IndexError> {
        let (slot, read) = source::program_accounts(
            &self.rpc,
            &self.program,
            ProgramAccount::DISCRIMINATORS,
            &self.commitment,
        )
        .await?;
        let (updates, errors) = with_vaults(
            &self.rpc,
            &self.program,
            &self.commitment,
            &mut self.vaults,
            slot,
            read,
        )
        .await?;
        let n = updates.len();
        self.sink
            .write(&Batch {
                accounts: updates,
                errors,
                ..Batch::default()
            })
            .await?;
        tracing::info!(accounts = n, slot, "snapshot written");
        Ok(n)
    }

    /// Everything after the checkpoint, oldest first, in batches.
    pub async fn catch_up(
        &mut self,
        on_batch: &(dyn Fn(usize, usize) + Sync),
    ) -> Result<Progress, IndexError> {
        let checkpoint = self.sink.checkpoint().await?;
        let (tip, sigs) = self.listing(checkpoint.as_ref()).await?;
        let total = sigs.len();
        if total == 0 {
            self.sink.mark_synced(tip).await?;
            return Ok(Progress::default());
        }
        let (tx, mut rx) = mpsc::channel::<(Batch, usize)>(2);
        let sink = self.sink.clone();
        let writer = tokio::spawn(async move {
            let mut events = 0;
            let mut last_slot = 0;
            while let Some((batch, n)) = rx.recv().await {
                events += write_batch(&sink, &batch, n).await?.events;
                if let Some(c) = &batch.checkpoint {
                    last_slot = c.slot;
                }
            }
            Ok::<_, SinkError>((events, last_slot))
        });
        let mut done = 0;
        let mut result = Ok(());
        for chunk in slot_aligned(&sigs, self.batch_size) {
            match self.build_batch(chunk).await {
                Ok(batch) => {
                    if tx.send((batch, chunk.len())).await.is_err() {
                        break;
                    }
                    done += chunk.len();
                    on_batch(done, total);
                }
                Err(e) => {
                    result = Err(e);
                    break;
                }
            }
        }
        drop(tx);
        let (events, last_slot) = writer.await.map_err(|_| IndexError::SinkGone)??;
        result?;
        self.sink.mark_synced(tip).await?;
        Ok(Progress {
            transactions: done,
            events,
            last_slot,
        })
    }

    /// The confirmed tip, and the program's signatures after `from` (all, when `None`),
    /// oldest first: every transaction at or below the tip is among them, since whichever
    /// node answers the listing must have reached the tip.
    async fn listing(
        &self,
        from: Option<&Checkpoint>,
    ) -> Result<(u64, Vec<source::SignatureInfo>), IndexError> {
        let (until, min_slot) = match from {
            Some(c) => (c.signature.as_deref(), c.slot),
            None => (None, 0),
        };
        let tip = source::slot(&self.rpc, &self.commitment).await?;
        let sigs = source::signatures_since(
            &self.rpc,
            &self.program,
            until,
            min_slot.max(tip),
            &self.commitment,
        )
        .await?;
        Ok((tip, sigs))
    }

    async fn build_batch(&mut self, chunk: &[source::SignatureInfo]) -> Result<Batch, IndexError> {
        let rpc = self.rpc.clone();
        let commitment = self.commitment.clone();
        let program = self.program;
        // a slot with many of our transactions is one getBlock; the others one
        // getTransaction each; all `concurrency` at a time, answers kept in order
        let units: Vec<(Vec<String>, u64)> = chunk
            .chunk_by(|a, b| a.slot == b.slot)
            .flat_map(|same_slot| {
                let sigs = same_slot.iter().map(|s| s.signature.clone());
                if same_slot.len() >= BLOCK_FETCH_MIN {
                    vec![(sigs.collect(), same_slot[0].slot)]
                } else {
                    sigs.map(|s| (vec![s], same_slot[0].slot)).collect()
                }
            })
            .collect();
        let fetched: Vec<Vec<DecodedTx>> =
            futures::stream::iter(units.into_iter().map(move |(sigs, slot)| {
                let rpc = rpc.clone();
                let commitment = commitment.clone();
                async move {
                    let raws = fetch_unit(&rpc, &sigs, slot, &commitment).await?;
                    Ok::<_, SourceError>(
                        raws.into_iter()
                            .map(|raw| decode_transaction(raw, &program))
                            .collect(),
                    )
                }
            }))
            .buffered(self.concurrency)
            .try_collect()
            .await?;
        let mut txs: Vec<DecodedTx> = fetched.into_iter().flatten().collect();
        let mut keys: HashSet<Address> = HashSet::new();
        for t in txs.iter().filter(|t| t.success) {
            keys.extend(t.writable.iter().copied());
            if t.logs_truncated {
                keys.extend(t.accounts.iter().copied());
            }
        }
        // the program's history only: not a transaction that merely names it
        txs.retain(|t| t.invoked);
        let max_slot = txs.iter().map(|t| t.slot).max().unwrap_or(0);
        let (accounts, errors) = self
            .read_accounts(keys.into_iter().collect(), max_slot)
            .await?;
        let checkpoint = chunk.last().map(|s| Checkpoint {
            slot: s.slot,
            signature: Some(s.signature.clone()),
        });
        Ok(Batch {
            txs,
            accounts,
            errors,
            checkpoint,
        })
    }

    /// Marks finalized slots; undoes slots the cluster dropped once the finalized root
    /// has passed them. A slot is final when every transaction the mirror holds for it is
    /// finalized in that slot; dropped when any is unknown or now sits in another slot.
    pub async fn finalize_step(&mut self) -> Result<(usize, usize), IndexError> {
        self.finalize_step_guarded(&tokio::sync::Mutex::new(()))
            .await
    }

    /// Finalize steps until one changes nothing: every slot the mirror holds at or below
    /// the finalized root is then final or undone, however many there are (`backfill` and
    /// `rebuild` end with it, so they finish the job they report).
    pub async fn finalize_all(&mut self) -> Result<(usize, usize), IndexError> {
        let (mut finalized, mut undone) = (0, 0);
        loop {
            let (f, u) = self.finalize_step().await?;
            if f + u == 0 {
                return Ok((finalized, undone));
            }
            finalized += f;
            undone += u;
        }
    }

    /// `finalize_step`, taking `writer` around an undo only: the tail holds it while it
    /// catches up, so an undo's checkpoint rewind never interleaves with a batch.
    pub async fn finalize_step_guarded(
        &mut self,
        writer: &tokio::sync::Mutex<()>,
    ) -> Result<(usize, usize), IndexError> {
        let root = source::slot(&self.rpc, "finalized").await?;
        let pending = self.sink.pending_slots(root, self.finalize_chunk).await?;
        if pending.is_empty() {
            return Ok((0, 0));
        }
        let sigs: Vec<String> = pending.iter().flat_map(|(_, s)| s.clone()).collect();
        let mut statuses = source::signature_statuses(&self.rpc, &sigs)
            .await?
            .into_iter();
        let mut final_slots = Vec::new();
        let mut dead = Vec::new();
        for (slot, sigs) in &pending {
            // every status of the slot is consumed, whatever the verdict
            let fates: Vec<Fate> = statuses
                .by_ref()
                .take(sigs.len())
                .map(|st| match st {
                    Some(st) if st.slot == *slot => {
                        if st.confirmation_status.as_deref() == Some("finalized") {
                            Fate::Final
                        } else {
                            Fate::NotYet
                        }
                    }
                    _ => Fate::Dropped,
                })
                .collect();
            if fates.contains(&Fate::Dropped) {
                dead.push(*slot);
            } else if fates.iter().all(|f| *f == Fate::Final) {
                final_slots.push(*slot);
            }
        }
        self.sink.finalize(&final_slots).await?;
        if !dead.is_empty() {
            let _writing = writer.lock().await;
            tracing::warn!(?dead, "slots dropped by a fork: undoing what they wrote");
            metrics::counter!("indexer_slots_undone").increment(dead.len() as u64);
            let touched = self.sink.undo(&dead).await?;
            self.epoch.fetch_add(1, Ordering::SeqCst);
            let (updates, errors) = self.read_accounts(touched, 0).await?;
            self.sink.force_accounts(&updates).await?;
            if !errors.is_empty() {
                self.sink
                    .write(&Batch {
                        errors,
                        ..Batch::default()
                    })
                    .await?;
            }
        }
        Ok((final_slots.len(), dead.len()))
    }

    /// Follows the chain until `stop` is notified. Two stages overlap: this loop lists
    /// and fetches (on every websocket wake-up or poll tick) from a cursor of its own,
    /// while a writer task writes what it hands over, in order; a finalizer task marks
    /// finality every two seconds. When the checkpoint moves back (a fork's undo, a failed
    /// write) the epoch changes: the writer drops what was built before, and the cursor
    /// returns to the checkpoint. Errors are logged and retried.
    pub async fn run(
        &mut self,
        ws_urls: Vec<String>,
        poll: Duration,
        stop: Arc<Notify>,
    ) -> Result<(), IndexError> {
        if self.sink.checkpoint().await?.is_none() {
            self.snapshot().await?;
        }
        let wake = Arc::new(Notify::new());
        let ws = tokio::spawn(source::wake::run(ws_urls, self.program, wake.clone()));
        let lock = Arc::new(tokio::sync::Mutex::new(()));
        let mut finalizer = self.sibling();
        let fin_lock = lock.clone();
        let fin = tokio::spawn(async move {
            loop {
                tokio::time::sleep(Duration::from_secs(2)).await;
                if let Err(e) = finalizer.finalize_step_guarded(&fin_lock).await {
                    tracing::error!(error = %e, "finalize step failed; retrying");
                }
            }
        });
        let mut balances = self.sibling();
        let bal_lock = lock.clone();
        let bal = tokio::spawn(async move {
            loop {
                tokio::time::sleep(balances.balance_every).await;
                let _writing = bal_lock.lock().await;
                if let Err(e) = balances.refresh_balances().await {
                    tracing::error!(error = %e, "balance refresh failed; retrying");
                }
            }
        });
        let (tx, rx) = mpsc::channel::<(Write, u64)>(2);
        let writer = tokio::spawn(write_stage(self.sink.clone(), rx, lock, self.epoch.clone()));
        let mut epoch = self.epoch.load(Ordering::SeqCst);
        let mut cursor = self.sink.checkpoint().await?;
        let mut last_lag = Instant::now();
        loop {
            let now = self.epoch.load(Ordering::SeqCst);
            if now != epoch {
                epoch = now;
                cursor = self.sink.checkpoint().await?;
            }
            match self.tail_round(&mut cursor, &tx, epoch).await {
                Ok(0) => {}
                Ok(n) => tracing::debug!(transactions = n, "handed over"),
                Err(IndexError::SinkGone) => break,
                Err(e) => tracing::error!(error = %e, "tail round failed; retrying"),
            }
            if last_lag.elapsed() > Duration::from_secs(2) {
                last_lag = Instant::now();
                if let (Ok(tip), Ok(Some(synced))) = (
                    source::slot(&self.rpc, &self.commitment).await,
                    self.sink.synced_slot().await,
                ) {
                    metrics::gauge!("indexer_slot_lag").set(tip.saturating_sub(synced) as f64);
                }
            }
            tokio::select! {
                _ = stop.notified() => break,
                _ = wake.notified() => {}
                _ = tokio::time::sleep(poll) => {}
            }
        }
        ws.abort();
        fin.abort();
        bal.abort();
        drop(tx);
        // what was handed over is written before run returns
        writer.await.map_err(|_| IndexError::SinkGone)?;
        Ok(())
    }

    /// One round of the tail: lists after `cursor`, hands slot-aligned batches of
    /// `TAIL_BATCH` to the writer, moving `cursor` along, then the tip it listed from.
    async fn tail_round(
        &mut self,
        cursor: &mut Option<Checkpoint>,
        tx: &mpsc::Sender<(Write, u64)>,
        epoch: u64,
    ) -> Result<usize, IndexError> {
        let (tip, sigs) = self.listing(cursor.as_ref()).await?;
        for chunk in slot_aligned(&sigs, TAIL_BATCH) {
            let batch = self.build_batch(chunk).await?;
            let next = batch.checkpoint.clone();
            tx.send((Write::Batch(batch, chunk.len()), epoch))
                .await
                .map_err(|_| IndexError::SinkGone)?;
            *cursor = next;
        }
        tx.send((Write::Synced(tip), epoch))
            .await
            .map_err(|_| IndexError::SinkGone)?;
        Ok(sigs.len())
    }
}

/// Writes one batch of `n` transactions and records it in the metrics.
async fn write_batch(
    sink: &Sink,
    batch: &Batch,
    n: usize,
) -> Result<crate::sink::Written, SinkError> {
    let t0 = Instant::now();
    let w = sink.write(batch).await?;
    metrics::histogram!("indexer_batch_seconds").record(t0.elapsed().as_secs_f64());
    metrics::counter!("indexer_transactions").increment(n as u64);
    if let Some(c) = &batch.checkpoint {
        metrics::gauge!("indexer_mirrored_slot").set(c.slot as f64);
    }
    Ok(w)
}

/// The tail's writer: writes what it is handed, in order, under the writer lock (so a
/// fork's undo never interleaves with a batch), skipping what was built in an older
/// epoch. A failed write bumps the epoch: the tail lists again from the checkpoint.
async fn write_stage(
    sink: Sink,
    mut rx: mpsc::Receiver<(Write, u64)>,
    lock: Arc<tokio::sync::Mutex<()>>,
    epoch: Arc<AtomicU64>,
) {
    while let Some((write, built_in)) = rx.recv().await {
        let _writing = lock.lock().await;
        if built_in != epoch.load(Ordering::SeqCst) {
            continue;
        }
        let done = match &write {
            Write::Batch(batch, n) => write_batch(&sink, batch, *n).await.map(|_| ()),
            Write::Synced(tip) => sink.mark_synced(*tip).await,
        };
        if let Err(e) = done {
            tracing::error!(error = %e, "write failed; the tail lists again from the checkpoint");
            epoch.fetch_add(1, Ordering::SeqCst);
        }
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

#[cfg(test)]
mod tests {
    use super::slot_aligned;
    use crate::source::SignatureInfo;

    fn sigs(slots: &[u64]) -> Vec<SignatureInfo> {
        slots
            .iter()
            .enumerate()
            .map(|(i, s)| SignatureInfo {
                signature: i.to_string(),
                slot: *s,
                err: None,
            })
            .collect()
    }

    fn lens(slots: &[u64], size: usize) -> Vec<usize> {
        let s = sigs(slots);
        slot_aligned(&s, size).iter().map(|c| c.len()).collect()
    }

    #[test]
    fn batches_never_split_a_slot() {
        assert_eq!(lens(&[1, 2, 3, 4, 5], 2), vec![2, 2, 1]);
        assert_eq!(lens(&[1, 2, 2, 2, 3, 4], 2), vec![4, 2]);
        assert_eq!(lens(&[7, 7, 7, 7], 1), vec![4]);
        assert_eq!(lens(&[1, 1, 2, 2], 0), vec![2, 2]);
        assert!(lens(&[], 3).is_empty());
        // every signature once, in order
        let s = sigs(&[1, 1, 2, 3, 3, 3, 4, 5, 5]);
        let joined: Vec<&str> = slot_aligned(&s, 2)
            .into_iter()
            .flatten()
            .map(|x| x.signature.as_str())
            .collect();
        let want: Vec<String> = (0..9).map(|i| i.to_string()).collect();
        assert_eq!(joined, want);
    }
}
