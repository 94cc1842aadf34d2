//! Ticket QR codes: AES-256-GCM over (ticket, holder, expiry), under a key that rotates.
//!
//! A payload is `BT1.` + base64url(kid ‖ nonce ‖ ciphertext), the key id (4 bytes, big
//! endian) bound into the authenticated data, so a payload cannot be moved under another
//! key. Keys are random, stored in `qr_keys` wrapped (AES-256-GCM) under the master key
//! from the environment, and used to issue for `rotate`; a key still opens payloads for
//! `grace` after that, then never again.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::domain::AccountAddress;
use crate::error::ApiError;

const PREFIX: &str = "BT1.";
const PAYLOAD_AAD: &[u8] = b"bitticket-qr-v1";
const WRAP_AAD: &[u8] = b"bitticket-qr-key-v1";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QrError {
    #[error("not a BitTicket QR payload")]
    Malformed,
    #[error("the QR key is unknown or retired")]
    UnknownKey,
    #[error("the QR payload does not authenticate")]
    Forged,
    #[error("the QR code has expired")]
    Expired,
}

/// What a QR code says: this ticket, held by this wallet, until then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub ticket: AccountAddress,
    pub holder: AccountAddress,
    /// Unix seconds.
    pub expires_at: i64,
}

fn aad(kid: u32) -> Vec<u8> {
    let mut a = PAYLOAD_AAD.to_vec();
    a.extend_from_slice(&kid.to_be_bytes());
    a
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rng().fill_bytes(&mut b);
    b
}

/// Encrypts `claim` under `key` (id `kid`).
pub fn seal(key: &[u8; 32], kid: u32, claim: &Claim) -> Result<String, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let nonce = random::<12>();
    let plain = serde_json::to_vec(claim).map_err(|_| QrError::Malformed)?;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad(kid),
            },
        )
        .map_err(|_| QrError::Malformed)?;
    let mut out = kid.to_be_bytes().to_vec();
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
    ))
}

/// The key id a payload names, and the rest of it.
pub fn split(payload: &str) -> Result<(u32, Vec<u8>), QrError> {
    if payload.len() > 1024 {
        return Err(QrError::Malformed);
    }
    let body = payload.strip_prefix(PREFIX).ok_or(QrError::Malformed)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| QrError::Malformed)?;
    if raw.len() < 4 + 12 + 16 {
        return Err(QrError::Malformed);
    }
    let kid = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    Ok((kid, raw[4..].to_vec()))
}

/// Decrypts what `split` returned under `key`, and checks the expiry against `now`.
pub fn unseal(key: &[u8; 32], kid: u32, rest: &[u8], now: i64) -> Result<Claim, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let (nonce, ct) = rest.split_at(12);
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: &aad(kid),
            },
        )
        .map_err(|_| QrError::Forged)?;
    let claim: Claim = serde_json::from_slice(&plain).map_err(|_| QrError::Forged)?;
    if claim.expires_at <= now {
        return Err(QrError::Expired);
    }
    Ok(claim)
}

/// Pixels per QR module, and the quiet zone around the code, in modules.
const SCALE: usize = 8;
const QUIET: usize = 4;

/// `payload` as a black-on-white PNG QR code (error correction M).
pub fn png(payload: &str) -> Result<Vec<u8>, ApiError> {
    let code = qrcode::QrCode::with_error_correction_level(payload.as_bytes(), qrcode::EcLevel::M)
        .map_err(ApiError::internal)?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
        }
    }
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, side as u32, side as u32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(ApiError::internal)?;
    w.write_image_data(&pixels).map_err(ApiError::internal)?;
    w.finish().map_err(ApiError::internal)?;
    Ok(out)
}

/// The keys, wrapped under the master key in `qr_keys`.
pub struct QrKeys {
    master: Aes256Gcm,
    rotate_secs: f64,
    grace_secs: f64,
    pub ttl_secs: i64,
}

impl QrKeys {
    pub fn new(
        master: &[u8],
        rotate: std::time::Duration,
        grace: std::time::Duration,
        ttl: std::time::Duration,
    ) -> Result<Self, ApiError> {
        let master: [u8; 32] = master
            .try_into()
            .map_err(|_| ApiError::internal("QR master key is not 32 bytes"))?;
        Ok(QrKeys {
            master: Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&master)),
            rotate_secs: rotate.as_secs_f64(),
            grace_secs: grace.as_secs_f64(),
            ttl_secs: ttl.as_secs() as i64,
        })
    }

    fn wrap(&self, key: &[u8; 32]) -> Result<Vec<u8>, ApiError> {
        let nonce = random::<12>();
        let ct = self
            .master
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key,
                    aad: WRAP_AAD,
                },
            )
            .map_err(|_| ApiError::internal("wrap QR key"))?;
        Ok([nonce.as_slice(), &ct].concat())
    }

    fn unwrap_key(&self, wrapped: &[u8]) -> Result<[u8; 32], ApiError> {
        if wrapped.len() < 12 {
            return Err(ApiError::internal("stored QR key is malformed"));
        }
        let (nonce, ct) = wrapped.split_at(12);
        let key = self
            .master
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: WRAP_AAD,
                },
            )
            .map_err(|_| ApiError::internal("stored QR key does not open under the master key"))?;
        key.try_into()
            .map_err(|_| ApiError::internal("stored QR key is not 32 bytes"))
    }

    /// The key to issue with now: the newest one younger than the rotation period, or a
    /// new one (instances serialise its creation on an advisory lock).
    async fn current(&self, pool: &PgPool) -> Result<(u32, [u8; 32]), ApiError> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('bitticket.qr_keys'))")
            .execute(&mut *tx)
            .await?;
        let row: Option<(i32, Vec<u8>)> = sqlx::query_as(
            "SELECT kid, wrapped FROM qr_keys WHERE created_at > now() - make_interval(secs => $1)
             ORDER BY kid DESC LIMIT 1",
        )
        .bind(self.rotate_secs)
        .fetch_optional(&mut *tx)
        .await?;
        let (kid, key) = match row {
            Some((kid, wrapped)) => (kid as u32, self.unwrap_key(&wrapped)?),
            None => {
                let key = random::<32>();
                let kid: i32 =
                    sqlx::query_scalar("INSERT INTO qr_keys (wrapped) VALUES ($1) RETURNING kid")
                        .bind(self.wrap(&key)?)
                        .fetch_one(&mut *tx)
                        .await?;
                tracing::info!(kid, "QR key rotated");
                (kid as u32, key)
            }
        };
        tx.commit().await?;
        Ok((kid, key))
    }

    /// A payload for `ticket` held by `holder`, expiring `ttl_secs` from now.
    pub async fn issue(
        &self,
        pool: &PgPool,
        ticket: AccountAddress,
        holder: AccountAddress,
    ) -> Result<(String, u32, i64), ApiError> {
        let (kid, key) = self.current(pool).await?;
        let expires_at = time::OffsetDateTime::now_utc().unix_timestamp() + self.ttl_secs;
        let payload = seal(
            &key,
            kid,
            &Claim {
                ticket,
                holder,
                expires_at,
            },
        )
        .map_err(ApiError::internal)?;
        Ok((payload, kid, expires_at))
    }

    /// Opens `payload` with its key, if that key is within rotation plus grace.
    pub async fn open(
        &self,
        pool: &PgPool,
        payload: &str,
    ) -> Result<Result<Claim, QrError>, ApiError> {
        let (kid, rest) = match split(payload) {
            Ok(v) => v,
            Err(e) => return Ok(Err(e)),
        };
        let wrapped: Option<Vec<u8>> = sqlx::query_scalar(
            "SELECT wrapped FROM qr_keys WHERE kid = $1 AND created_at > now() - make_interval(secs => $2)",
        )
        .bind(kid.min(i32::MAX as u32) as i32)
        .bind(self.rotate_secs + self.grace_secs)
        .fetch_optional(pool)
        .await?;
        let Some(wrapped) = wrapped else {
            return Ok(Err(QrError::UnknownKey));
        };
        let key = self.unwrap_key(&wrapped)?;
        Ok(unseal(
            &key,
            kid,
            &rest,
            time::OffsetDateTime::now_utc().unix_timestamp(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use solana_address::Address;

    fn claim(exp: i64) -> Claim {
        Claim {
            ticket: AccountAddress(Address::new_unique()),
            holder: AccountAddress(Address::new_unique()),
            expires_at: exp,
        }
    }

    #[test]
    fn a_sealed_claim_opens_only_under_its_key_and_kid_until_it_expires() {
        let key = [7u8; 32];
        let c = claim(1_000);
        let p = seal(&key, 3, &c).expect("seal");
        let (kid, rest) = split(&p).expect("split");
        assert_eq!(kid, 3);
        assert_eq!(unseal(&key, kid, &rest, 999), Ok(c));
        assert_eq!(unseal(&key, kid, &rest, 1_000), Err(QrError::Expired));
        assert_eq!(unseal(&[8u8; 32], kid, &rest, 999), Err(QrError::Forged));
        // moved under another key id: the id is authenticated
        assert_eq!(unseal(&key, 4, &rest, 999), Err(QrError::Forged));
        // one flipped bit anywhere in the ciphertext
        for i in 12..rest.len() {
            let mut t = rest.clone();
            t[i] ^= 1;
            assert_eq!(unseal(&key, kid, &t, 999), Err(QrError::Forged), "byte {i}");
        }
        for bad in ["", "BT1.", "BT1.!!!", "XX1.AAAA", &"A".repeat(2000)] {
            assert_eq!(split(bad).err(), Some(QrError::Malformed), "{bad}");
        }
    }

    #[test]
    fn two_payloads_of_one_claim_differ() {
        let key = [7u8; 32];
        let c = claim(1_000);
        assert_ne!(
            seal(&key, 1, &c).expect("seal"),
            seal(&key, 1, &c).expect("seal")
        );
    }
}
