//! How far the mirror may lag the chain: readiness degrades beyond one bound, staff routes
//! (whose roles come from the mirror) refuse beyond another.
use bitticket_settings::{ConfigError, Vars};

pub const MAX_LAG_SLOTS: &str = "BITTICKET_API_MAX_LAG_SLOTS";
/// A number of slots, or `off`.
pub const STAFF_MAX_LAG_SLOTS: &str = "BITTICKET_API_STAFF_MAX_LAG_SLOTS";

#[derive(Debug, Clone)]
pub struct Lag {
    /// Readiness says `degraded` beyond this many slots of indexer lag (150).
    pub max_slots: i64,
    /// Staff routes answer 503 beyond this many slots of lag (or when it is unknown): their
    /// roles come from the mirror. `None` (`off`) never refuses (150).
    pub staff_max_slots: Option<i64>,
}

impl Lag {
    pub fn read(v: &Vars) -> Result<Self, ConfigError> {
        Ok(Lag {
            max_slots: v.parse_or(MAX_LAG_SLOTS, 150, |n| *n >= 0, "must be a number of slots")?,
            staff_max_slots: match v.get(STAFF_MAX_LAG_SLOTS) {
                Some("off") => None,
                _ => Some(v.parse_or(
                    STAFF_MAX_LAG_SLOTS,
                    150,
                    |n| *n >= 0,
                    "must be a number of slots, or off",
                )?),
            },
        })
    }
}
