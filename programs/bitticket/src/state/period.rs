use anchor_lang::prelude::*;

use crate::constants::SECONDS_PER_DAY;

/// A spending window, measured by the chain clock. A month is 30 days.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum Period {
    OneTime,
    Day,
    Week,
    Month,
}

impl Period {
    pub fn seconds(self) -> Option<u64> {
        match self {
            Period::OneTime => None,
            Period::Day => Some(SECONDS_PER_DAY),
            Period::Week => Some(7 * SECONDS_PER_DAY),
            Period::Month => Some(30 * SECONDS_PER_DAY),
        }
    }

    /// Start of the window containing `now`, for a window grid anchored at `start`.
    /// A one-time period never rolls over. Unsigned arithmetic: the sBPF route has no
    /// signed 64-bit division.
    pub fn window_start(self, start: i64, now: i64) -> i64 {
        let (Some(len), Ok(elapsed)) = (self.seconds(), u64::try_from(now.wrapping_sub(start)))
        else {
            return start;
        };
        let whole = elapsed - elapsed % len;
        i64::try_from(whole).map_or(start, |w| start.saturating_add(w))
    }
}
