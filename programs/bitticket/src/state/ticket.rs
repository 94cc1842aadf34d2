use anchor_lang::prelude::*;
use anchor_spl::token_interface::TokenAccount;

use crate::constants::ACCOUNT_VERSION;
use crate::errors::BitTicketError;
use crate::state::raw;

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

    /// Writes it, discriminator first, over `data` (its account's) at the offsets Borsh
    /// gives its fields, without Borsh's field-by-field writer: what a purchase does
    /// once per ticket. A test checks the bytes are `try_serialize`'s.
    pub fn write_to(&self, data: &mut [u8]) -> Result<()> {
        let state = match self.state {
            TicketState::Valid => 0,
            TicketState::CheckedIn => 1,
            TicketState::Refunded => 2,
        };
        raw::put(data, 0, Self::DISCRIMINATOR)?;
        raw::put(data, 8, &[self.version])?;
        raw::put(data, 9, self.event.as_ref())?;
        raw::put(data, 41, self.mint.as_ref())?;
        raw::put(data, 73, self.holder.as_ref())?;
        raw::put(data, 105, &self.serial.to_le_bytes())?;
        raw::put(data, 109, &[self.shard_index, self.tier])?;
        raw::put(data, 111, &self.price_paid.to_le_bytes())?;
        raw::put(data, 119, &[state])?;
        raw::put(data, 120, &self.checked_in_at.to_le_bytes())?;
        raw::put(data, 128, &[self.bump])
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_is_written_as_borsh_writes_it() {
        for (state, checked_in_at) in [
            (TicketState::Valid, 0),
            (TicketState::CheckedIn, 1_800_000_000),
            (TicketState::Refunded, 0),
        ] {
            let ticket = Ticket {
                version: ACCOUNT_VERSION,
                event: Pubkey::new_unique(),
                mint: Pubkey::new_unique(),
                holder: Pubkey::new_unique(),
                serial: 0x0102_0304,
                shard_index: 9,
                tier: 255,
                price_paid: u64::MAX - 7,
                state,
                checked_in_at,
                bump: 253,
            };
            let mut expected = Vec::new();
            ticket.try_serialize(&mut expected).unwrap();
            assert_eq!(expected.len(), Ticket::SIZE);
            let mut data = vec![0xee; Ticket::SIZE];
            ticket.write_to(&mut data).unwrap();
            assert_eq!(data, expected);
            assert!(ticket.write_to(&mut data[..Ticket::SIZE - 1]).is_err());
        }
    }
}
