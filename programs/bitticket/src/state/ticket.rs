use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::ACCOUNT_VERSION;
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
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub mint: Pubkey,
    /// Current holder; changes only through `transfer_ticket` (the token account is
    /// frozen otherwise), so it always matches the token balance.
    pub holder: Pubkey,
    pub serial: u32,
    pub shard_index: u8,
    /// The tier it was sold in, or `NO_TIER` for the event's own sale.
    pub tier: u8,
    pub price_paid: u64,
    pub state: TicketState,
    pub checked_in_at: i64,
    pub bump: u8,
}

impl Ticket {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// Only a valid ticket may enter or be refunded; a used or refunded one says which.
    pub fn require_valid(&self) -> Result<()> {
        match self.state {
            TicketState::Valid => Ok(()),
            TicketState::CheckedIn => err!(BitTicketError::AlreadyCheckedIn),
            TicketState::Refunded => err!(BitTicketError::TicketRefunded),
        }
    }

    /// `holder` is the recorded holder and `token` is their account holding the NFT.
    pub fn require_held_by(&self, holder: &Pubkey, token: &TokenAccount) -> Result<()> {
        require!(
            self.holder == *holder
                && token.mint == self.mint
                && token.owner == *holder
                && token.amount == 1,
            BitTicketError::NotTicketHolder
        );
        Ok(())
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        require!(
            self.state == TicketState::CheckedIn || self.checked_in_at == 0,
            BitTicketError::CheckInTimeMismatch
        );
        Ok(())
    }
}
