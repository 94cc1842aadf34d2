//! Sign-out ends a wallet's access tokens, not only its refresh family: it sets the
//! wallet's not-before (`wallet_not_before`, in Postgres, so every instance sees it), and
//! an access token the wallet was issued before that moment (to the millisecond) is
//! refused. Each instance
//! reads a wallet's not-before at most once per `ttl` (a few seconds: the time another
//! instance may still accept such a token), beside the verified-token cache.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::PgPool;

use crate::domain::AccountAddress;
use crate::error::ApiError;

/// Wallets whose not-before is held before the cache is swept.
const MAX_WALLETS: usize = 50_000;

pub struct NotBefore {
    ttl: Duration,
    cache: Mutex<HashMap<AccountAddress, (Instant, Option<i64>)>>,
}

impl NotBefore {
    pub fn new(ttl: Duration) -> Self {
        NotBefore {
            ttl,
            cache: Mutex::new(HashMap::new()),
        }
    }

    /// The wallet's not-before (Unix milliseconds), if it ever signed out.
    pub async fn get(
        &self,
        pool: &PgPool,
        wallet: &AccountAddress,
    ) -> Result<Option<i64>, ApiError> {
        if let Ok(cache) = self.cache.lock() {
            if let Some((read, nb)) = cache.get(wallet) {
                if read.elapsed() < self.ttl {
                    return Ok(*nb);
                }
            }
        }
        let nb: Option<i64> = sqlx::query_scalar(
            "SELECT floor(extract(epoch FROM not_before) * 1000)::bigint FROM wallet_not_before
             WHERE wallet = $1",
        )
        .bind(wallet.to_string())
        .fetch_optional(pool)
        .await?;
        self.remember(wallet, nb);
        Ok(nb)
    }

    /// Sets the wallet's not-before to now: its access tokens issued before this moment
    /// are refused from now on (here at once, elsewhere within `ttl`).
    pub async fn set(&self, pool: &PgPool, wallet: &AccountAddress) -> Result<(), ApiError> {
        let nb: i64 = sqlx::query_scalar(
            "INSERT INTO wallet_not_before (wallet, not_before) VALUES ($1, now())
             ON CONFLICT (wallet) DO UPDATE SET not_before = excluded.not_before
             RETURNING floor(extract(epoch FROM not_before) * 1000)::bigint",
        )
        .bind(wallet.to_string())
        .fetch_one(pool)
        .await?;
        self.remember(wallet, Some(nb));
        Ok(())
    }

    fn remember(&self, wallet: &AccountAddress, nb: Option<i64>) {
        if let Ok(mut cache) = self.cache.lock() {
            if cache.len() >= MAX_WALLETS {
                let ttl = self.ttl;
                cache.retain(|_, (read, _)| read.elapsed() < ttl);
                if cache.len() >= MAX_WALLETS {
                    cache.clear();
                }
            }
            cache.insert(*wallet, (Instant::now(), nb));
        }
    }
}
