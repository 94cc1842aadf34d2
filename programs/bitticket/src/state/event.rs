use anchor_lang::prelude::*;

use crate::constants::{MAX_NAME_LEN, MAX_SHARDS, MAX_URI_LEN, SEED_EVENT};
use crate::errors::BitTicketError;

/// The configurable part of an event, as passed to create and update.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct EventConfig {
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
    pub price_lamports: u64,
    pub supply: u32,
    /// Unix seconds by the chain clock; a purchase needs sale_start <= now < sale_end.
    pub sale_start: i64,
    pub sale_end: i64,
    /// Tickets stay frozen in their holder's account until this time.
    pub resale_unlock: i64,
    pub max_per_wallet: u16,
    /// Check-in is open for check_in_start <= now < check_in_end.
    pub check_in_start: i64,
    pub check_in_end: i64,
}

impl EventConfig {
    pub fn validate(&self) -> Result<()> {
        require!(
            !self.name.is_empty() && self.name.len() <= MAX_NAME_LEN,
            BitTicketError::InvalidName
        );
        require!(self.uri.len() <= MAX_URI_LEN, BitTicketError::InvalidUri);
        require!(self.supply >= 1, BitTicketError::InvalidSupply);
        require!(
            self.sale_start < self.sale_end,
            BitTicketError::InvalidSaleWindow
        );
        require!(
            self.resale_unlock >= self.sale_start,
            BitTicketError::InvalidResaleUnlock
        );
        require!(
            self.check_in_start < self.check_in_end,
            BitTicketError::InvalidCheckInWindow
        );
        require!(self.max_per_wallet >= 1, BitTicketError::InvalidWalletLimit);
        Ok(())
    }
}

/// PDA: ["event", organizer, event_id (le)]. Also the mint and freeze authority of its
/// tickets. Purchases only read it, so it is never a write hot spot.
#[account]
#[derive(InitSpace, Debug)]
pub struct Event {
    pub organizer: Pubkey,
    pub event_id: u64,
    pub bump: u8,
    pub shard_count: u8,
    /// Shards opened so far; shards are opened in index order.
    pub shards_opened: u8,
    pub paused: bool,
    pub cancelled: bool,
    pub config: EventConfig,
}

impl Event {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// Runs `f` with the signer seeds of this event PDA, the authority of its tickets.
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let id = self.event_id.to_le_bytes();
        let seeds: &[&[u8]] = &[
            SEED_EVENT,
            self.organizer.as_ref(),
            &id,
            std::slice::from_ref(&self.bump),
        ];
        f(&[seeds])
    }

    pub fn invariant(&self) -> Result<()> {
        self.config.validate()?;
        require!(
            self.shard_count >= 1 && self.shard_count <= MAX_SHARDS,
            BitTicketError::InvariantViolated
        );
        require!(
            self.config.supply >= u32::from(self.shard_count),
            BitTicketError::InvariantViolated
        );
        require!(
            self.shards_opened <= self.shard_count,
            BitTicketError::InvariantViolated
        );
        Ok(())
    }
}
