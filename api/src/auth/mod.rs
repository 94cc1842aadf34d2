//! Authentication: Sign-In With Solana (`siws`), access and service tokens (`tokens`),
//! refresh tokens (`refresh`), the per-wallet not-before that sign-out sets (`not_before`),
//! and single-use sign-in nonces (here).
pub mod not_before;
pub mod refresh;
pub mod siws;
pub mod tokens;

use rand::RngCore;
use sqlx::PgPool;

use crate::auth::siws::SignInError;
use crate::domain::AccountAddress;
use crate::error::ApiError;

/// A fresh nonce for `wallet`, valid for `ttl`. Nonces expired for an hour are swept on the
/// way (kept that long, a late sign-in with one is told `nonce_expired`, not `nonce_unknown`).
pub async fn issue_nonce(
    pool: &PgPool,
    wallet: &AccountAddress,
    ttl: std::time::Duration,
) -> Result<String, ApiError> {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    // alphanumeric, as the SIWS grammar asks of a nonce
    let nonce = bs58::encode(bytes).into_string();
    sqlx::query("DELETE FROM auth_nonces WHERE expires_at < now() - interval '1 hour'")
        .execute(pool)
        .await?;
    sqlx::query(
        "INSERT INTO auth_nonces (nonce, wallet, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))",
    )
    .bind(&nonce)
    .bind(wallet.to_string())
    .bind(ttl.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(nonce)
}

/// Consumes `nonce` for `wallet`: accepted once, while it is live and if it was issued to
/// that wallet. Any attempt spends it, refused or not.
pub async fn consume_nonce(
    pool: &PgPool,
    wallet: &AccountAddress,
    nonce: &str,
) -> Result<Result<(), SignInError>, ApiError> {
    let row: Option<(String, bool)> = sqlx::query_as(
        "DELETE FROM auth_nonces WHERE nonce = $1 RETURNING wallet, expires_at > now()",
    )
    .bind(nonce)
    .fetch_optional(pool)
    .await?;
    Ok(match row {
        None => Err(SignInError::NonceUnknown),
        Some((_, false)) => Err(SignInError::NonceExpired),
        Some((w, true)) if w != wallet.to_string() => Err(SignInError::NonceOtherWallet),
        Some(_) => Ok(()),
    })
}
