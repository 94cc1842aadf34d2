//! Every read runs in a transaction that first names the caller for row-level security:
//! `bitticket.wallet` (the signed-in wallet) and `bitticket.tenant` (the organizer RBAC
//! allowed), both `SET LOCAL` so that they end with the transaction and never leak to the
//! next request on a pooled connection. The public catalogue is read through
//! `begin_public`, as a role that may read the `catalogue` view and nothing else.
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

/// Begins a transaction as `bitticket_public` (`SET LOCAL ROLE`, ending with the
/// transaction): the role of the public catalogue, which may read the `catalogue` view and
/// nothing else, whoever asks (db/migrations/0011_public_catalogue.sql).
pub async fn begin_public(pool: &PgPool) -> Result<Transaction<'static, Postgres>, sqlx::Error> {
    let mut tx = pool.begin().await?;
    sqlx::query("SET LOCAL ROLE bitticket_public")
        .execute(&mut *tx)
        .await?;
    Ok(tx)
}
