use anchor_lang::prelude::*;

use crate::constants::ACCOUNT_VERSION;
use crate::errors::BitTicketError;

/// Tickets one wallet bought for one event; written only by that wallet's purchases.
/// PDA: ["buyer", event, buyer].
#[account]
#[derive(InitSpace, Debug)]
pub struct BuyerRecord {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub buyer: Pubkey,
    pub purchased: u16,
    pub bump: u8,
}

impl BuyerRecord {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    pub fn invariant(&self, max_per_wallet: u16) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        require!(
            self.purchased <= max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        Ok(())
    }
}
