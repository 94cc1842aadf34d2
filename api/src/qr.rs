//! Ticket QR codes: AES-256-GCM over (ticket, holder, expiry), under a key that rotates.
//!
//! A payload is `BT2.` + base64url(kid ‖ organizer ‖ nonce ‖ ciphertext). The key id (4
//! bytes, big endian) and the organizer (32 bytes) are in the clear and bound into the
//! authenticated data: a payload cannot be moved under another key or another organizer,
//! and a gate tells another organizer's code apart without decrypting it (so it learns
//! nothing of its ticket or holder). Keys are random, stored in `qr_keys` wrapped
//! (AES-256-GCM) under the master key from the environment, the wrap bound to the key id
//! and to the master key's version (so the master key can be rotated), and used to issue
//! for `rotate`; a key still opens payloads for `grace` after that, then never again.
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use crate::domain::AccountAddress;
use crate::error::ApiError;

const PREFIX: &str = "BT2.";
const PAYLOAD_AAD: &[u8] = b"bitticket-qr-v2";
/// Keys wrapped before the wrap named its key id (format 1), and since (format 2).
const WRAP_AAD_V1: &[u8] = b"bitticket-qr-key-v1";
const WRAP_AAD_V2: &[u8] = b"bitticket-qr-key-v2";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QrError {
    #[error("not a BitTicket QR payload")]
    Malformed,
    #[error("the QR code is another organizer's")]
    OtherOrganizer,
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

fn aad(kid: u32, organizer: &AccountAddress) -> Vec<u8> {
    let mut a = PAYLOAD_AAD.to_vec();
    a.extend_from_slice(&kid.to_be_bytes());
    a.extend_from_slice(organizer.0.as_ref());
    a
}

fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rng().fill_bytes(&mut b);
    b
}

/// Encrypts `claim` of a ticket of `organizer` under `key` (id `kid`).
pub fn seal(
    key: &[u8; 32],
    kid: u32,
    organizer: &AccountAddress,
    claim: &Claim,
) -> Result<String, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let nonce = random::<12>();
    let plain = serde_json::to_vec(claim).map_err(|_| QrError::Malformed)?;
    let ct = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad(kid, organizer),
            },
        )
        .map_err(|_| QrError::Malformed)?;
    let mut out = kid.to_be_bytes().to_vec();
    out.extend_from_slice(organizer.0.as_ref());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&ct);
    Ok(format!(
        "{PREFIX}{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(out)
    ))
}

/// The key id and the organizer a payload names, and the rest of it.
pub fn split(payload: &str) -> Result<(u32, AccountAddress, Vec<u8>), QrError> {
    if payload.len() > 1024 {
        return Err(QrError::Malformed);
    }
    let body = payload.strip_prefix(PREFIX).ok_or(QrError::Malformed)?;
    let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| QrError::Malformed)?;
    if raw.len() < 4 + 32 + 12 + 16 {
        return Err(QrError::Malformed);
    }
    let kid = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    let organizer: [u8; 32] = raw[4..36].try_into().map_err(|_| QrError::Malformed)?;
    Ok((
        kid,
        AccountAddress(solana_address::Address::new_from_array(organizer)),
        raw[36..].to_vec(),
    ))
}

/// Decrypts what `split` returned under `key`, and checks the expiry against `now`.
pub fn unseal(
    key: &[u8; 32],
    kid: u32,
    organizer: &AccountAddress,
    rest: &[u8],
    now: i64,
) -> Result<Claim, QrError> {
    let cipher = Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(key));
    let (nonce, ct) = rest.split_at(12);
    let plain = cipher
        .decrypt(
            Nonce::from_slice(nonce),
            Payload {
                msg: ct,
                aad: &aad(kid, organizer),
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
    /// The master key that wraps new keys, and its version.
    master: (u32, Aes256Gcm),
    /// The previous master key (version - 1), which still opens the keys it wrapped.
    previous: Option<(u32, Aes256Gcm)>,
    rotate_secs: f64,
    grace_secs: f64,
    pub ttl_secs: i64,
}

fn wrap_aad(format: i16, kid: u32, version: u32) -> Vec<u8> {
    if format == 1 {
        return WRAP_AAD_V1.to_vec();
    }
    let mut a = WRAP_AAD_V2.to_vec();
    a.extend_from_slice(&kid.to_be_bytes());
    a.extend_from_slice(&version.to_be_bytes());
    a
}

impl QrKeys {
    /// `master` is the current master key (of `version`); `previous`, if any, the one
    /// before it.
    pub fn new(
        master: &[u8],
        version: u32,
        previous: Option<&[u8]>,
        rotate: std::time::Duration,
        grace: std::time::Duration,
        ttl: std::time::Duration,
    ) -> Result<Self, ApiError> {
        let cipher = |k: &[u8]| -> Result<Aes256Gcm, ApiError> {
            let k: [u8; 32] = k
                .try_into()
                .map_err(|_| ApiError::internal("QR master key is not 32 bytes"))?;
            Ok(Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&k)))
        };
        let previous = match previous {
            Some(p) => Some((version.saturating_sub(1), cipher(p)?)),
            None => None,
        };
        Ok(QrKeys {
            master: (version, cipher(master)?),
            previous,
            rotate_secs: rotate.as_secs_f64(),
            grace_secs: grace.as_secs_f64(),
            ttl_secs: ttl.as_secs() as i64,
        })
    }

    fn wrap(&self, kid: u32, key: &[u8; 32]) -> Result<Vec<u8>, ApiError> {
        let nonce = random::<12>();
        let (version, master) = &self.master;
        let ct = master
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: key,
                    aad: &wrap_aad(2, kid, *version),
                },
            )
            .map_err(|_| ApiError::internal("wrap QR key"))?;
        Ok([nonce.as_slice(), &ct].concat())
    }

    fn unwrap_key(
        &self,
        kid: u32,
        format: i16,
        version: i32,
        wrapped: &[u8],
    ) -> Result<[u8; 32], ApiError> {
        if wrapped.len() < 12 {
            return Err(ApiError::internal("stored QR key is malformed"));
        }
        let version = u32::try_from(version).unwrap_or(0);
        let master = if self.master.0 == version {
            &self.master.1
        } else {
            match &self.previous {
                Some((v, m)) if *v == version => m,
                _ => {
                    return Err(ApiError::internal(
                        "stored QR key is wrapped under a master key version not configured",
                    ))
                }
            }
        };
        let (nonce, ct) = wrapped.split_at(12);
        let key = master
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: ct,
                    aad: &wrap_aad(format, kid, version),
                },
            )
            .map_err(|_| ApiError::internal("stored QR key does not open under the master key"))?;
        key.try_into()
            .map_err(|_| ApiError::internal("stored QR key is not 32 bytes"))
    }

    /// The key to issue with now: the newest one younger than the rotation period, or a
    /// new one (instances serialise its creation on an advisory lock). Its id is drawn
    /// first, so that the wrap can bind it.
    async fn current(&self, pool: &PgPool) -> Result<(u32, [u8; 32]), ApiError> {
        let mut tx = pool.begin().await?;
        sqlx::query("SELECT pg_advisory_xact_lock(hashtext('bitticket.qr_keys'))")
            .execute(&mut *tx)
            .await?;
        let row: Option<(i32, i16, i32, Vec<u8>)> = sqlx::query_as(
            "SELECT kid, wrap_format, master_version, wrapped FROM qr_keys
             WHERE created_at > now() - make_interval(secs => $1)
             ORDER BY kid DESC LIMIT 1",
        )
        .bind(self.rotate_secs)
        .fetch_optional(&mut *tx)
        .await?;
        let (kid, key) = match row {
            Some((kid, format, version, wrapped)) => (
                kid as u32,
                self.unwrap_key(kid as u32, format, version, &wrapped)?,
            ),
            None => {
                let key = random::<32>();
                let kid: i32 = sqlx::query_scalar("SELECT nextval('qr_keys_kid_seq')::int")
                    .fetch_one(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO qr_keys (kid, wrapped, wrap_format, master_version)
                     VALUES ($1, $2, 2, $3)",
                )
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

    /// A payload for `ticket` of `organizer` held by `holder`, expiring `ttl_secs` from now.
    pub async fn issue(
        &self,
        pool: &PgPool,
        organizer: AccountAddress,
        ticket: AccountAddress,
        holder: AccountAddress,
    ) -> Result<(String, u32, i64), ApiError> {
        let (kid, key) = self.current(pool).await?;
        let expires_at = time::OffsetDateTime::now_utc().unix_timestamp() + self.ttl_secs;
        let payload = seal(
            &key,
            kid,
            &organizer,
            &Claim {
                ticket,
                holder,
                expires_at,
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
        let row: Option<(i16, i32, Vec<u8>)> = sqlx::query_as(
            "SELECT wrap_format, master_version, wrapped FROM qr_keys
             WHERE kid = $1 AND created_at > now() - make_interval(secs => $2)",
        )
        .bind(kid.min(i32::MAX as u32) as i32)
        .bind(self.rotate_secs + self.grace_secs)
        .fetch_optional(pool)
        .await?;
        let Some((format, version, wrapped)) = row else {
            return Ok(Err(QrError::UnknownKey));
        };
        let key = self.unwrap_key(kid, format, version, &wrapped)?;
        Ok(unseal(
            &key,
            kid,
            organizer,
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
    fn a_sealed_claim_opens_only_under_its_key_kid_and_organizer_until_it_expires() {
        let key = [7u8; 32];
        let org = AccountAddress(Address::new_unique());
        let other = AccountAddress(Address::new_unique());
        let c = claim(1_000);
        let p = seal(&key, 3, &org, &c).expect("seal");
        let (kid, named, rest) = split(&p).expect("split");
        assert_eq!((kid, named), (3, org));
        assert_eq!(unseal(&key, kid, &org, &rest, 999), Ok(c));
        assert_eq!(unseal(&key, kid, &org, &rest, 1_000), Err(QrError::Expired));
        assert_eq!(
            unseal(&[8u8; 32], kid, &org, &rest, 999),
            Err(QrError::Forged)
        );
        // moved under another key id, or relabelled to another organizer: both are
        // authenticated
        assert_eq!(unseal(&key, 4, &org, &rest, 999), Err(QrError::Forged));
        assert_eq!(unseal(&key, kid, &other, &rest, 999), Err(QrError::Forged));
        // one flipped bit anywhere in the ciphertext
        for i in 12..rest.len() {
            let mut t = rest.clone();
            t[i] ^= 1;
            assert_eq!(
                unseal(&key, kid, &org, &t, 999),
                Err(QrError::Forged),
                "byte {i}"
            );
        }
        for bad in [
            "",
            "BT2.",
            "BT2.!!!",
            "BT1.AAAA",
            "XX1.AAAA",
            &"A".repeat(2000),
        ] {
            assert_eq!(split(bad).err(), Some(QrError::Malformed), "{bad}");
        }
    }

    #[test]
    fn two_payloads_of_one_claim_differ() {
        let key = [7u8; 32];
        let org = AccountAddress(Address::new_unique());
        let c = claim(1_000);
        assert_ne!(
            seal(&key, 1, &org, &c).expect("seal"),
            seal(&key, 1, &org, &c).expect("seal")
        );
    }

    #[test]
    fn a_wrapped_key_opens_only_under_its_kid_and_its_master_version() {
        let day = std::time::Duration::from_secs(86_400);
        let old = QrKeys::new(&[1u8; 32], 1, None, day, day, day).expect("keys");
        let key = [9u8; 32];
        let wrapped = old.wrap(5, &key).expect("wrap");
        assert_eq!(old.unwrap_key(5, 2, 1, &wrapped).expect("unwrap"), key);
        // the wrap is bound to its key id: a row moved to another kid does not open
        assert!(old.unwrap_key(6, 2, 1, &wrapped).is_err());
        // the master key rotates: version 2 wraps new keys, version 1 still opens its own
        let new = QrKeys::new(&[2u8; 32], 2, Some(&[1u8; 32]), day, day, day).expect("keys");
        assert_eq!(new.unwrap_key(5, 2, 1, &wrapped).expect("previous"), key);
        let rewrapped = new.wrap(7, &key).expect("wrap");
        assert_eq!(new.unwrap_key(7, 2, 2, &rewrapped).expect("current"), key);
        assert!(old.unwrap_key(7, 2, 2, &rewrapped).is_err());
        // a version that is configured nowhere
        assert!(new.unwrap_key(5, 2, 3, &wrapped).is_err());
    }
}
