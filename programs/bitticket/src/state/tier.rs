use anchor_lang::prelude::*;

use crate::constants::{
    ACCOUNT_VERSION, MAX_PHASES, MAX_SHARDS, MAX_TIERS, MAX_TIER_NAME_LEN, SOL_CURRENCY,
    SOL_DECIMALS,
};
use crate::errors::BitTicketError;
use crate::state::{raw, SaleShape};

/// One sale phase of a tier: a window with its own price, wallet limit and, optionally,
/// an allow-list. A tier's phases never overlap, so at any time at most one is open.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, InitSpace)]
pub struct Phase {
    /// Unix seconds by the chain clock; the phase sells for `start <= now < end`.
    pub start: i64,
    pub end: i64,
    /// Per ticket, in the tier's currency's smallest unit (lamports for SOL).
    pub price: u64,
    /// Tickets one wallet may buy in this phase (within the tier's and the event's limits).
    pub max_per_wallet: u16,
    /// The Merkle root of the wallets allowed to buy in this phase (`allow_list.rs`);
    /// all zeros: anyone may.
    pub allow_list: [u8; 32],
}

impl Phase {
    /// No phase: the filler of a fixed array of phases.
    pub const NONE: Self = Self {
        start: 0,
        end: 0,
        price: 0,
        max_per_wallet: 0,
        allow_list: [0; 32],
    };

    pub fn is_open(&self, now: i64) -> bool {
        self.start <= now && now < self.end
    }

    pub fn is_allow_listed(&self) -> bool {
        self.allow_list != [0; 32]
    }
}

/// The configurable part of a tier, as passed to create and update.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct TierConfig {
    #[max_len(MAX_TIER_NAME_LEN)]
    pub name: String,
    /// Tickets this tier may sell; at most the serials it reserved at creation.
    pub supply: u32,
    /// Tickets one wallet may buy in this tier, over all its phases.
    pub max_per_wallet: u16,
    /// In time order, not overlapping, each inside the event's sale window.
    #[max_len(MAX_PHASES)]
    pub phases: Vec<Phase>,
}

impl TierConfig {
    /// A name wallets and indexers can show, a supply, limits, and 1 to `MAX_PHASES` phases
    /// in time order that do not overlap and lie inside the event's sale window (so that
    /// nothing sells after the event's proceeds may be swept).
    pub fn validate(&self, sale_start: i64, sale_end: i64) -> Result<()> {
        require!(
            !self.name.is_empty()
                && self.name.len() <= usize::from(MAX_TIER_NAME_LEN)
                && !self.name.chars().any(char::is_control),
            BitTicketError::InvalidName
        );
        require!(self.supply >= 1, BitTicketError::InvalidSupply);
        require!(self.max_per_wallet >= 1, BitTicketError::InvalidWalletLimit);
        require!(
            !self.phases.is_empty() && self.phases.len() <= usize::from(MAX_PHASES),
            BitTicketError::InvalidPhases
        );
        let mut previous_end = sale_start;
        for phase in &self.phases {
            require!(
                phase.start < phase.end && phase.start >= previous_end && phase.end <= sale_end,
                BitTicketError::InvalidPhases
            );
            require!(
                phase.max_per_wallet >= 1,
                BitTicketError::InvalidWalletLimit
            );
            previous_end = phase.end;
        }
        Ok(())
    }

    /// The phase open at `now`, with its index; `Err` says why none is.
    pub fn phase_at(&self, now: i64) -> Result<(u8, &Phase)> {
        phase_at(&self.phases, now)
    }
}

/// The phase of `phases` (in time order) open at `now`, with its index; `Err` says why
/// none is.
fn phase_at(phases: &[Phase], now: i64) -> Result<(u8, &Phase)> {
    if let Some(i) = phases.iter().position(|p| p.is_open(now)) {
        // at most MAX_PHASES phases
        return Ok((i as u8, &phases[i]));
    }
    match phases.first() {
        Some(first) if now < first.start => err!(BitTicketError::SaleNotStarted),
        _ if phases.iter().any(|p| now < p.start) => err!(BitTicketError::BetweenPhases),
        _ => err!(BitTicketError::SaleEnded),
    }
}

/// A ticket tier of an event (GA, VIP, ...). PDA: ["tier", event, index]. Purchases only
/// read it; it is written when it is configured and when one of its shards is opened.
///
/// At creation it reserves a range of the event's serials, `[serial_base, serial_base +
/// serial_span)`, and of the event's shard indexes, `[first_shard, first_shard +
/// shard_count)`. Its shard `first_shard + k` issues serials `serial_base + k, + k + n,
/// ...` while they stay below `serial_base + supply`: unique across the event and capped
/// at the tier's supply without any shared counter.
#[account]
#[derive(InitSpace, Debug)]
pub struct Tier {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub event: Pubkey,
    pub index: u8,
    pub bump: u8,
    pub serial_base: u32,
    pub serial_span: u32,
    pub first_shard: u8,
    pub shard_count: u8,
    /// Shards opened so far, in index order.
    pub shards_opened: u8,
    pub config: TierConfig,
    /// What its prices are in: `SOL_CURRENCY` (lamports) or an SPL mint (`currency.rs`),
    /// fixed at creation; every shard of the tier holds its proceeds in it.
    pub currency: Pubkey,
    /// The currency's decimals (`SOL_DECIMALS` for SOL), for clients showing its prices.
    pub currency_decimals: u8,
}

impl Tier {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// The shape its shards sell in.
    pub fn sale(&self) -> SaleShape {
        SaleShape {
            tier: self.index,
            first_shard: self.first_shard,
            shard_count: self.shard_count,
            serial_base: self.serial_base,
            supply: self.config.supply,
        }
    }

    pub fn invariant(&self, sale_start: i64, sale_end: i64) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        require!(self.index < MAX_TIERS, BitTicketError::InvalidTierIndex);
        require!(
            self.currency != SOL_CURRENCY || self.currency_decimals == SOL_DECIMALS,
            BitTicketError::UnsupportedCurrency
        );
        self.config.validate(sale_start, sale_end)?;
        require!(
            self.config.supply <= self.serial_span
                && self.serial_base.checked_add(self.serial_span).is_some(),
            BitTicketError::InvalidSupply
        );
        require!(
            self.shard_count >= 1
                && u32::from(self.shard_count) <= self.config.supply
                && u16::from(self.first_shard) + u16::from(self.shard_count)
                    <= u16::from(MAX_SHARDS),
            BitTicketError::InvalidShardCount
        );
        require!(
            self.shards_opened <= self.shard_count,
            BitTicketError::InvalidShardIndex
        );
        Ok(())
    }
}

/// What a purchase reads of a Tier, read from its account data without decoding the name
/// (skipped by its length) or allocating the phases (copied into an array): Borsh lays
/// fields out in declaration order, so these are the Tier's own bytes. About 500 CU less
/// than `Account<Tier>` on every tier purchase; a test checks that every serialized Tier
/// reads back as its fields.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct TierHead {
    pub event: Pubkey,
    pub index: u8,
    pub serial_base: u32,
    pub first_shard: u8,
    pub shard_count: u8,
    pub supply: u32,
    pub max_per_wallet: u16,
    phases: [Phase; MAX_PHASES as usize],
    phase_count: u8,
    pub currency: Pubkey,
}

impl TierHead {
    /// Reads `info`, which must be a Tier of this program (owner and discriminator, as
    /// `Account<Tier>` checks) of `event` (as `has_one = event`).
    pub fn load(info: &AccountInfo, event: &Pubkey) -> Result<Self> {
        raw::require_owned(info, "tier")?;
        let tier = Self::from_account_data(&info.try_borrow_data()?)?;
        raw::require_has_one(&tier.event, event, "tier")?;
        Ok(tier)
    }

    /// Where its fields are in a Tier's account data (Borsh, declaration order): fixed up
    /// to the name, then counted from the name's end.
    const VERSION: usize = 8;
    const EVENT: usize = 9;
    const INDEX: usize = 41;
    const SERIAL_BASE: usize = 43;
    const FIRST_SHARD: usize = 51;
    const SHARD_COUNT: usize = 52;
    const NAME: usize = 54;
    /// A phase in Borsh: start, end, price, max_per_wallet, allow_list.
    const PHASE_LEN: usize = 8 + 8 + 8 + 2 + 32;

    /// Reads a Tier's account data (discriminator included).
    pub fn from_account_data(data: &[u8]) -> Result<Self> {
        raw::require_discriminator(data, Tier::DISCRIMINATOR)?;
        require!(
            raw::u8_at(data, Self::VERSION)? == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        let name_len = raw::u32_at(data, Self::NAME)? as usize;
        require!(
            name_len <= usize::from(MAX_TIER_NAME_LEN),
            ErrorCode::AccountDidNotDeserialize
        );
        let after_name = Self::NAME + 4 + name_len;
        let phase_count = raw::u32_at(data, after_name + 6)?;
        require!(
            phase_count <= u32::from(MAX_PHASES),
            ErrorCode::AccountDidNotDeserialize
        );
        let mut phases = [Phase::NONE; MAX_PHASES as usize];
        let mut at = after_name + 10;
        for phase in phases.iter_mut().take(phase_count as usize) {
            *phase = Phase {
                start: raw::i64_at(data, at)?,
                end: raw::i64_at(data, at + 8)?,
                price: raw::u64_at(data, at + 16)?,
                max_per_wallet: raw::u16_at(data, at + 24)?,
                allow_list: raw::bytes(data, at + 26)?,
            };
            at += Self::PHASE_LEN;
        }
        Ok(Self {
            event: raw::pubkey_at(data, Self::EVENT)?,
            index: raw::u8_at(data, Self::INDEX)?,
            serial_base: raw::u32_at(data, Self::SERIAL_BASE)?,
            first_shard: raw::u8_at(data, Self::FIRST_SHARD)?,
            shard_count: raw::u8_at(data, Self::SHARD_COUNT)?,
            supply: raw::u32_at(data, after_name)?,
            max_per_wallet: raw::u16_at(data, after_name + 4)?,
            phases,
            phase_count: phase_count as u8,
            currency: raw::pubkey_at(data, at)?,
        })
    }

    /// Its phases, in time order.
    pub fn phases(&self) -> &[Phase] {
        &self.phases[..usize::from(self.phase_count)]
    }

    /// The phase open at `now`, with its index; `Err` says why none is.
    pub fn phase_at(&self, now: i64) -> Result<(u8, &Phase)> {
        phase_at(self.phases(), now)
    }

    /// The shape its shards sell in.
    pub fn sale(&self) -> SaleShape {
        SaleShape {
            tier: self.index,
            first_shard: self.first_shard,
            shard_count: self.shard_count,
            serial_base: self.serial_base,
            supply: self.supply,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phase(start: i64, end: i64) -> Phase {
        Phase {
            start,
            end,
            price: 1,
            max_per_wallet: 1,
            allow_list: [0; 32],
        }
    }

    fn config(phases: Vec<Phase>) -> TierConfig {
        TierConfig {
            name: "VIP".into(),
            supply: 10,
            max_per_wallet: 2,
            phases,
        }
    }

    fn code<T>(r: Result<T>) -> Option<u32> {
        match r {
            Err(Error::AnchorError(e)) => Some(e.error_code_number),
            _ => None,
        }
    }

    fn is(e: BitTicketError) -> Option<u32> {
        Some(anchor_lang::error::ERROR_CODE_OFFSET + e as u32)
    }

    #[test]
    fn phases_are_ordered_apart_and_inside_the_sale() {
        config(vec![phase(0, 10), phase(10, 20)])
            .validate(0, 20)
            .unwrap();
        for bad in [
            vec![],
            vec![phase(0, 10), phase(9, 20)],
            vec![phase(10, 20), phase(0, 10)],
            vec![phase(-1, 10)],
            vec![phase(0, 21)],
            vec![phase(5, 5)],
            vec![phase(0, 1); 5],
        ] {
            assert_eq!(
                code(config(bad).validate(0, 20)),
                is(BitTicketError::InvalidPhases)
            );
        }
    }

    #[test]
    fn the_open_phase_or_why_none_is() {
        let c = config(vec![phase(10, 20), phase(30, 40)]);
        assert_eq!(code(c.phase_at(9)), is(BitTicketError::SaleNotStarted));
        assert_eq!(c.phase_at(10).unwrap().0, 0);
        assert_eq!(c.phase_at(19).unwrap().0, 0);
        assert_eq!(code(c.phase_at(20)), is(BitTicketError::BetweenPhases));
        assert_eq!(c.phase_at(30).unwrap().0, 1);
        assert_eq!(c.phase_at(39).unwrap().0, 1);
        assert_eq!(code(c.phase_at(40)), is(BitTicketError::SaleEnded));
    }

    #[test]
    fn the_head_of_a_serialized_tier_reads_back_as_its_fields() {
        let event = Pubkey::new_unique();
        for (name, phases) in [
            ("V", vec![phase(0, 10)]),
            ("Very Important Person, row 1234", vec![phase(0, 1); 4]),
            ("GA", vec![phase(3, 7), phase(7, 9)]),
        ] {
            let tier = Tier {
                version: ACCOUNT_VERSION,
                event,
                index: 5,
                bump: 254,
                serial_base: 700,
                serial_span: 300,
                first_shard: 9,
                shard_count: 3,
                shards_opened: 2,
                config: TierConfig {
                    name: name.into(),
                    supply: 250,
                    max_per_wallet: 6,
                    phases: phases.clone(),
                },
                currency: Pubkey::new_unique(),
                currency_decimals: 6,
            };
            let mut data = Vec::new();
            tier.try_serialize(&mut data).unwrap();
            let head = TierHead::from_account_data(&data).unwrap();
            assert_eq!(head.phases(), &phases[..]);
            assert_eq!(head.sale(), tier.sale());
            assert_eq!(
                (head.event, head.index, head.max_per_wallet, head.currency),
                (event, 5, 6, tier.currency)
            );
            // cut anywhere: an error, never a wrong tier
            for cut in 0..data.len() - 1 {
                assert!(TierHead::from_account_data(&data[..cut]).is_err(), "{cut}");
            }
        }
    }
}
