//! Listing the program's signatures after a checkpoint and fetching them into batches: a
//! getBlock for a dense slot, a getTransaction for the others, decoded, with the accounts
//! they wrote read again at or after their slot.
use std::collections::{HashMap, HashSet};

use futures::{StreamExt, TryStreamExt};
use solana_address::Address;

use super::{IndexError, Indexer};
use crate::decode::{decode_transaction, DecodedTx, RawTx};
use crate::sink::{Batch, Checkpoint};
use crate::source::{self, RpcPool, SourceError};

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

impl Indexer {
    /// The confirmed tip, and the program's signatures after `from` (all, when `None`),
    /// oldest first: every transaction at or below the tip is among them, since whichever
    /// node answers the listing must have reached the tip.
    pub(super) async fn listing(
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

    pub(super) async fn build_batch(
        &mut self,
        chunk: &[source::SignatureInfo],
    ) -> Result<Batch, IndexError> {
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
