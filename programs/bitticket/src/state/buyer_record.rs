use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, MAX_TIERS};
use crate::errors::BitTicketError;
use crate::state::raw;

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
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct BuyerRecordHead {
    pub version: u8,
    pub event: Pubkey,
    pub buyer: Pubkey,
    pub purchased: u16,
    pub bump: u8,
}

impl BuyerRecordHead {
    /// Where its fields are in a BuyerRecord's account data (Borsh, declaration order).
    const VERSION: usize = 8;
    const EVENT: usize = 9;
    const BUYER: usize = 41;
    const PURCHASED: usize = 73;
    const BUMP: usize = 75;
    /// Its size in Borsh: the per-tier counts follow it, after the discriminator.
    pub const LEN: usize = 1 + 32 + 32 + 2 + 1;
    /// Where the per-tier counts start, and the size of one tier's (`bought`, `phase`,
    /// `in_phase`).
    const TIERS: usize = 8 + Self::LEN;
    const TIER_LEN: usize = 2 + 1 + 2;

    /// A new record's head, before its first ticket.
    pub fn new(event: Pubkey, buyer: Pubkey, bump: u8) -> Self {
        Self {
            version: ACCOUNT_VERSION,
            event,
            buyer,
            purchased: 0,
            bump,
        }
    }

    /// Reads the head of a BuyerRecord's account data (discriminator checked).
    pub fn from_account_data(data: &[u8]) -> Result<Self> {
        raw::require_discriminator(data, BuyerRecord::DISCRIMINATOR)?;
        require!(
            data.len() >= BuyerRecord::SIZE,
            ErrorCode::AccountDidNotDeserialize
        );
        let head = Self {
            version: raw::u8_at(data, Self::VERSION)?,
            event: raw::pubkey_at(data, Self::EVENT)?,
            buyer: raw::pubkey_at(data, Self::BUYER)?,
            purchased: raw::u16_at(data, Self::PURCHASED)?,
            bump: raw::u8_at(data, Self::BUMP)?,
        };
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
        raw::put(data, 0, BuyerRecord::DISCRIMINATOR)?;
        raw::put(data, Self::VERSION, &[self.version])?;
        raw::put(data, Self::EVENT, self.event.as_ref())?;
        raw::put(data, Self::BUYER, self.buyer.as_ref())?;
        raw::put(data, Self::PURCHASED, &self.purchased.to_le_bytes())?;
        raw::put(data, Self::BUMP, &[self.bump])
    }

    /// Where `tier`'s counts are in a BuyerRecord's account data.
    fn tier_at(tier: u8) -> Result<usize> {
        require!(tier < MAX_TIERS, BitTicketError::InvalidTierIndex);
        Ok(Self::TIERS + usize::from(tier) * Self::TIER_LEN)
    }

    /// What the record in `data` (a BuyerRecord's account data whose head was read) counts
    /// of `tier`, read alone.
    pub fn tier_counts(data: &[u8], tier: u8) -> Result<TierPurchases> {
        let at = Self::tier_at(tier)?;
        Ok(TierPurchases {
            bought: raw::u16_at(data, at)?,
            phase: raw::u8_at(data, at + 2)?,
            in_phase: raw::u16_at(data, at + 3)?,
        })
    }

    /// Writes this head and `counts` as `tier`'s over a BuyerRecord's account data, the
    /// other tiers' counts left as they are, and checks the record's invariant on what it
    /// holds then (`BuyerRecord::invariant`, read from the bytes without decoding the rest).
    pub fn write_with_tier(
        &self,
        data: &mut [u8],
        tier: u8,
        counts: &TierPurchases,
        max_per_wallet: u16,
    ) -> Result<()> {
        self.write(data, max_per_wallet)?;
        let at = Self::tier_at(tier)?;
        raw::put(data, at, &counts.bought.to_le_bytes())?;
        raw::put(data, at + 2, &[counts.phase])?;
        raw::put(data, at + 3, &counts.in_phase.to_le_bytes())?;
        let mut in_tiers: u32 = 0;
        for t in 0..MAX_TIERS {
            let at = Self::tier_at(t)?;
            let (bought, in_phase) = (raw::u16_at(data, at)?, raw::u16_at(data, at + 3)?);
            require!(in_phase <= bought, BitTicketError::WalletLimitReached);
            in_tiers += u32::from(bought);
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

    #[test]
    fn one_tiers_counts_read_and_write_alone() {
        let mut record = BuyerRecord::new(Pubkey::new_unique(), Pubkey::new_unique(), 253);
        record.purchased = 3;
        record.tiers[2] = TierPurchases {
            bought: 1,
            phase: 0,
            in_phase: 1,
        };
        record.tiers[7] = TierPurchases {
            bought: 2,
            phase: 3,
            in_phase: 1,
        };
        let mut data = Vec::new();
        record.try_serialize(&mut data).unwrap();
        for t in 0..MAX_TIERS {
            assert_eq!(
                BuyerRecordHead::tier_counts(&data, t).unwrap(),
                record.tiers[usize::from(t)]
            );
        }
        assert!(BuyerRecordHead::tier_counts(&data, MAX_TIERS).is_err());
        let mut head = BuyerRecordHead::from_account_data(&data).unwrap();
        head.purchased = 4;
        let mut seven = record.tiers[7];
        seven.record(3).unwrap();
        head.write_with_tier(&mut data, 7, &seven, 4).unwrap();
        let back = BuyerRecord::try_deserialize(&mut &data[..]).unwrap();
        record.purchased = 4;
        record.tiers[7] = seven;
        assert_eq!((back.purchased, back.tiers), (4, record.tiers));
        // the counts over the total, or a phase's over its tier's: refused
        let mut over = seven;
        over.record(3).unwrap();
        assert!(head.write_with_tier(&mut data, 7, &over, 4).is_err());
        over.bought = 0;
        assert!(head.write_with_tier(&mut data, 7, &over, 4).is_err());
        // a new record: the head and one tier over zeroed data
        let mut fresh = vec![0; BuyerRecord::SIZE];
        let first = BuyerRecordHead {
            purchased: 1,
            ..BuyerRecordHead::new(record.event, record.buyer, 255)
        };
        let mut counts = TierPurchases::default();
        counts.record(1).unwrap();
        first.write_with_tier(&mut fresh, 4, &counts, 1).unwrap();
        let back = BuyerRecord::try_deserialize(&mut &fresh[..]).unwrap();
        assert_eq!((back.purchased, back.bump, back.tiers[4]), (1, 255, counts));
        assert_eq!(back.tiers.iter().map(|t| t.bought).sum::<u16>(), 1);
    }
}
