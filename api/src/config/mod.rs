//! Settings from the environment (`BITTICKET_API_*`), in sections: each section's file
//! names its variables and the rules they pass, and `Settings` composes them. The one
//! reader of `bitticket-settings` reads the process environment, then the file
//! `BITTICKET_API_ENV_FILE` names for what the environment leaves unset. Secrets are
//! wrapped so that they never print, and the service refuses to start with a missing or
//! weak one, or with any setting a section refuses.
mod database;
mod door;
mod http;
mod lag;
mod listen;
mod qr;
mod rate_limits;
mod rpc;
mod services;
mod sign_in;
mod tls;
mod tokens;

use std::collections::HashMap;

pub use bitticket_settings::{parse_env_file, ConfigError, Secret, Vars};
pub use database::Database;
pub use door::Door;
pub use http::Http;
pub use lag::Lag;
pub use listen::Listen;
pub use qr::Qr;
pub use rate_limits::RateLimits;
pub use rpc::Rpc;
pub use services::{Service, Services};
pub use sign_in::{SignIn, SignInDomain};
pub use tls::Tls;
pub use tokens::Tokens;

/// An env file of `KEY=value` lines (see `bitticket_settings::env_file` for the rule):
/// what the environment leaves unset is read from it.
pub const ENV_FILE: &str = "BITTICKET_API_ENV_FILE";

#[derive(Debug, Clone)]
pub struct Settings {
    pub listen: Listen,
    /// TLS 1.3 on `listen` when set.
    pub tls: Option<Tls>,
    pub database: Database,
    pub sign_in: SignIn,
    pub tokens: Tokens,
    pub services: Services,
    pub http: Http,
    pub rate_limits: RateLimits,
    pub qr: Qr,
    pub rpc: Rpc,
    pub lag: Lag,
    pub door: Door,
}

impl Settings {
    /// From the process environment, and from the file `BITTICKET_API_ENV_FILE` names
    /// (`KEY=value` lines, `#` comments) for what the environment does not set.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::read(&Vars::from_env_and_file(ENV_FILE)?)
    }

    /// From `BITTICKET_API_*` entries of `vars`.
    pub fn from_vars(vars: &HashMap<String, String>) -> Result<Self, ConfigError> {
        Self::read(&Vars::new(vars.clone()))
    }

    /// Every section from `v`; the first refusal stops the start.
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        let tls = Tls::read(v)?;
        let rpc = Rpc::read(v);
        Ok(Settings {
            listen: Listen::read(v, tls.is_some())?,
            tls,
            tokens: Tokens::read(v)?,
            services: Services::read(v)?,
            http: Http::read(v)?,
            qr: Qr::read(v)?,
            database: Database::read(v)?,
            sign_in: SignIn::read(v)?,
            rate_limits: RateLimits::read(v)?,
            lag: Lag::read(v)?,
            door: Door::read(v, &rpc.urls)?,
            rpc,
        })
    }
}

#[cfg(test)]
mod tests;
