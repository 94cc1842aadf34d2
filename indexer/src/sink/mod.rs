//! Sink: one batch, one Postgres transaction. Account rows are slot-guarded upserts;
//! history rows are inserted once (ON CONFLICT DO NOTHING on (signature, event_index));
//! the checkpoint moves forward in the same transaction, so a crash anywhere leaves
//! either the whole batch with its checkpoint or neither. Rows go in as arrays through
//! `UNNEST`, one statement per table, over prepared (cached) statements. A batch that
//! Postgres refuses for its data (one hostile row) is written again row by row, each
//! account and each transaction under a savepoint: the refused one goes to `ingest_errors`
//! with its address or signature, and the rest and the checkpoint are written.
mod accounts;
mod history;
mod monitor;
pub mod pgtext;

use std::collections::HashMap;

use solana_address::Address;
use sqlx::{Acquire, PgPool, Postgres, Transaction};

use crate::decode::DecodedTx;

pub use accounts::AccountKind;

#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("postgres: {0}")]
    Db(#[from] sqlx::Error),
}

/// An account as read at `slot`.
#[derive(Debug, Clone)]
pub struct AccountUpdate {
    pub address: Address,
    pub slot: u64,
    pub lamports: u64,
    pub kind: AccountKind,
}

/// Where a stream got to: the last transaction (signature) it wrote, at `slot`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub slot: u64,
    pub signature: Option<String>,
}

/// A problem kept in `ingest_errors`: what, where, and why.
#[derive(Debug, Clone)]
pub struct IngestError {
    pub signature: Option<String>,
    pub account: Option<Address>,
    pub slot: u64,
    pub kind: String,
    pub detail: String,
}

#[derive(Debug, Default)]
pub struct Batch {
    pub txs: Vec<DecodedTx>,
    pub accounts: Vec<AccountUpdate>,
    pub errors: Vec<IngestError>,
    pub checkpoint: Option<Checkpoint>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub transactions: u64,
    pub events: u64,
    pub accounts: u64,
}

/// The only stream the indexer keeps today; the table allows more.
pub const STREAM: &str = "program";

/// A u64 that is an account's balance or a slot: all SOL ever minted fits in an i64, and
/// so do slots. Amounts a wallet chooses (an event's price, and what copies or sums it)
/// go to numeric(20) columns as text instead, whole.
pub fn balance(v: u64) -> i64 {
    lamports(v)
}

pub(crate) fn lamports(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

#[derive(Clone)]
pub struct Sink {
    pub pool: PgPool,
}

impl Sink {
    pub fn new(pool: PgPool) -> Self {
        Self { pool }
    }

    pub async fn migrate(&self) -> Result<(), sqlx::migrate::MigrateError> {
        bitticket_db::MIGRATOR.run(&self.pool).await
    }

    /// Applies the migrations when this role may (the tables' owner); otherwise (the
    /// indexer's own role, which owns nothing) checks that every migration this binary
    /// knows has been applied by the owner, and refuses to start if one has not.
    pub async fn migrate_or_check(&self) -> Result<(), sqlx::migrate::MigrateError> {
        let Err(refused) = self.migrate().await else {
            return Ok(());
        };
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .map_err(|_| refused_migration(&refused))?;
        let migrator = &bitticket_db::MIGRATOR;
        if migrator.iter().all(|m| applied.contains(&m.version)) {
            tracing::info!("migrations applied by the tables' owner; this role only checked them");
            Ok(())
        } else {
            Err(refused_migration(&refused))
        }
    }

    /// Writes a batch: accounts first (history rows find their organizer through the
    /// event accounts), then transactions, events, errors, alerts and the checkpoint.
    pub async fn write(&self, batch: &Batch) -> Result<Written, SinkError> {
        let written = match self.write_whole(batch).await {
            Err(SinkError::Db(e)) if refused_data(&e) => {
                tracing::warn!(error = %e, "Postgres refused a row of the batch; writing it row by row");
                metrics::counter!("indexer_batches_isolated").increment(1);
                self.write_row_by_row(batch).await?
            }
            r => r?,
        };
        metrics::counter!("indexer_rows_events").increment(written.events);
        metrics::counter!("indexer_rows_transactions").increment(written.transactions);
        Ok(written)
    }

    async fn write_whole(&self, batch: &Batch) -> Result<Written, SinkError> {
        let mut tx = self.pool.begin().await?;
        let written = write_in(&mut tx, batch, false).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// The batch again, each account (organizers and events first, as in `write_in`) and
    /// each transaction under a savepoint of its own.
    async fn write_row_by_row(&self, batch: &Batch) -> Result<Written, SinkError> {
        let mut tx = self.pool.begin().await?;
        let mut written = Written::default();
        let mut errors = Vec::new();
        let mut updates: Vec<&AccountUpdate> = batch.accounts.iter().collect();
        updates.sort_by_key(|u| accounts::write_order(&u.kind));
        for u in updates {
            let mut row = (&mut tx).begin().await?;
            match accounts::write(&mut row, std::slice::from_ref(u), false).await {
                Ok(n) => {
                    row.commit().await?;
                    written.accounts += n;
                }
                Err(SinkError::Db(e)) if refused_data(&e) => {
                    row.rollback().await?;
                    errors.push(IngestError {
                        signature: None,
                        account: Some(u.address),
                        slot: u.slot,
                        kind: "unwritable_account".into(),
                        detail: refusal(&e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        for x in &batch.txs {
            let mut row = (&mut tx).begin().await?;
            match history::write(&mut row, std::slice::from_ref(x)).await {
                Ok((transactions, events, problems)) => {
                    row.commit().await?;
                    written.transactions += transactions;
                    written.events += events;
                    errors.extend(problems);
                }
                Err(SinkError::Db(e)) if refused_data(&e) => {
                    row.rollback().await?;
                    errors.push(IngestError {
                        signature: Some(x.signature.clone()),
                        account: None,
                        slot: x.slot,
                        kind: "unwritable_transaction".into(),
                        detail: refusal(&e),
                    });
                }
                Err(e) => return Err(e),
            }
        }
        finish(&mut tx, batch, errors).await?;
        tx.commit().await?;
        Ok(written)
    }

    /// Account rows written whatever slot they hold (after a fork's undo).
    pub async fn force_accounts(&self, updates: &[AccountUpdate]) -> Result<(), SinkError> {
        let mut tx = self.pool.begin().await?;
        accounts::write(&mut tx, updates, true).await?;
        tx.commit().await?;
        Ok(())
    }

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

async fn write_in(
    tx: &mut Transaction<'_, Postgres>,
    batch: &Batch,
    force: bool,
) -> Result<Written, SinkError> {
    let accounts = accounts::write(tx, &batch.accounts, force).await?;
    let (transactions, events, errors) = history::write(tx, &batch.txs).await?;
    finish(tx, batch, errors).await?;
    Ok(Written {
        transactions,
        events,
        accounts,
    })
}

fn refused_migration(e: &sqlx::migrate::MigrateError) -> sqlx::migrate::MigrateError {
    tracing::error!(error = %e, "migrations are not applied and this role cannot apply them: run `bitticket-indexer migrate` with the owner's DATABASE_URL");
    sqlx::migrate::MigrateError::Execute(sqlx::Error::Protocol(format!(
        "migrations not applied and this role cannot apply them ({e}): run `bitticket-indexer migrate` as the tables' owner"
    )))
}

/// Postgres refused the data itself (SQLSTATE classes 22 data exception, 23 integrity
/// constraint, 54 program limit), or it could not be encoded: writing the same rows again
/// would fail the same way, unlike a lost connection.
fn refused_data(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::Database(d) => d
            .code()
            .is_some_and(|c| c.starts_with("22") || c.starts_with("23") || c.starts_with("54")),
        sqlx::Error::Encode(_) => true,
        _ => false,
    }
}

/// Why Postgres refused a row, for `ingest_errors`: its code and message, which name the
/// problem and not the value.
fn refusal(e: &sqlx::Error) -> String {
    let d = match e {
        sqlx::Error::Database(d) => format!("{}: {}", d.code().unwrap_or_default(), d.message()),
        other => other.to_string(),
    };
    d.chars().take(300).collect()
}

/// What follows the rows of a batch: its problems (the decoder's and the sink's), the
/// monitoring alerts and the checkpoint.
async fn finish(
    tx: &mut Transaction<'_, Postgres>,
    batch: &Batch,
    mut errors: Vec<IngestError>,
) -> Result<(), SinkError> {
    errors.extend(batch.errors.iter().cloned());
    history::write_errors(tx, &errors).await?;
    monitor::alerts(tx, &batch.txs).await?;
    if let Some(c) = &batch.checkpoint {
        sqlx::query(
            "INSERT INTO checkpoints (stream, slot, signature, synced_slot) VALUES ($1, $2, $3, $2)
             ON CONFLICT (stream) DO UPDATE SET slot = excluded.slot, signature = excluded.signature,
               synced_slot = GREATEST(checkpoints.synced_slot, excluded.slot), updated_at = now()
             WHERE checkpoints.slot <= excluded.slot",
        )
        .bind(STREAM)
        .bind(lamports(c.slot))
        .bind(&c.signature)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Account rows into whatever tables `organizers`, `events`... resolve to in this
/// transaction (the temporary tables of `verify`), without a slot guard.
pub async fn write_accounts(
    tx: &mut Transaction<'_, Postgres>,
    updates: &[AccountUpdate],
) -> Result<u64, SinkError> {
    accounts::write(tx, updates, true).await
}
