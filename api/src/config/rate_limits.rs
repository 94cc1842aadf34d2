//! Rate limits: each budget in requests a minute, and the Redis that shares their state
//! between instances.
use bitticket_settings::{ConfigError, Vars};

use crate::limiter::Quota;

pub const REDIS_URL: &str = "BITTICKET_API_REDIS_URL";
pub const REDIS_PREFIX: &str = "BITTICKET_API_REDIS_PREFIX";
pub const RATE_USER_PER_MIN: &str = "BITTICKET_API_RATE_USER_PER_MIN";
pub const RATE_TENANT_PER_MIN: &str = "BITTICKET_API_RATE_TENANT_PER_MIN";
pub const RATE_SIGN_IN_PER_MIN: &str = "BITTICKET_API_RATE_SIGN_IN_PER_MIN";
pub const RATE_SENSITIVE_PER_MIN: &str = "BITTICKET_API_RATE_SENSITIVE_PER_MIN";
pub const RATE_CLIENT_PER_MIN: &str = "BITTICKET_API_RATE_CLIENT_PER_MIN";
pub const RATE_REFRESH_PER_MIN: &str = "BITTICKET_API_RATE_REFRESH_PER_MIN";
pub const RATE_SIGN_OUT_PER_MIN: &str = "BITTICKET_API_RATE_SIGN_OUT_PER_MIN";

#[derive(Debug, Clone)]
pub struct RateLimits {
    /// Shared rate-limit state; without it each instance limits in its own memory.
    pub redis_url: Option<String>,
    /// Namespaces this deployment's keys in a shared Redis (`bitticket`).
    pub redis_prefix: String,
    /// Per caller (100), per tenant (1,000).
    pub user: Quota,
    pub tenant: Quota,
    /// Sign-in steps per client address (20).
    pub sign_in: Quota,
    /// QR codes, transactions and the gate, per caller (30).
    pub sensitive: Quota,
    /// Every request but health, per client address, spent before authentication: refused
    /// traffic (no token, a bad one, another tenant's routes) is limited too (300).
    pub client: Quota,
    /// Refreshing and signing out, per client address, apart from sign-in's budget (30
    /// each).
    pub refresh: Quota,
    pub sign_out: Quota,
}

/// A positive number of requests a minute, `default` when unset.
fn per_minute(v: &Vars, name: &'static str, default: u32) -> Result<Quota, ConfigError> {
    v.parse_or(
        name,
        default,
        |n| *n > 0,
        "must be a positive number of requests a minute",
    )
    .map(|per_minute| Quota { per_minute })
}

impl RateLimits {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        Ok(RateLimits {
            redis_url: v.get(REDIS_URL).map(String::from),
            redis_prefix: v.or(REDIS_PREFIX, "bitticket").to_string(),
            user: per_minute(v, RATE_USER_PER_MIN, 100)?,
            tenant: per_minute(v, RATE_TENANT_PER_MIN, 1_000)?,
            sign_in: per_minute(v, RATE_SIGN_IN_PER_MIN, 20)?,
            sensitive: per_minute(v, RATE_SENSITIVE_PER_MIN, 30)?,
            client: per_minute(v, RATE_CLIENT_PER_MIN, 300)?,
            refresh: per_minute(v, RATE_REFRESH_PER_MIN, 30)?,
            sign_out: per_minute(v, RATE_SIGN_OUT_PER_MIN, 30)?,
        })
    }
}
