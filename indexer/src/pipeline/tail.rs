//! Catching up and following the chain: batches built here are written by a writer task,
//! in order, each with its checkpoint; the tail's cursor returns to the checkpoint when
//! the epoch changes (a fork's undo, a failed write).
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, Notify};

use super::{slot_aligned, IndexError, Indexer, Progress};
use crate::sink::{Batch, Checkpoint, Sink, SinkError};
use crate::source;

/// Transactions per batch while tailing, at most (the backfill uses `batch_size`). A
/// caught-up round is one or two slots, so one small batch; a round that fell behind
/// lists more, and larger batches let it catch up with fewer commits and account reads.
pub const TAIL_BATCH: usize = 512;

/// What the tail hands its writer, in order, with the epoch it was built in.
enum Write {
    Batch(Batch, usize),
    /// Every transaction at or below this slot has been handed over before it.
    Synced(u64),
}

impl Indexer {
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
