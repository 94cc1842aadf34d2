//! The money rules an organizer carries: spending limits (what a member may send without a
//! proposal, per window) and outflow caps (what may leave the vault per mint, per window,
//! whoever signs), each with its rolling window.
use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::state::{Period, SpendingLimitConfig};

/// A spending limit in force: `config` plus what is left in the current window.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct SpendingLimit {
    pub config: SpendingLimitConfig,
    pub remaining: u64,
    /// Start of the current window; windows are laid on a grid from the creation time.
    pub window_start: i64,
    /// A frozen limit moves nothing: any admin or finance member freezes it at once,
    /// only an `UnfreezeSpendingLimit` proposal thaws it.
    pub frozen: bool,
}

/// The organizer-wide cap on what spending limits may move out of the vault per period,
/// for one mint (`Pubkey::default()` for SOL). Proposals are not capped: they already need
/// the threshold.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct OutflowCap {
    pub mint: Pubkey,
    pub amount: u64,
    pub period: Period,
    pub used: u64,
    pub window_start: i64,
    /// What a replaced cap still allowed in its last window, binding until that window
    /// ends (`carry_until`, 0 when no replacement is pending): a replacement never leaves
    /// more room than the tighter of the old and the new cap would.
    pub carry_room: u64,
    pub carry_until: i64,
}

impl SpendingLimit {
    /// Rolls the window forward by the clock: a new window starts with the full amount.
    pub fn roll(&mut self, now: i64) {
        let window = self.config.period.window_start(self.window_start, now);
        if window != self.window_start {
            self.window_start = window;
            self.remaining = self.config.amount;
        }
    }
}

impl OutflowCap {
    /// A new cap, its first window starting `now`.
    pub fn new(mint: Pubkey, amount: u64, period: Period, now: i64) -> Self {
        Self {
            mint,
            amount,
            period,
            used: 0,
            window_start: now,
            carry_room: 0,
            carry_until: 0,
        }
    }

    /// Rolls the window forward by the clock: a new window starts with nothing used. A
    /// replaced cap's carried room lapses when its window ends.
    pub fn roll(&mut self, now: i64) {
        let window = self.period.window_start(self.window_start, now);
        if window != self.window_start {
            self.window_start = window;
            self.used = 0;
        }
        if self.carry_until != 0 && now >= self.carry_until {
            self.carry_room = 0;
            self.carry_until = 0;
        }
    }

    /// What may still leave now: the current window's room, within any carried room.
    pub fn room(&self, now: i64) -> u64 {
        let room = self.amount.saturating_sub(self.used);
        if self.carry_until != 0 && now < self.carry_until {
            room.min(self.carry_room)
        } else {
            room
        }
    }

    /// Counts `amount` against the cap at `now` (window rolled); fails past its room.
    pub fn record(&mut self, amount: u64, now: i64) -> Result<()> {
        self.roll(now);
        require!(amount <= self.room(now), BitTicketError::OutflowCapExceeded);
        self.used = self
            .used
            .checked_add(amount)
            .ok_or(BitTicketError::Overflow)?;
        if self.carry_until != 0 {
            self.carry_room = self.carry_room.saturating_sub(amount);
        }
        Ok(())
    }

    /// A new amount and period. Until the current window ends, what may leave stays within
    /// what the old cap still allowed in it (the carried room); the new cap counts what was
    /// used in that window (at most its amount). So a replacement, by amount or by period,
    /// never leaves more room than the tighter of the two caps: a monthly cap used up and
    /// replaced by a daily one lets nothing more out before the month ends.
    pub fn replace(&mut self, amount: u64, period: Period, now: i64) {
        self.roll(now);
        let old_room = self.room(now);
        let old_end = match self.period.seconds() {
            // a one-time window never ends: what it left bounds the cap for good
            None => i64::MAX,
            Some(len) => i64::try_from(len)
                .ok()
                .and_then(|len| self.window_start.checked_add(len))
                .unwrap_or(i64::MAX),
        };
        // the later of two pending ends keeps the earlier carry's bound too: the new
        // room is at most the old one, which already respected it
        let until = old_end.max(self.carry_until);
        if period != self.period {
            self.window_start = now;
        }
        self.amount = amount;
        self.period = period;
        self.used = self.used.min(amount);
        self.carry_room = old_room;
        self.carry_until = until;
    }
}
