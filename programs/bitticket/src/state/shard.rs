use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, NO_TIER, SEED_SHARD, SOL_CURRENCY};
use crate::errors::BitTicketError;
use crate::state::{raw, EventHead};

/// How a sale's shards share its serials: the event's own sale (`tier == NO_TIER`) or one
/// of its tiers. Its shard `first_shard + k` of `shard_count` issues serials
/// `serial_base + k + i * shard_count` while they stay below `serial_base + supply`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SaleShape {
    pub tier: u8,
    pub first_shard: u8,
    pub shard_count: u8,
    pub serial_base: u32,
    pub supply: u32,
}

impl SaleShape {
    /// The event's own sale: shards `0..shard_count`, serials `0..supply`.
    pub fn of_event(event: &EventHead) -> Self {
        Self {
            tier: NO_TIER,
            first_shard: 0,
            shard_count: event.shard_count,
            serial_base: 0,
            supply: event.supply,
        }
    }
}

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
    /// The tier it sells, or `NO_TIER` for the event's own sale.
    pub tier: u8,
    pub sold: u32,
    /// Paid in through this shard, in its currency (lamports for SOL).
    pub revenue: u64,
    /// Paid back out as refunds, in its currency.
    pub refunded: u64,
    /// Moved on to the organizer's vault once the event was over, in its currency.
    pub swept: u64,
    /// The lamports it was opened with (its rent-exempt minimum then). Proceeds in SOL are
    /// counted on top and only they ever leave, so a later change of the rent-exempt
    /// minimum cannot hold back a refund or a sweep.
    pub reserve: u64,
    /// Its tier's currency (`SOL_CURRENCY` for the event's own sale). Proceeds in a mint
    /// are held in token accounts the shard owns (its till), not in its lamports.
    pub currency: Pubkey,
    /// The event manager who opened it and paid its rent: `close_shard` gives the rent
    /// back to them only.
    pub opened_by: Pubkey,
}

impl Shard {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// This shard's place in its sale, counted from the sale's first shard; `None` when it
    /// is not one of the sale's shards.
    fn offset_in(&self, sale: &SaleShape) -> Option<u8> {
        let offset = self.index.checked_sub(sale.first_shard)?;
        (self.tier == sale.tier && offset < sale.shard_count).then_some(offset)
    }

    /// The offset, within its sale's range, of the `n`th ticket this shard sells.
    fn nth_offset(&self, n: u32, sale: &SaleShape) -> Result<u32> {
        let offset = self
            .offset_in(sale)
            .ok_or(BitTicketError::InvalidShardIndex)?;
        n.checked_mul(u32::from(sale.shard_count))
            .and_then(|s| s.checked_add(u32::from(offset)))
            .ok_or_else(|| error!(BitTicketError::Overflow))
    }

    /// Serial the next ticket of this shard gets, refused once it would reach the sale's
    /// supply (`ShardSoldOut`).
    pub fn next_serial(&self, sale: &SaleShape) -> Result<u32> {
        let offset = self.nth_offset(self.sold, sale)?;
        require!(offset < sale.supply, BitTicketError::ShardSoldOut);
        sale.serial_base
            .checked_add(offset)
            .ok_or_else(|| error!(BitTicketError::Overflow))
    }

    /// Where a sale's counts, `sold` and `revenue`, are in its account data (Borsh,
    /// declaration order: discriminator, version, event, index, bump, tier, then these).
    const SOLD: usize = 8 + 1 + 32 + 1 + 1 + 1;
    const REVENUE: usize = Self::SOLD + 4;

    /// Reads `info` for a sale: a Shard of this program (owner and discriminator) of
    /// `event`, writable; the checks `#[account(mut, has_one = event)]` on an
    /// `Account<Shard>` make, with their errors. A sale writes back only its counts
    /// (`write_sale`), where Anchor would re-encode the whole account on exit.
    pub fn load_for_sale(info: &AccountInfo, event: &Pubkey) -> Result<Self> {
        raw::require_owned(info, "shard")?;
        let shard = Self::from_account_data(&info.try_borrow_data()?)?;
        if !info.is_writable {
            return Err(Error::from(ErrorCode::ConstraintMut).with_account_name("shard"));
        }
        raw::require_has_one(&shard.event, event, "shard")?;
        Ok(shard)
    }

    /// Reads a Shard's account data (discriminator checked) at the fixed offsets Borsh
    /// gives its fields (`raw`).
    pub fn from_account_data(data: &[u8]) -> Result<Self> {
        raw::require_discriminator(data, Self::DISCRIMINATOR)?;
        Ok(Self {
            version: raw::u8_at(data, 8)?,
            event: raw::pubkey_at(data, 9)?,
            index: raw::u8_at(data, 41)?,
            bump: raw::u8_at(data, 42)?,
            tier: raw::u8_at(data, 43)?,
            sold: raw::u32_at(data, Self::SOLD)?,
            revenue: raw::u64_at(data, Self::REVENUE)?,
            refunded: raw::u64_at(data, 56)?,
            swept: raw::u64_at(data, 64)?,
            reserve: raw::u64_at(data, 72)?,
            currency: raw::pubkey_at(data, 80)?,
            opened_by: raw::pubkey_at(data, 112)?,
        })
    }

    /// Writes what a sale changes, `sold` and `revenue`, into `info` (this shard's account).
    pub fn write_sale(&self, info: &AccountInfo) -> Result<()> {
        let mut data = info.try_borrow_mut_data()?;
        raw::put(&mut data, Self::SOLD, &self.sold.to_le_bytes())?;
        raw::put(&mut data, Self::REVENUE, &self.revenue.to_le_bytes())
    }

    /// Runs `f` with the shard PDA's signer seeds (it owns its till's tokens).
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let (index, bump) = ([self.index], [self.bump]);
        f(&[&[SEED_SHARD, self.event.as_ref(), &index, &bump]])
    }

    pub fn is_sol(&self) -> bool {
        self.currency == SOL_CURRENCY
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
        require!(self.is_sol(), BitTicketError::CurrencyMismatch);
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

    /// Whether `close_shard` may close it: nothing held any more (refunded or swept).
    pub fn require_emptied(&self) -> Result<()> {
        require!(self.held() == 0, BitTicketError::ShardHoldsProceeds);
        Ok(())
    }

    /// Refunds and sweeps never exceed revenue, and the shard's `lamports` cover its
    /// reserve plus the proceeds it holds in SOL: checked after every change of the shard.
    /// (Proceeds in a mint are moved with `transfer_checked` out of the shard's own token
    /// accounts, which refuses to pay out more than they hold.)
    pub fn invariant(&self, lamports: u64) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        let paid_out = self
            .refunded
            .checked_add(self.swept)
            .ok_or(BitTicketError::ShardOverpaid)?;
        require!(paid_out <= self.revenue, BitTicketError::ShardOverpaid);
        let in_lamports = if self.is_sol() { self.held() } else { 0 };
        let needed = self
            .reserve
            .checked_add(in_lamports)
            .ok_or(BitTicketError::InsufficientShardFunds)?;
        require!(lamports >= needed, BitTicketError::InsufficientShardFunds);
        Ok(())
    }

    /// The shard is one of `sale`'s and every serial it issued is below the sale's supply:
    /// checked where serials are issued (open, purchase); refunds and sweeps leave them.
    pub fn require_serials_within(&self, sale: &SaleShape) -> Result<()> {
        require!(
            self.offset_in(sale).is_some(),
            BitTicketError::InvalidShardIndex
        );
        if self.sold > 0 {
            let last = self
                .nth_offset(self.sold - 1, sale)
                .map_err(|_| error!(BitTicketError::SerialAboveSupply))?;
            require!(last < sale.supply, BitTicketError::SerialAboveSupply);
        }
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
            tier: NO_TIER,
            sold: 3,
            revenue: 300,
            refunded: 100,
            swept: 0,
            reserve: 1_000,
            currency: SOL_CURRENCY,
            opened_by: Pubkey::new_unique(),
        };
        let sale = |supply, shard_count| SaleShape {
            tier: NO_TIER,
            first_shard: 0,
            shard_count,
            serial_base: 0,
            supply,
        };
        // serials 1, 5, 9 of 4 shards, below a supply of 10
        good.invariant(1_200).unwrap();
        good.require_serials_within(&sale(10, 4)).unwrap();
        assert_eq!(good.next_serial(&sale(14, 4)).unwrap(), 13);
        let code = |r: Result<u32>| code(r.map(|_| ()));
        assert_eq!(
            code(good.next_serial(&sale(13, 4))),
            Some(anchor_lang::error::ERROR_CODE_OFFSET + BitTicketError::ShardSoldOut as u32)
        );
        expect(good.require_emptied(), BitTicketError::ShardHoldsProceeds);
        Shard { swept: 200, ..good }.require_emptied().unwrap();
        let overpaid = Shard { swept: 201, ..good };
        expect(overpaid.invariant(2_000), BitTicketError::ShardOverpaid);
        expect(
            good.require_serials_within(&sale(9, 4)),
            BitTicketError::SerialAboveSupply,
        );
        expect(
            good.require_serials_within(&sale(10, 1)),
            BitTicketError::InvalidShardIndex,
        );
        expect(
            good.invariant(1_199),
            BitTicketError::InsufficientShardFunds,
        );
        // priced in a mint: its lamports cover the reserve alone
        let usdc = Shard {
            currency: Pubkey::new_unique(),
            ..good
        };
        usdc.invariant(1_000).unwrap();
        expect(usdc.invariant(999), BitTicketError::InsufficientShardFunds);
        // a tier's shard: serials 100 + 0, 100 + 2, ... of shards 5 and 6
        let vip = Shard {
            index: 6,
            tier: 2,
            sold: 1,
            ..good
        };
        let tier = SaleShape {
            tier: 2,
            first_shard: 5,
            shard_count: 2,
            serial_base: 100,
            supply: 4,
        };
        vip.require_serials_within(&tier).unwrap();
        assert_eq!(vip.next_serial(&tier).unwrap(), 103);
        expect(
            vip.require_serials_within(&SaleShape { tier: 3, ..tier }),
            BitTicketError::InvalidShardIndex,
        );
        expect(
            good.require_serials_within(&tier),
            BitTicketError::InvalidShardIndex,
        );
    }

    #[test]
    fn a_serialized_shard_reads_back_and_a_sale_writes_only_its_counts() {
        let shard = Shard {
            version: ACCOUNT_VERSION,
            event: Pubkey::new_unique(),
            index: 17,
            bump: 251,
            tier: 2,
            sold: 0x0a0b_0c0d,
            revenue: u64::MAX - 1,
            refunded: 3,
            swept: 5,
            reserve: 1_900_000,
            currency: Pubkey::new_unique(),
            opened_by: Pubkey::new_unique(),
        };
        let mut data = Vec::new();
        shard.try_serialize(&mut data).unwrap();
        assert_eq!(data.len(), Shard::SIZE);
        let back = Shard::from_account_data(&data).unwrap();
        let mut expected = Vec::new();
        back.try_serialize(&mut expected).unwrap();
        assert_eq!(expected, data);
        assert!(Shard::from_account_data(&data[..Shard::SIZE - 1]).is_err());
        let mut other = data.clone();
        other[0] ^= 1;
        assert!(Shard::from_account_data(&other).is_err());

        let (key, owner) = (Pubkey::new_unique(), crate::ID);
        let mut lamports = 1_900_000;
        let info = AccountInfo::new(&key, false, true, &mut lamports, &mut data, &owner, false);
        let sold = Shard {
            sold: 9,
            revenue: 12,
            ..Shard::from_account_data(&info.try_borrow_data().unwrap()).unwrap()
        };
        sold.write_sale(&info).unwrap();
        let written = Shard::from_account_data(&info.try_borrow_data().unwrap()).unwrap();
        assert_eq!((written.sold, written.revenue), (9, 12));
        assert_eq!(
            (written.refunded, written.swept, written.opened_by),
            (3, 5, shard.opened_by)
        );
    }
}
