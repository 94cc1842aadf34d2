//! The keys in `qr_keys`: the one to issue with (a new one once the newest is older than
//! the rotation period), issuing a payload under it, and opening a payload under the key
//! it names while that key is within rotation plus grace.
use sqlx::PgPool;

use super::{random, seal, split, unseal, Claim, QrError, QrKeys};
use bitticket_client::pass::Pass;

use crate::domain::AccountAddress;
use crate::error::ApiError;

/// A stored key, wrapped under the master key of `master_version`.
#[derive(sqlx::FromRow)]
struct StoredKey {
    kid: i32,
    wrap_format: i16,
    master_version: i32,
    wrapped: Vec<u8>,
}

/// Instances serialise a key's creation on this transaction-scoped advisory lock.
const LOCK_KEYS: &str = "SELECT pg_advisory_xact_lock(hashtext('bitticket.qr_keys'))";

/// The newest key younger than `$1` seconds.
const NEWEST_KEY: &str = "SELECT kid, wrap_format, master_version, wrapped FROM qr_keys
     WHERE created_at > now() - make_interval(secs => $1)
     ORDER BY kid DESC LIMIT 1";

/// The key `$1`, if younger than `$2` seconds.
const LIVE_KEY: &str = "SELECT kid, wrap_format, master_version, wrapped FROM qr_keys
     WHERE kid = $1 AND created_at > now() - make_interval(secs => $2)";

/// A new key's id, drawn before its wrap (which binds it).
const NEXT_KID: &str = "SELECT nextval('qr_keys_kid_seq')::int";

/// A new key (`$1` kid, `$2` wrapped, `$3` master version), in wrap format 2.
const INSERT_KEY: &str = "INSERT INTO qr_keys (kid, wrapped, wrap_format, master_version)
     VALUES ($1, $2, 2, $3)";

impl QrKeys {
    fn unwrap_stored(&self, k: &StoredKey) -> Result<[u8; 32], ApiError> {
        self.unwrap_key(k.kid as u32, k.wrap_format, k.master_version, &k.wrapped)
    }

    /// The key to issue with now: the newest one younger than the rotation period, or a
    /// new one (instances serialise its creation on an advisory lock). Its id is drawn
    /// first, so that the wrap can bind it.
    async fn current(&self, pool: &PgPool) -> Result<(u32, [u8; 32]), ApiError> {
        let mut tx = pool.begin().await?;
        sqlx::query(LOCK_KEYS).execute(&mut *tx).await?;
        let newest: Option<StoredKey> = sqlx::query_as(NEWEST_KEY)
            .bind(self.rotate_secs)
            .fetch_optional(&mut *tx)
            .await?;
        let (kid, key) = match newest {
            Some(k) => (k.kid as u32, self.unwrap_stored(&k)?),
            None => {
                let key = random::<32>();
                let kid: i32 = sqlx::query_scalar(NEXT_KID).fetch_one(&mut *tx).await?;
                sqlx::query(INSERT_KEY)
                    .bind(kid)
                    .bind(self.wrap(kid as u32, &key)?)
                    .bind(self.master.0 as i32)
                    .execute(&mut *tx)
                    .await?;
                tracing::info!(kid, master_version = self.master.0, "QR key rotated");
                (kid as u32, key)
            }
        };
        tx.commit().await?;
        Ok((kid, key))
    }

    /// A payload for `ticket` of `organizer` held by `holder`, expiring `ttl_secs` from now;
    /// with the holder's `pass` (verified by the caller), carrying it and expiring with it.
    pub async fn issue(
        &self,
        pool: &PgPool,
        organizer: AccountAddress,
        ticket: AccountAddress,
        holder: AccountAddress,
        pass: Option<&Pass>,
    ) -> Result<(String, u32, i64), ApiError> {
        let (kid, key) = self.current(pool).await?;
        // a code with the holder's pass lives as long as the pass
        let expires_at = match pass {
            Some(p) => p.expires_at,
            None => time::OffsetDateTime::now_utc().unix_timestamp() + self.ttl_secs,
        };
        let payload = seal(
            &key,
            kid,
            &organizer,
            &Claim {
                ticket,
                holder,
                expires_at,
                pass: pass.map(|p| bs58::encode(p.signature).into_string()),
            },
        )
        .map_err(ApiError::internal)?;
        Ok((payload, kid, expires_at))
    }

    /// Opens `payload` at `organizer`'s gate with its key, if that key is within rotation
    /// plus grace. Another organizer's payload is refused before any key is looked up.
    pub async fn open(
        &self,
        pool: &PgPool,
        organizer: &AccountAddress,
        payload: &str,
    ) -> Result<Result<Claim, QrError>, ApiError> {
        let (kid, named, rest) = match split(payload) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        if named != *organizer {
            return Ok(Err(QrError::OtherOrganizer));
        }
        let stored: Option<StoredKey> = sqlx::query_as(LIVE_KEY)
            .bind(kid.min(i32::MAX as u32) as i32)
            .bind(self.rotate_secs + self.grace_secs)
            .fetch_optional(pool)
            .await?;
        let Some(stored) = stored else {
            return Ok(Err(QrError::UnknownKey));
        };
        // opened under the kid the payload names: the wrap binds it
        let key = self.unwrap_key(
            kid,
            stored.wrap_format,
            stored.master_version,
            &stored.wrapped,
        )?;
        Ok(unseal(
            &key,
            kid,
            organizer,
            &rest,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        ))
    }
}
