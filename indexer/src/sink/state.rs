//! What the pipeline reads back from the mirror and the bookkeeping it moves: the
//! checkpoint, the synced slot, the balances held, the vaults known, the slots pending
//! finality.
use std::collections::HashMap;

use solana_address::Address;

use super::{lamports, Checkpoint, Sink, SinkError, STREAM};

impl Sink {
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, SinkError> {
        let row: Option<(i64, Option<String>)> =
            sqlx::query_as("SELECT slot, signature FROM checkpoints WHERE stream = $1")
                .bind(STREAM)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|(slot, signature)| Checkpoint {
            slot: slot as u64,
            signature,
        }))
    }

    /// The slot the mirror is complete through (see `mark_synced`); `None` before the
    /// first catch-up.
    pub async fn synced_slot(&self) -> Result<Option<u64>, SinkError> {
        let row: Option<i64> =
            sqlx::query_scalar("SELECT synced_slot FROM checkpoints WHERE stream = $1")
                .bind(STREAM)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|s| s as u64))
    }

    /// Records that every transaction of the program at or below `slot` is in the
    /// mirror (a catch-up listed the signatures after reading `slot` as the tip, and
    /// wrote them all). The checkpoint itself does not move, and is not created: before
    /// the program's first transaction there is nothing to lag behind.
    pub async fn mark_synced(&self, slot: u64) -> Result<(), SinkError> {
        sqlx::query(
            "UPDATE checkpoints SET synced_slot = GREATEST(synced_slot, $2) WHERE stream = $1",
        )
        .bind(STREAM)
        .bind(lamports(slot))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Every account that holds money with its balance in the mirror: each organizer's
    /// vault (`None` before the mirror has seen it funded) and every shard.
    pub async fn balances(&self) -> Result<Vec<(Address, Option<i64>)>, SinkError> {
        let rows: Vec<(String, Option<i64>)> = sqlx::query_as(
            "SELECT o.vault, v.lamports FROM organizers o LEFT JOIN vaults v ON v.address = o.vault
             UNION ALL SELECT pubkey, lamports FROM shards",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(a, l)| Some((a.parse().ok()?, l)))
            .collect())
    }

    /// Vault address -> organizer, for telling vault balances apart from other
    /// system accounts a transaction writes.
    pub async fn vaults(&self) -> Result<HashMap<Address, Address>, SinkError> {
        let rows: Vec<(String, String)> = sqlx::query_as("SELECT vault, pubkey FROM organizers")
            .fetch_all(&self.pool)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(v, o)| Some((v.parse().ok()?, o.parse().ok()?)))
            .collect())
    }

    /// The oldest `limit` slots written at `confirmed` and not finalized yet, at or below
    /// `upto`, with every signature each holds: a slot is final only when all of them
    /// are (a leader that produced two versions of a slot may have shared some of their
    /// transactions). Bounded, so that one finalize step stays short beside the tail.
    pub async fn pending_slots(
        &self,
        upto: u64,
        limit: usize,
    ) -> Result<Vec<(u64, Vec<String>)>, SinkError> {
        let rows: Vec<(i64, Vec<String>)> = sqlx::query_as(
            "SELECT t.slot, array_agg(t.signature ORDER BY t.signature) FROM transactions t
             WHERE t.slot IN (SELECT slot FROM slots WHERE status = 'confirmed' AND slot <= $1
                              ORDER BY slot LIMIT $2)
             GROUP BY t.slot ORDER BY t.slot",
        )
        .bind(lamports(upto))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().map(|(s, sigs)| (s as u64, sigs)).collect())
    }
}
