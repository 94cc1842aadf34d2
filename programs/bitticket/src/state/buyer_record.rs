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

    /// A new record of `buyer` for `event`, before its first ticket.
    pub fn new(event: Pubkey, buyer: Pubkey, bump: u8) -> Self {
        Self {
            version: ACCOUNT_VERSION,
            event,
            buyer,
            purchased: 0,
            bump,
            tiers: Default::default(),
        }
    }

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

/// The fields of a BuyerRecord before its per-tier counts, at fixed offsets: all the base
/// sale's purchase reads and writes. It never changes the per-tier counts (zeros in a new
/// record, as the account is created), so it neither decodes nor re-encodes them: about
/// 1,000 CU of a purchase. A test checks that it reads back as the record's own fields.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug)]
pub struct BuyerRecordHead {
    pub version: u8,
    pub event: Pubkey,
    pub buyer: Pubkey,
    pub purchased: u16,
    pub bump: u8,
}

impl BuyerRecordHead {
    /// Reads the head of a BuyerRecord's account data (discriminator checked).
    pub fn from_account_data(data: &[u8]) -> Result<Self> {
        let disc = BuyerRecord::DISCRIMINATOR;
        if data.len() < disc.len() {
            return err!(ErrorCode::AccountDiscriminatorNotFound);
        }
        let (head, mut rest) = data.split_at(disc.len());
        require!(head == disc, ErrorCode::AccountDiscriminatorMismatch);
        require!(
            data.len() >= BuyerRecord::SIZE,
            ErrorCode::AccountDidNotDeserialize
        );
        let head = Self::deserialize(&mut rest)
            .map_err(|_| error!(ErrorCode::AccountDidNotDeserialize))?;
        require!(
            head.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        Ok(head)
    }

    /// Writes the discriminator and this head over a BuyerRecord's account data, its
    /// per-tier counts left as they are; `purchased` must be within the event's limit
    /// (the counts, which this leaves, stay within a total that only grows).
    pub fn write(&self, data: &mut [u8], max_per_wallet: u16) -> Result<()> {
        require!(
            self.purchased <= max_per_wallet,
            BitTicketError::WalletLimitReached
        );
        require!(
            data.len() >= BuyerRecord::SIZE,
            ErrorCode::AccountDidNotSerialize
        );
        let (disc, mut rest) = data.split_at_mut(BuyerRecord::DISCRIMINATOR.len());
        disc.copy_from_slice(BuyerRecord::DISCRIMINATOR);
        self.serialize(&mut rest)
            .map_err(|_| error!(ErrorCode::AccountDidNotSerialize))
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

    #[test]
    fn the_head_reads_back_as_the_records_fields_and_writes_only_them() {
        let mut record = BuyerRecord::new(Pubkey::new_unique(), Pubkey::new_unique(), 254);
        record.purchased = 3;
        record.tiers[7] = TierPurchases {
            bought: 2,
            phase: 1,
            in_phase: 1,
        };
        let mut data = Vec::new();
        record.try_serialize(&mut data).unwrap();
        assert_eq!(data.len(), BuyerRecord::SIZE);
        let mut head = BuyerRecordHead::from_account_data(&data).unwrap();
        assert_eq!(
            (
                head.version,
                head.event,
                head.buyer,
                head.purchased,
                head.bump
            ),
            (record.version, record.event, record.buyer, 3, 254)
        );
        head.purchased = 4;
        assert!(head.write(&mut data, 3).is_err());
        head.write(&mut data, 4).unwrap();
        let back = BuyerRecord::try_deserialize(&mut &data[..]).unwrap();
        assert_eq!((back.purchased, back.tiers), (4, record.tiers));
        // a new record: the head over zeroed data is a record with no tier counts
        let mut fresh = vec![0; BuyerRecord::SIZE];
        head.write(&mut fresh, 4).unwrap();
        let back = BuyerRecord::try_deserialize(&mut &fresh[..]).unwrap();
        assert_eq!((back.purchased, back.tiers), (4, Default::default()));
        assert!(BuyerRecordHead::from_account_data(&data[..BuyerRecord::SIZE - 1]).is_err());
    }
}
