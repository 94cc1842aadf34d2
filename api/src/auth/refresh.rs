//! Refresh tokens: 32 random bytes handed out once, stored only as their SHA-256.
//! Each use rotates the token (the old one is spent, a new one of the same family is
//! issued); presenting a spent or revoked token revokes the whole family, so a stolen
//! token dies with its thief's successors. Sign-out revokes the family. A family lives at
//! most `family_ttl` from its sign-in, however often it rotates. Rotation and sign-out
//! both lock the presented token's row first, so a sign-out racing a refresh of the same
//! token either runs after it (and revokes the token it issued) or before it (and the
//! refresh finds a revoked token).
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

use crate::domain::AccountAddress;
use crate::error::ApiError;

fn hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

fn fresh() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// A new family's first token for `wallet`.
pub async fn issue(
    pool: &PgPool,
    wallet: &AccountAddress,
    ttl: std::time::Duration,
) -> Result<String, ApiError> {
    let token = fresh();
    sqlx::query(
        "INSERT INTO refresh_tokens (hash, family, wallet, expires_at)
         VALUES ($1, $2, $3, now() + make_interval(secs => $4))",
    )
    .bind(hash(&token))
    .bind(Uuid::new_v4())
    .bind(wallet.to_string())
    .bind(ttl.as_secs_f64())
    .execute(pool)
    .await?;
    Ok(token)
}

/// Spends `token` and returns its wallet and the family's next token; refuses (and
/// revokes the family of) a spent or revoked token, and refuses a family older than
/// `family_ttl`.
pub async fn rotate(
    pool: &PgPool,
    token: &str,
    ttl: std::time::Duration,
    family_ttl: std::time::Duration,
) -> Result<(AccountAddress, String), ApiError> {
    if token.len() > 128 {
        return Err(ApiError::Unauthorized);
    }
    let mut tx = pool.begin().await?;
    let row: Option<(Uuid, String, bool, bool)> = sqlx::query_as(
        "SELECT family, wallet, used_at IS NOT NULL OR revoked_at IS NOT NULL,
           expires_at <= now() OR family_started_at + make_interval(secs => $2) <= now()
         FROM refresh_tokens WHERE hash = $1 FOR UPDATE",
    )
    .bind(hash(token))
    .bind(family_ttl.as_secs_f64())
    .fetch_optional(&mut *tx)
    .await?;
    let Some((family, wallet, spent, expired)) = row else {
        return Err(ApiError::Unauthorized);
    };
    if spent {
        // a reuse: whoever holds this family's live token may be a thief
        sqlx::query(
            "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL",
        )
        .bind(family)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::warn!(%family, "a spent refresh token was presented: family revoked");
        return Err(ApiError::Unauthorized);
    }
    if expired {
        return Err(ApiError::Unauthorized);
    }
    let next = fresh();
    sqlx::query("UPDATE refresh_tokens SET used_at = now() WHERE hash = $1")
        .bind(hash(token))
        .execute(&mut *tx)
        .await?;
    // the family keeps its start: its absolute lifetime counts from the sign-in
    sqlx::query(
        "INSERT INTO refresh_tokens (hash, family, wallet, expires_at, family_started_at)
         SELECT $1, $2, $3, now() + make_interval(secs => $4), family_started_at
         FROM refresh_tokens WHERE hash = $5",
    )
    .bind(hash(&next))
    .bind(family)
    .bind(&wallet)
    .bind(ttl.as_secs_f64())
    .bind(hash(token))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let wallet = wallet
        .parse()
        .map_err(|_| ApiError::internal("stored wallet"))?;
    Ok((wallet, next))
}

/// Revokes the family of `token`, and returns its wallet when there was one. The
/// presented row is locked first: a refresh of the same token that is inserting the
/// family's next token finishes before this reads the family, so that token is revoked
/// too.
pub async fn revoke(pool: &PgPool, token: &str) -> Result<Option<AccountAddress>, ApiError> {
    if token.len() > 128 {
        return Ok(None);
    }
    let mut tx = pool.begin().await?;
    let row: Option<(Uuid, String)> =
        sqlx::query_as("SELECT family, wallet FROM refresh_tokens WHERE hash = $1 FOR UPDATE")
            .bind(hash(token))
            .fetch_optional(&mut *tx)
            .await?;
    let Some((family, wallet)) = row else {
        return Ok(None);
    };
    sqlx::query(
        "UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL",
    )
    .bind(family)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let wallet = wallet
        .parse()
        .map_err(|_| ApiError::internal("stored wallet"))?;
    Ok(Some(wallet))
}
