use anchor_lang::prelude::*;

use crate::constants::ACCOUNT_VERSION;
use crate::errors::BitTicketError;

/// A sale shard of an event: its own sale counter and its own vault of proceeds.
/// PDA: ["shard", event, index]. A purchase writes exactly one shard, chosen by the
/// client, so purchases through different shards never contend for an account.
///
/// Shard `i` of `n` issues serials `i, i + n, i + 2n, ...` below the supply: the serial
/// is unique across the event and `serial < supply` caps the total without any shared
/// counter.
#[account]
#[derive(InitSpace, Debug)]
pub struct Shard {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub index: u8,
    pub bump: u8,
    pub sold: u32,
    /// Lamports paid in through this shard.
    pub revenue: u64,
    /// Lamports paid back out as refunds.
    pub refunded: u64,
    /// Lamports moved on to the organizer's vault once the event was over.
    pub swept: u64,
    /// The lamports it was opened with (its rent-exempt minimum then). Proceeds are
    /// counted on top and only they ever leave, so a later change of the rent-exempt
    /// minimum cannot hold back a refund or a sweep.
    pub reserve: u64,
}

impl Shard {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// Serial the next ticket of this shard gets.
    pub fn next_serial(&self, shard_count: u8) -> Result<u32> {
        self.sold
            .checked_mul(u32::from(shard_count))
            .and_then(|s| s.checked_add(u32::from(self.index)))
            .ok_or_else(|| error!(BitTicketError::Overflow))
    }

    /// Proceeds still held: what came in minus refunds and sweeps.
    pub fn held(&self) -> u64 {
        self.revenue
            .saturating_sub(self.refunded)
            .saturating_sub(self.swept)
    }

    /// Moves `amount` lamports of the proceeds it holds out of `account`, this shard's
    /// account (refunds, sweeps); its reserve stays. Returns what the account has left.
    pub fn pay_out(&self, account: &AccountInfo, to: &AccountInfo, amount: u64) -> Result<u64> {
        let keep = self
            .held()
            .checked_sub(amount)
            .and_then(|rest| rest.checked_add(self.reserve))
            .ok_or(BitTicketError::InsufficientShardFunds)?;
        crate::lamports::transfer(
            account,
            to,
            amount,
            keep,
            BitTicketError::InsufficientShardFunds,
        )
    }

    /// Refunds and sweeps never exceed revenue; every serial issued is below the supply;
    /// the shard's `lamports` cover its reserve plus the proceeds it holds.
    pub fn invariant(&self, lamports: u64, supply: u32, shard_count: u8) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        let paid_out = self
            .refunded
            .checked_add(self.swept)
            .ok_or(BitTicketError::ShardOverpaid)?;
        require!(paid_out <= self.revenue, BitTicketError::ShardOverpaid);
        require!(self.index < shard_count, BitTicketError::InvalidShardIndex);
        if self.sold > 0 {
            let last = (self.sold - 1)
                .checked_mul(u32::from(shard_count))
                .and_then(|s| s.checked_add(u32::from(self.index)))
                .ok_or(BitTicketError::SerialAboveSupply)?;
            require!(last < supply, BitTicketError::SerialAboveSupply);
        }
        let needed = self
            .reserve
            .checked_add(self.held())
            .ok_or(BitTicketError::InsufficientShardFunds)?;
        require!(lamports >= needed, BitTicketError::InsufficientShardFunds);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(r: Result<()>) -> Option<u32> {
        match r {
            Err(Error::AnchorError(e)) => Some(e.error_code_number),
            _ => None,
        }
    }

    fn expect(r: Result<()>, e: BitTicketError) {
        assert_eq!(
            code(r),
            Some(anchor_lang::error::ERROR_CODE_OFFSET + e as u32)
        );
    }

    #[test]
    fn each_broken_rule_names_itself() {
        let good = Shard {
            version: ACCOUNT_VERSION,
            event: Pubkey::new_unique(),
            index: 1,
            bump: 255,
            sold: 3,
            revenue: 300,
            refunded: 100,
            swept: 0,
            reserve: 1_000,
        };
        // serials 1, 5, 9 of 4 shards, below a supply of 10
        good.invariant(1_200, 10, 4).unwrap();
        let overpaid = Shard { swept: 201, ..good };
        expect(
            overpaid.invariant(2_000, 10, 4),
            BitTicketError::ShardOverpaid,
        );
        expect(
            good.invariant(1_200, 9, 4),
            BitTicketError::SerialAboveSupply,
        );
        expect(
            good.invariant(1_200, 10, 1),
            BitTicketError::InvalidShardIndex,
        );
        expect(
            good.invariant(1_199, 10, 4),
            BitTicketError::InsufficientShardFunds,
        );
    }
}
