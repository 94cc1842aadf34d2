//! Sink: one batch, one Postgres transaction. Account rows are slot-guarded upserts;
//! history rows are inserted once (ON CONFLICT DO NOTHING on (signature, event_index));
//! the checkpoint moves forward in the same transaction, so a crash anywhere leaves
//! either the whole batch with its checkpoint or neither. Rows go in as arrays through
//! `UNNEST`, one statement per table, over prepared (cached) statements. A batch that
//! Postgres refuses for its data (one hostile row) is written again row by row, each
//! account and each transaction under a savepoint: the refused one goes to `ingest_errors`
//! with its address or signature, and the rest and the checkpoint are written.
mod accounts;
mod fork;
mod history;
mod isolate;
mod monitor;
pub mod pgtext;
mod state;

use solana_address::Address;
use sqlx::{PgPool, Postgres, Transaction};

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
            Err(SinkError::Db(e)) if isolate::refused_data(&e) => {
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

    /// Account rows written whatever slot they hold (after a fork's undo).
    pub async fn force_accounts(&self, updates: &[AccountUpdate]) -> Result<(), SinkError> {
        let mut tx = self.pool.begin().await?;
        accounts::write(&mut tx, updates, true).await?;
        tx.commit().await?;
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
