//! Finality: a slot's rows become final when every transaction the mirror holds for it is
//! finalized in that slot; a slot a fork dropped is undone, and the accounts it wrote are
//! read again.
use std::sync::atomic::Ordering;

use super::{IndexError, Indexer};
use crate::sink::Batch;
use crate::source;

/// The default of `Indexer::finalize_chunk`.
pub const FINALIZE_CHUNK: usize = 256;

/// What the cluster says of one transaction the mirror holds at `confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Final,
    NotYet,
    /// Unknown to the cluster, or finalized in another slot.
    Dropped,
}

impl Indexer {
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
}
