//! Every read runs in a transaction that first names the caller for row-level security:
//! `bitticket.wallet` (the signed-in wallet) and `bitticket.tenant` (the organizer RBAC
//! allowed), both `SET LOCAL` so that they end with the transaction and never leak to the
//! next request on a pooled connection.
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{Postgres, Transaction};

use crate::domain::AccountAddress;

/// Who the database should see: RLS policies read these two settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope {
    pub wallet: Option<AccountAddress>,
    pub tenant: Option<AccountAddress>,
}

pub async fn connect(url: &str, size: u32) -> Result<PgPool, sqlx::Error> {
    PgPoolOptions::new()
        .max_connections(size)
        .acquire_timeout(std::time::Duration::from_secs(3))
        .connect(url)
        .await
}

/// Begins a transaction scoped to `scope`.
pub async fn begin(
    pool: &PgPool,
    scope: Scope,
) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query(
        "SELECT set_config('bitticket.wallet', $1, true), set_config('bitticket.tenant', $2, true)",
    )
    .bind(scope.wallet.map(|w| w.to_string()).unwrap_or_default())
    .bind(scope.tenant.map(|t| t.to_string()).unwrap_or_default())
    .execute(&mut *tx)
    .await?;
    Ok(tx)
}
