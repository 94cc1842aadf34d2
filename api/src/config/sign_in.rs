//! Sign-In With Solana: what a signed message must name, and how long its parts live.
use std::time::Duration;

use bitticket_settings::{ConfigError, Vars};

pub const DOMAIN: &str = "BITTICKET_API_DOMAIN";
pub const URI: &str = "BITTICKET_API_URI";
pub const CHAIN_ID: &str = "BITTICKET_API_CHAIN_ID";
pub const NONCE_TTL: &str = "BITTICKET_API_NONCE_TTL";
pub const SIGN_IN_MAX_AGE: &str = "BITTICKET_API_SIGN_IN_MAX_AGE";

#[derive(Debug, Clone)]
pub struct SignIn {
    /// The domain and URI the signed message must name (`localhost:8080`,
    /// `http://<domain>`).
    pub domain: String,
    pub uri: String,
    pub chain_id: String,
    /// A nonce's life (300 s).
    pub nonce_ttl: Duration,
    /// How old a sign-in message's `Issued At` may be (600 s).
    pub max_age: Duration,
}

impl SignIn {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let domain = v.or(DOMAIN, "localhost:8080").to_string();
        Ok(SignIn {
            uri: v
                .get(URI)
                .map(String::from)
                .unwrap_or_else(|| format!("http://{domain}")),
            domain,
            chain_id: v.or(CHAIN_ID, "localnet").to_string(),
            nonce_ttl: v.seconds_or(NONCE_TTL, 300)?,
            max_age: v.seconds_or(SIGN_IN_MAX_AGE, 600)?,
        })
    }
}
