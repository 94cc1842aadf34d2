//! The mirror's Postgres, as the API's own role.
use bitticket_settings::{ConfigError, Vars};

pub const DATABASE_URL: &str = "BITTICKET_API_DATABASE_URL";
pub const DATABASE_POOL: &str = "BITTICKET_API_DATABASE_POOL";

#[derive(Debug, Clone)]
pub struct Database {
    /// Required: as the `bitticket_api` role (or a login role in it).
    pub url: String,
    /// Connections (16).
    pub pool: u32,
}

impl Database {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        Ok(Database {
            url: v.required(DATABASE_URL)?.to_string(),
            pool: v.parse_or(DATABASE_POOL, 16, |n| *n > 0, "must be a positive number")?,
        })
    }
}
