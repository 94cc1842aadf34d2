//! One writer among several indexers: the writer holds a session-level Postgres advisory
//! lock on a connection of its own; the others try every `retry` and take over once the
//! writer's connection is gone (its process died, or Postgres dropped it). The writer
//! checks its lock connection every `retry` and stops when it is lost. Every write is
//! idempotent and slot-guarded, so the short overlap possible at a takeover cannot
//! corrupt the mirror.
use std::time::Duration;

use sqlx::{Connection, PgConnection, PgPool};

/// The lock's key: "BTIX" in ASCII.
pub const LOCK_KEY: i64 = 0x4254_4958;

pub struct Leadership {
    conn: PgConnection,
}

impl Leadership {
    /// Waits until this process holds the lock.
    pub async fn acquire(pool: &PgPool, retry: Duration) -> Result<Self, sqlx::Error> {
        let mut announced = false;
        loop {
            let mut conn = PgConnection::connect_with(&pool.connect_options()).await?;
            let got: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock($1)")
                .bind(LOCK_KEY)
                .fetch_one(&mut conn)
                .await?;
            if got {
                tracing::info!("holding the writer lock");
                metrics::gauge!("indexer_leader").set(1.0);
                return Ok(Self { conn });
            }
            if !announced {
                tracing::info!("another indexer writes; standing by");
                metrics::gauge!("indexer_leader").set(0.0);
                announced = true;
            }
            let _ = conn.close().await;
            tokio::time::sleep(retry).await;
        }
    }

    /// Resolves when the lock connection fails (the lock is then gone).
    pub async fn lost(&mut self, every: Duration) {
        loop {
            tokio::time::sleep(every).await;
            if self.conn.ping().await.is_err() {
                tracing::error!("writer lock connection lost");
                metrics::gauge!("indexer_leader").set(0.0);
                return;
            }
        }
    }
}
