//! Finality and forks: slots marked final, what a dropped slot wrote undone (its history
//! rows deleted from every history table of the registry, the checkpoint rewound), and the
//! mirror emptied for `rebuild`.
use solana_address::Address;

use super::{lamports, Sink, SinkError, STREAM};

impl Sink {
    /// Marks `slots` final, and with them every row they wrote (a row is final when its
    /// slot is: one row per slot changes, not every history row).
    pub async fn finalize(&self, slots: &[u64]) -> Result<(), SinkError> {
        if slots.is_empty() {
            return Ok(());
        }
        let slots: Vec<i64> = slots.iter().map(|s| lamports(*s)).collect();
        sqlx::query("UPDATE slots SET status = 'finalized' WHERE slot = ANY($1)")
            .bind(&slots)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Undoes what `slots` (dropped by a fork) wrote: their history rows go, the
    /// checkpoint falls back to the newest transaction left. Returns the accounts those
    /// transactions wrote, which the caller re-reads and force-writes.
    pub async fn undo(&self, slots: &[u64]) -> Result<Vec<Address>, SinkError> {
        let slots: Vec<i64> = slots.iter().map(|s| lamports(*s)).collect();
        let mut tx = self.pool.begin().await?;
        // a final slot is never undone
        let slots: Vec<i64> = sqlx::query_scalar(
            "SELECT slot FROM slots WHERE slot = ANY($1) AND status = 'confirmed'",
        )
        .bind(&slots)
        .fetch_all(&mut *tx)
        .await?;
        let touched: Vec<(Vec<String>,)> =
            sqlx::query_as("SELECT accounts FROM transactions WHERE slot = ANY($1)")
                .bind(&slots)
                .fetch_all(&mut *tx)
                .await?;
        // everything after the first dropped transaction is fetched again: re-inserting
        // what survived is a no-op, and nothing of the surviving fork is skipped
        let fallback: Option<(i64, String)> = sqlx::query_as(
            "SELECT slot, signature FROM transactions
             WHERE seq < (SELECT min(seq) FROM transactions WHERE slot = ANY($1))
             ORDER BY seq DESC LIMIT 1",
        )
        .bind(&slots)
        .fetch_optional(&mut *tx)
        .await?;
        if !touched.is_empty() {
            let (slot, signature) = fallback.map_or((0, None), |(s, sig)| (s, Some(sig)));
            sqlx::query(
                "UPDATE checkpoints SET slot = $2, signature = $3, synced_slot = $2, updated_at = now()
                 WHERE stream = $1",
            )
            .bind(STREAM)
            .bind(slot)
            .bind(signature)
            .execute(&mut *tx)
            .await?;
        }
        for table in bitticket_db::tables::names(bitticket_db::Kind::History) {
            sqlx::query(&format!("DELETE FROM {table} WHERE slot = ANY($1)"))
                .bind(&slots)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query("DELETE FROM alerts WHERE slot = ANY($1)")
            .bind(&slots)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM slots WHERE slot = ANY($1)")
            .bind(&slots)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let mut out: Vec<Address> = touched
            .into_iter()
            .flat_map(|(a,)| a)
            .filter_map(|a| a.parse().ok())
            .collect();
        out.sort();
        out.dedup();
        Ok(out)
    }

    /// Empties the mirror (for `rebuild`), keeping the schema.
    pub async fn truncate(&self) -> Result<(), SinkError> {
        let tables = bitticket_db::tables::mirror();
        // no RESTART IDENTITY: that needs the sequences' owner, and the indexer's role owns
        // nothing (ids only need to grow)
        sqlx::query(&format!("TRUNCATE {}", tables.join(", ")))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
