use anchor_lang::prelude::*;

use crate::constants::{
    ACCOUNT_VERSION, BPS, MAX_EVENT_SPAN, MAX_NAME_LEN, MAX_RESALE_CAP_BPS, MAX_ROYALTY_BPS,
    MAX_SHARDS, MAX_TIERS, MAX_URI_LEN, REFUND_PERIOD, SEED_EVENT,
};
use crate::errors::BitTicketError;
use crate::state::raw;

/// The configurable part of an event, as passed to create and update. The name and the
/// URI come last, so that everything a purchase reads has a fixed offset (`EventHead`).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, PartialEq, Eq, Debug, InitSpace)]
pub struct EventConfig {
    pub price_lamports: u64,
    pub supply: u32,
    /// Unix seconds by the chain clock; a purchase needs sale_start <= now < sale_end.
    pub sale_start: i64,
    pub sale_end: i64,
    /// Tickets stay frozen in their holder's account until this time; between the sale
    /// start and the end of check-in.
    pub resale_unlock: i64,
    pub max_per_wallet: u16,
    /// Check-in is open for check_in_start <= now < check_in_end; it starts no earlier
    /// than the sale and ends no earlier than the sale ends.
    pub check_in_start: i64,
    pub check_in_end: i64,
    #[max_len(MAX_NAME_LEN)]
    pub name: String,
    #[max_len(MAX_URI_LEN)]
    pub uri: String,
}

impl EventConfig {
    /// Bounds of the name and URI (no control characters: they are shown by wallets and
    /// stored by indexers, and a NUL is refused by Postgres), and windows ordered so that the money rules hold: the
    /// sale ends by the end of check-in (proceeds are swept only after both), resale
    /// unlocks and check-in open inside the event's span, and the span is bounded.
    pub fn validate(&self) -> Result<()> {
        crate::state::require_name(&self.name)?;
        require!(
            self.uri.len() <= usize::from(MAX_URI_LEN) && !self.uri.chars().any(char::is_control),
            BitTicketError::InvalidUri
        );
        require!(self.supply >= 1, BitTicketError::InvalidSupply);
        require!(
            self.sale_start < self.sale_end,
            BitTicketError::InvalidSaleWindow
        );
        require!(
            self.check_in_start >= self.sale_start && self.check_in_start < self.check_in_end,
            BitTicketError::InvalidCheckInWindow
        );
        require!(
            self.sale_end <= self.check_in_end,
            BitTicketError::SaleOutlastsCheckIn
        );
        require!(
            self.resale_unlock >= self.sale_start && self.resale_unlock <= self.check_in_end,
            BitTicketError::InvalidResaleUnlock
        );
        require!(
            self.check_in_end
                .checked_sub(self.sale_start)
                .is_some_and(|span| span <= MAX_EVENT_SPAN),
            BitTicketError::EventTooLong
        );
        require!(self.max_per_wallet >= 1, BitTicketError::InvalidWalletLimit);
        Ok(())
    }

    /// Whether `other` changes anything but the name and the URI: the price, the supply,
    /// the per-wallet limit or a window, the terms a sale is held to.
    pub fn terms_differ(&self, other: &EventConfig) -> bool {
        let terms = |c: &EventConfig| {
            (
                c.price_lamports,
                c.supply,
                c.max_per_wallet,
                c.sale_start,
                c.sale_end,
                c.resale_unlock,
                c.check_in_start,
                c.check_in_end,
            )
        };
        terms(self) != terms(other)
    }
}

/// PDA: ["event", organizer, event_id (le)]. Also the mint and freeze authority of its
/// tickets. Purchases only read it, so it is never a write hot spot.
#[account]
#[derive(InitSpace, Debug)]
pub struct Event {
    /// Layout version (`ACCOUNT_VERSION`).
    pub version: u8,
    pub organizer: Pubkey,
    pub event_id: u64,
    pub bump: u8,
    pub shard_count: u8,
    /// Shards opened so far; shards are opened in index order.
    pub shards_opened: u8,
    pub paused: bool,
    pub cancelled: bool,
    /// Whether its sale terms are approved: at creation when the organizer's single key
    /// governs it; otherwise only by an executed `UpdateEvent` proposal. Nothing sells
    /// before.
    pub approved: bool,
    pub config: EventConfig,
    /// When it was cancelled (0 while it is not); refunds are open until `refund_deadline`.
    /// Last, after the strings, so that the purchase's fixed-size head does not grow.
    pub cancelled_at: i64,
    /// Tiers created so far: `Tier` accounts `0..tier_count`.
    pub tier_count: u8,
    /// Shard indexes in use: the event's own `0..shard_count`, then each tier's range.
    pub shards_reserved: u8,
    /// Serials reserved by its tiers, `tier_serial_start..tier_serial_end` (both zero
    /// before the first tier); the event's own supply stays at or below the start.
    pub tier_serial_start: u32,
    pub tier_serial_end: u32,
    /// The organizer's last proposal index when the event's tiers last changed (0 if
    /// never): a proposal at or below it was made before those tiers, so it may not
    /// approve the event's terms (`UpdateEvent`, `TermsChangedSinceProposal`).
    pub tiers_changed_at_proposal: u64,
    /// The capped resale market's terms (`set_resale_terms`); all zero: no market, free
    /// transfers after the unlock.
    pub resale: ResaleTerms,
}

/// How its tickets are resold: through the program's market at most `cap_bps` of each
/// ticket's face value (what its first buyer paid; 0 closes the market), `royalty_bps` of
/// each resale going to the event's proceeds, and, when `transfers_locked`, only through
/// that market (no free transfers).
#[derive(
    AnchorSerialize, AnchorDeserialize, Clone, Copy, PartialEq, Eq, Debug, Default, InitSpace,
)]
pub struct ResaleTerms {
    pub cap_bps: u32,
    pub royalty_bps: u16,
    pub transfers_locked: bool,
}

impl ResaleTerms {
    pub fn validate(&self) -> Result<()> {
        require!(
            self.cap_bps <= MAX_RESALE_CAP_BPS && u32::from(self.royalty_bps) <= MAX_ROYALTY_BPS,
            BitTicketError::InvalidResaleTerms
        );
        Ok(())
    }

    /// The most a ticket of face value `face` may be listed at; refused while the market
    /// is closed.
    pub fn cap(&self, face: u64) -> Result<u64> {
        require!(self.cap_bps > 0, BitTicketError::ResaleClosed);
        Ok(bps_of(face, self.cap_bps))
    }

    /// The organizer's part of a resale at `price` (rounded down: the seller keeps the
    /// rest).
    pub fn royalty(&self, price: u64) -> u64 {
        bps_of(price, u32::from(self.royalty_bps))
    }
}

/// `bps` basis points of `amount`, rounded down; saturates at `u64::MAX` (a cap above
/// any price).
fn bps_of(amount: u64, bps: u32) -> u64 {
    let v = u128::from(amount) * u128::from(bps) / u128::from(BPS);
    u64::try_from(v).unwrap_or(u64::MAX)
}

impl Event {
    pub const SIZE: usize = 8 + Self::INIT_SPACE;

    /// Runs `f` with the signer seeds of this event PDA, the authority of its tickets.
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        with_event_signer(&self.organizer, self.event_id, self.bump, f)
    }

    /// Replaces the configuration: only before the sale starts (by the clock), so that
    /// no buyer ever pays a price or meets windows other than those of the sale they saw;
    /// or while its terms await approval, when nothing can have sold (so an event whose
    /// start passed before the multisig approved it can still be given new windows).
    pub fn update(&mut self, config: EventConfig, now: i64) -> Result<()> {
        self.require_terms_open(now)?;
        config.validate()?;
        require!(
            config.supply >= u32::from(self.shard_count),
            BitTicketError::InvalidSupply
        );
        // the serials above the event's own supply are its tiers'
        require!(
            self.tier_count == 0 || config.supply <= self.tier_serial_start,
            BitTicketError::InvalidSupply
        );
        self.config = config;
        Ok(())
    }

    /// Whether its sale terms may change: before the sale starts (by the clock), or while
    /// they await approval, when nothing can have sold (see `update`).
    pub fn require_terms_open(&self, now: i64) -> Result<()> {
        require!(!self.cancelled, BitTicketError::EventCancelled);
        require!(
            now < self.config.sale_start || !self.approved,
            BitTicketError::SaleStarted
        );
        Ok(())
    }

    /// Reserves the serials and shard indexes of its next tier, of `supply` tickets sold
    /// through `shard_count` shards; returns (index, serial base, first shard).
    pub fn reserve_tier(&mut self, supply: u32, shard_count: u8) -> Result<(u8, u32, u8)> {
        require!(self.tier_count < MAX_TIERS, BitTicketError::TooManyTiers);
        require!(
            (1..=MAX_SHARDS).contains(&shard_count) && u32::from(shard_count) <= supply,
            BitTicketError::InvalidShardCount
        );
        let first_shard = self.shards_reserved;
        self.shards_reserved = first_shard
            .checked_add(shard_count)
            .filter(|end| *end <= MAX_SHARDS)
            .ok_or(BitTicketError::TooManyShards)?;
        if self.tier_count == 0 {
            self.tier_serial_start = self.config.supply;
            self.tier_serial_end = self.config.supply;
        }
        let base = self.tier_serial_end;
        self.tier_serial_end = base.checked_add(supply).ok_or(BitTicketError::Overflow)?;
        let index = self.tier_count;
        self.tier_count += 1;
        Ok((index, base, first_shard))
    }

    /// Irreversible; opens the refund period. An event that is over can no longer be
    /// cancelled: its proceeds may have been swept.
    pub fn cancel(&mut self, now: i64) -> Result<()> {
        require!(!self.cancelled, BitTicketError::EventCancelled);
        require!(
            now < self.config.check_in_end,
            BitTicketError::EventAlreadyHeld
        );
        self.cancelled = true;
        self.cancelled_at = now;
        Ok(())
    }

    /// Refunds are claimed for `cancelled_at <= now < refund_deadline`: `REFUND_PERIOD`
    /// after the later of the cancellation and the event's own end of check-in, so an
    /// event cancelled long before its date keeps refunds open past that date.
    pub fn refund_deadline(&self) -> i64 {
        self.cancelled_at
            .max(self.config.check_in_end)
            .saturating_add(REFUND_PERIOD)
    }

    /// Proceeds leave the shards only when nothing can be owed from them any more: a held
    /// event once both its sale and its check-in are over; a cancelled one once its
    /// refund period is over.
    pub fn require_sweepable(&self, now: i64) -> Result<()> {
        if now >= self.sweepable_at() {
            Ok(())
        } else if self.cancelled {
            err!(BitTicketError::RefundPeriodOpen)
        } else {
            err!(BitTicketError::EventNotOver)
        }
    }

    /// When nothing can be owed from its shards any more (`require_sweepable`): the end of
    /// a cancelled event's refund period, or of a held one's sale and check-in.
    pub fn sweepable_at(&self) -> i64 {
        if self.cancelled {
            self.refund_deadline()
        } else {
            self.config.check_in_end.max(self.config.sale_end)
        }
    }

    pub fn invariant(&self) -> Result<()> {
        require!(
            self.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        self.config.validate()?;
        require!(
            self.cancelled || self.cancelled_at == 0,
            BitTicketError::CancellationTimeMismatch
        );
        require!(
            self.shard_count >= 1 && self.shard_count <= MAX_SHARDS,
            BitTicketError::InvalidShardCount
        );
        require!(
            self.config.supply >= u32::from(self.shard_count),
            BitTicketError::InvalidSupply
        );
        require!(
            self.shards_opened <= self.shard_count,
            BitTicketError::InvalidShardIndex
        );
        require!(
            self.shards_reserved >= self.shard_count && self.shards_reserved <= MAX_SHARDS,
            BitTicketError::TooManyShards
        );
        require!(self.tier_count <= MAX_TIERS, BitTicketError::TooManyTiers);
        require!(
            if self.tier_count == 0 {
                self.tier_serial_start == 0 && self.tier_serial_end == 0
            } else {
                self.config.supply <= self.tier_serial_start
                    && self.tier_serial_start < self.tier_serial_end
            },
            BitTicketError::InvalidSupply
        );
        self.resale.validate()?;
        Ok(())
    }

    /// Whether its tickets may be resold or given now: after the resale unlock, before
    /// the end of check-in (the event is over then, and its proceeds may be swept), and
    /// not once it is cancelled (its tickets are owed refunds).
    pub fn require_resale_open(&self, now: i64) -> Result<()> {
        require!(!self.cancelled, BitTicketError::EventCancelled);
        require!(
            now >= self.config.resale_unlock,
            BitTicketError::ResaleLocked
        );
        require!(now < self.config.check_in_end, BitTicketError::ResaleOver);
        Ok(())
    }
}

fn with_event_signer<R>(
    organizer: &Pubkey,
    event_id: u64,
    bump: u8,
    f: impl FnOnce(&[&[&[u8]]]) -> R,
) -> R {
    let id = event_id.to_le_bytes();
    let seeds: &[&[u8]] = &[SEED_EVENT, organizer.as_ref(), &id, &[bump]];
    f(&[seeds])
}

/// The fixed-size head of an Event account: every field before the name and the URI,
/// which is all a purchase needs. Borsh lays fields out in declaration order, so these are
/// the Event's own bytes, read without decoding (and allocating) its strings: about 10 CU
/// a byte of name and URI that a purchase no longer pays. A test checks that the head of
/// every serialized Event reads back as its fields.
#[derive(AnchorDeserialize, Clone, PartialEq, Eq, Debug)]
pub struct EventHead {
    pub version: u8,
    pub organizer: Pubkey,
    pub event_id: u64,
    pub bump: u8,
    pub shard_count: u8,
    pub shards_opened: u8,
    pub paused: bool,
    pub cancelled: bool,
    pub approved: bool,
    pub price_lamports: u64,
    pub supply: u32,
    pub sale_start: i64,
    pub sale_end: i64,
    pub resale_unlock: i64,
    pub max_per_wallet: u16,
    pub check_in_start: i64,
    pub check_in_end: i64,
}

impl EventHead {
    /// Reads the head of `info`, which must be an Event of this program (owner and
    /// discriminator checked, as `Account<Event>` does).
    pub fn load(info: &AccountInfo) -> Result<Self> {
        if info.owner != &crate::ID {
            return Err(Error::from(ErrorCode::AccountOwnedByWrongProgram)
                .with_account_name("event")
                .with_pubkeys((*info.owner, crate::ID)));
        }
        let data = info.try_borrow_data()?;
        Self::from_account_data(&data)
    }

    /// Reads the head of an Event's account data (discriminator included), at the fixed
    /// offsets Borsh gives its fields (`raw`).
    pub fn from_account_data(data: &[u8]) -> Result<Self> {
        raw::require_discriminator(data, Event::DISCRIMINATOR)?;
        let head = Self {
            version: raw::u8_at(data, 8)?,
            organizer: raw::pubkey_at(data, 9)?,
            event_id: raw::u64_at(data, 41)?,
            bump: raw::u8_at(data, 49)?,
            shard_count: raw::u8_at(data, 50)?,
            shards_opened: raw::u8_at(data, 51)?,
            paused: raw::bool_at(data, 52)?,
            cancelled: raw::bool_at(data, 53)?,
            approved: raw::bool_at(data, 54)?,
            price_lamports: raw::u64_at(data, 55)?,
            supply: raw::u32_at(data, 63)?,
            sale_start: raw::i64_at(data, 67)?,
            sale_end: raw::i64_at(data, 75)?,
            resale_unlock: raw::i64_at(data, 83)?,
            max_per_wallet: raw::u16_at(data, 91)?,
            check_in_start: raw::i64_at(data, 93)?,
            check_in_end: raw::i64_at(data, 101)?,
        };
        require!(
            head.version == ACCOUNT_VERSION,
            BitTicketError::AccountVersionMismatch
        );
        Ok(head)
    }

    /// Runs `f` with the signer seeds of this event PDA, the authority of its tickets.
    pub fn with_signer<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        with_event_signer(&self.organizer, self.event_id, self.bump, f)
    }

    /// The bytes of the name and the URI that follow the head in an Event's account data
    /// (discriminator included), without decoding them as strings: `create` and `update`
    /// stored them as validated UTF-8.
    pub fn name_and_uri(data: &[u8]) -> Result<(&[u8], &[u8])> {
        let rest = data
            .get(Event::DISCRIMINATOR.len() + Self::LEN..)
            .ok_or(ErrorCode::AccountDidNotDeserialize)?;
        let (name, rest) = borsh_bytes(rest)?;
        let (uri, _) = borsh_bytes(rest)?;
        Ok((name, uri))
    }

    /// Its size in Borsh: the offset of the name in an Event after the discriminator.
    pub const LEN: usize = 1 + 32 + 8 + 6 + 8 + 4 + 8 + 8 + 8 + 2 + 8 + 8;
}

/// A Borsh `String`'s bytes at the start of `data`, and what follows them.
fn borsh_bytes(data: &[u8]) -> Result<(&[u8], &[u8])> {
    let (len, rest) = data
        .split_first_chunk::<4>()
        .ok_or(ErrorCode::AccountDidNotDeserialize)?;
    let len = u32::from_le_bytes(*len) as usize;
    require!(rest.len() >= len, ErrorCode::AccountDidNotDeserialize);
    Ok(rest.split_at(len))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_head_of_a_serialized_event_reads_back_as_its_fields() {
        for (name, uri) in [
            ("a", ""),
            ("Solana Summer Fest", "https://x.example/1.json"),
        ] {
            let event = Event {
                version: ACCOUNT_VERSION,
                organizer: Pubkey::new_unique(),
                event_id: 7,
                bump: 254,
                shard_count: 16,
                shards_opened: 3,
                paused: name == "a",
                cancelled: name != "a",
                approved: true,
                config: EventConfig {
                    price_lamports: 1_500_000_000,
                    supply: 10_000,
                    sale_start: -1,
                    sale_end: 1_800_000_000,
                    resale_unlock: 1_800_000_100,
                    max_per_wallet: 4,
                    check_in_start: 1_800_000_200,
                    check_in_end: i64::MAX,
                    name: name.into(),
                    uri: uri.into(),
                },
                cancelled_at: 0,
                tier_count: 0,
                shards_reserved: 16,
                tier_serial_start: 0,
                tier_serial_end: 0,
                tiers_changed_at_proposal: 0,
                resale: Default::default(),
            };
            let mut data = Vec::new();
            event.try_serialize(&mut data).unwrap();
            let c = &event.config;
            let expected = EventHead {
                version: event.version,
                organizer: event.organizer,
                event_id: event.event_id,
                bump: event.bump,
                shard_count: event.shard_count,
                shards_opened: event.shards_opened,
                paused: event.paused,
                cancelled: event.cancelled,
                approved: event.approved,
                price_lamports: c.price_lamports,
                supply: c.supply,
                sale_start: c.sale_start,
                sale_end: c.sale_end,
                resale_unlock: c.resale_unlock,
                max_per_wallet: c.max_per_wallet,
                check_in_start: c.check_in_start,
                check_in_end: c.check_in_end,
            };
            assert_eq!(EventHead::from_account_data(&data).unwrap(), expected);
            let (n, u) = EventHead::name_and_uri(&data).unwrap();
            assert_eq!((n, u), (name.as_bytes(), uri.as_bytes()));
            let name_end = 8 + EventHead::LEN + 4 + name.len();
            assert!(EventHead::name_and_uri(&data[..name_end - 1]).is_err());
            assert!(EventHead::from_account_data(&data[..8]).is_err());
            data[0] ^= 1;
            assert!(EventHead::from_account_data(&data).is_err());
        }
    }

    #[test]
    fn the_resale_cap_and_royalty_are_shares_rounded_down() {
        let terms = ResaleTerms {
            cap_bps: 12_000,
            royalty_bps: 250,
            transfers_locked: false,
        };
        terms.validate().unwrap();
        assert_eq!(terms.cap(1_000_000).unwrap(), 1_200_000);
        assert_eq!(terms.cap(7).unwrap(), 8);
        // the largest cap on the largest price does not overflow: it saturates
        let max = ResaleTerms {
            cap_bps: MAX_RESALE_CAP_BPS,
            ..terms
        };
        assert_eq!(max.cap(u64::MAX).unwrap(), u64::MAX);
        assert_eq!(terms.royalty(1_000), 25);
        assert_eq!(terms.royalty(39), 0);
        assert_eq!(
            terms.royalty(u64::MAX),
            u64::MAX / 10_000 * 250 + 250 * (u64::MAX % 10_000) / 10_000
        );
        // a closed market has no cap at all
        let closed = ResaleTerms::default();
        assert!(closed.cap(1).is_err());
        for bad in [
            ResaleTerms {
                cap_bps: MAX_RESALE_CAP_BPS + 1,
                ..terms
            },
            ResaleTerms {
                royalty_bps: 5_001,
                ..terms
            },
        ] {
            assert!(bad.validate().is_err(), "{bad:?}");
        }
    }
}
