use anchor_lang::prelude::*;

use crate::errors::BitTicketError;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub enum TicketState {
    Valid,
    CheckedIn,
    Refunded,
}

/// The record behind one ticket NFT. PDA: ["ticket", mint].
#[account]
#[derive(InitSpace, Debug)]
pub struct Ticket {
    pub event: Pubkey,
    pub mint: Pubkey,
    /// Current holder; changes only through `transfer_ticket` (the token account is
    /// frozen otherwise), so it always matches the token balance.
    pub holder: Pubkey,
    pub serial: u32,
    pub shard_index: u8,
    pub price_paid: u64,
    pub state: TicketState,
    pub checked_in_at: i64,
    pub bump: u8,
}

impl Ticket {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.state == TicketState::CheckedIn || self.checked_in_at == 0,
            BitTicketError::InvariantViolated
        );
        Ok(())
    }
}
