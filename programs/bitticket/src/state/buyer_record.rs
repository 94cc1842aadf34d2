use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, MAX_TIERS};
use crate::errors::BitTicketError;

/// What one wallet bought of one tier: in all, and in the phase it last bought in (phases
/// follow one another in time, so a purchase in a later phase starts its count again).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, Default, InitSpace,
)]
pub struct TierPurchases {
    pub bought: u16,
    pub phase: u8,
    pub in_phase: u16,
}

impl TierPurchases {
    /// Tickets bought in `phase` so far.
    pub fn in_phase(&self, phase: u8) -> u16 {
        if self.phase == phase {
            self.in_phase
        } else {
            0
        }
    }

    /// Counts one more ticket bought in `phase`.
    pub fn record(&mut self, phase: u8) -> Result<()> {
        self.in_phase = self
            .in_phase(phase)
            .checked_add(1)
            .ok_or(BitTicketError::Overflow)?;
        self.phase = phase;
        self.bought = self.bought.checked_add(1).ok_or(BitTicketError::Overflow)?;
        Ok(())
    }
}

/// Tickets one wallet bought for one event; written only by that wallet's purchases.
/// PDA: ["buyer", event, buyer].
#[account]
#[derive(InitSpace, Debug)]
pub struct BuyerRecord {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub buyer: Pubkey,
    /// Tickets bought of the event, its own sale and every tier together: at most the
    /// event's `max_per_wallet`.
    pub purchased: u16,
    pub bump: u8,
    /// Of those, what was bought of each tier.
    pub tiers: [TierPurchases; MAX_TIERS as usize],
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
        let mut in_tiers: u32 = 0;
        for t in &self.tiers {
            require!(t.in_phase <= t.bought, BitTicketError::WalletLimitReached);
            in_tiers += u32::from(t.bought);
        }
        require!(
            in_tiers <= u32::from(self.purchased),
            BitTicketError::WalletLimitReached
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_later_phase_counts_again_and_every_count_stays_within_the_total() {
        let mut t = TierPurchases::default();
        t.record(0).unwrap();
        t.record(0).unwrap();
        assert_eq!((t.bought, t.in_phase(0), t.in_phase(1)), (2, 2, 0));
        t.record(1).unwrap();
        assert_eq!((t.bought, t.in_phase(0), t.in_phase(1)), (3, 0, 1));
        let mut record = BuyerRecord {
            version: ACCOUNT_VERSION,
            event: Pubkey::new_unique(),
            buyer: Pubkey::new_unique(),
            purchased: 3,
            bump: 255,
            tiers: [TierPurchases::default(); MAX_TIERS as usize],
        };
        record.tiers[2] = t;
        record.invariant(3).unwrap();
        assert!(record.invariant(2).is_err());
        record.purchased = 2;
        assert!(record.invariant(3).is_err());
    }
}
