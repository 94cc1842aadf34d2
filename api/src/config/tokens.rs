//! Access and refresh tokens: the key that signs access tokens, the claims they carry,
//! and their lifetimes.
use std::time::Duration;

use bitticket_settings::{ConfigError, Secret, Vars};

pub const ACCESS_KEY: &str = "BITTICKET_API_ACCESS_KEY";
pub const ISSUER: &str = "BITTICKET_API_ISSUER";
pub const AUDIENCE: &str = "BITTICKET_API_AUDIENCE";
pub const ACCESS_TTL: &str = "BITTICKET_API_ACCESS_TTL";
pub const REFRESH_TTL: &str = "BITTICKET_API_REFRESH_TTL";
pub const REFRESH_FAMILY_TTL: &str = "BITTICKET_API_REFRESH_FAMILY_TTL";

#[derive(Debug, Clone)]
pub struct Tokens {
    /// Required: the Ed25519 seed (32 random bytes, base64) that signs access tokens.
    pub access_key: Secret,
    /// `iss` of access tokens (`bitticket-api`), `aud` of every token (`bitticket`).
    pub issuer: String,
    pub audience: String,
    /// 900 s.
    pub access_ttl: Duration,
    /// 30 days.
    pub refresh_ttl: Duration,
    /// A refresh family's absolute lifetime from its sign-in, however often it rotates
    /// (90 days).
    pub refresh_family_ttl: Duration,
}

impl Tokens {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let access_key = v.secret(ACCESS_KEY, 32)?;
        if access_key.expose().len() != 32 {
            return Err(ConfigError::invalid(
                ACCESS_KEY,
                "must be a 32-byte Ed25519 seed",
            ));
        }
        Ok(Tokens {
            access_key,
            issuer: v.or(ISSUER, "bitticket-api").to_string(),
            audience: v.or(AUDIENCE, "bitticket").to_string(),
            access_ttl: v.seconds_or(ACCESS_TTL, 900)?,
            refresh_ttl: v.seconds_or(REFRESH_TTL, 30 * 86_400)?,
            refresh_family_ttl: v.seconds_or(REFRESH_FAMILY_TTL, 90 * 86_400)?,
        })
    }
}
