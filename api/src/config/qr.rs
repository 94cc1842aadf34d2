//! QR codes: the master key that wraps the QR keys stored in the database, its rotation,
//! and how long keys and payloads live.
use std::time::Duration;

use bitticket_settings::{ConfigError, Secret, Vars};

pub const QR_MASTER_KEY: &str = "BITTICKET_API_QR_MASTER_KEY";
pub const QR_MASTER_KEY_VERSION: &str = "BITTICKET_API_QR_MASTER_KEY_VERSION";
pub const QR_MASTER_KEY_PREVIOUS: &str = "BITTICKET_API_QR_MASTER_KEY_PREVIOUS";
pub const QR_ROTATE_SECS: &str = "BITTICKET_API_QR_ROTATE_SECS";
pub const QR_GRACE_SECS: &str = "BITTICKET_API_QR_GRACE_SECS";
pub const QR_TTL_SECS: &str = "BITTICKET_API_QR_TTL_SECS";

#[derive(Debug, Clone)]
pub struct Qr {
    /// Required: wraps the QR keys stored in the database (32 bytes, AES-256).
    pub master_key: Secret,
    /// The master key's version, stored beside every key it wraps (rotation of the master
    /// key: the new one gets the next version, and the previous one is kept in
    /// `master_key_previous` until the keys it wrapped are retired).
    pub master_key_version: u32,
    pub master_key_previous: Option<Secret>,
    /// A key issues for `rotate` (a day), opens for `grace` more (an hour); a payload
    /// lives `ttl` (120 s).
    pub rotate: Duration,
    pub grace: Duration,
    pub ttl: Duration,
}

impl Qr {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let master_key = v.secret(QR_MASTER_KEY, 32)?;
        if master_key.expose().len() != 32 {
            return Err(ConfigError::invalid(
                QR_MASTER_KEY,
                "must be 32 bytes (AES-256)",
            ));
        }
        let master_key_version = v.parse_or(
            QR_MASTER_KEY_VERSION,
            1,
            |n| *n >= 1,
            "must be a version number from 1",
        )?;
        let master_key_previous = match v.get(QR_MASTER_KEY_PREVIOUS) {
            None => None,
            Some(text) => {
                let k = Secret::from_base64(QR_MASTER_KEY_PREVIOUS, text, 32)?;
                if k.expose().len() != 32 || master_key_version < 2 {
                    return Err(ConfigError::invalid(
                        QR_MASTER_KEY_PREVIOUS,
                        "must be 32 bytes, beside a master key version of 2 or more",
                    ));
                }
                Some(k)
            }
        };
        Ok(Qr {
            master_key,
            master_key_version,
            master_key_previous,
            rotate: v.seconds_or(QR_ROTATE_SECS, 86_400)?,
            grace: v.seconds_or(QR_GRACE_SECS, 3_600)?,
            ttl: v.seconds_or(QR_TTL_SECS, 120)?,
        })
    }
}
