//! One event per state change, carrying what an indexer needs to mirror the state
//! without re-reading accounts. Emitted with `emit!` (sol_log_data): a few hundred CU
//! instead of a self-CPI, which matters on the purchase path.
use anchor_lang::prelude::*;

#[event]
pub struct OrganizerCreated {
    pub organizer: Pubkey,
    pub creator: Pubkey,
    pub organizer_id: u64,
}

#[event]
pub struct MemberAdded {
    pub organizer: Pubkey,
    pub member: Pubkey,
    pub permissions: u8,
    pub by: Pubkey,
}

#[event]
pub struct MemberRemoved {
    pub organizer: Pubkey,
    pub member: Pubkey,
    pub by: Pubkey,
}

/// Emitted by create and update with the whole event configuration.
#[event]
pub struct EventConfigured {
    pub organizer: Pubkey,
    pub event: Pubkey,
    pub event_id: u64,
    pub name: String,
    pub uri: String,
    pub price_lamports: u64,
    pub supply: u32,
    pub sale_start: i64,
    pub sale_end: i64,
    pub resale_unlock: i64,
    pub max_per_wallet: u16,
    pub check_in_start: i64,
    pub check_in_end: i64,
    pub shard_count: u8,
    /// Whether its sale terms are approved (see `Event::approved`).
    pub approved: bool,
}

#[event]
pub struct ShardOpened {
    pub event: Pubkey,
    pub shard: Pubkey,
    pub index: u8,
    /// The tier it sells, or `NO_TIER` for the event's own sale.
    pub tier: u8,
}

/// Emitted when a tier is created or changed, with all of it.
#[event]
pub struct TierConfigured {
    pub event: Pubkey,
    pub tier: Pubkey,
    pub index: u8,
    pub serial_base: u32,
    pub serial_span: u32,
    pub first_shard: u8,
    pub shard_count: u8,
    pub config: crate::state::TierConfig,
    /// `SOL_CURRENCY` or the SPL mint its prices are in, with its decimals.
    pub currency: Pubkey,
    pub currency_decimals: u8,
}

#[event]
pub struct EventPauseChanged {
    pub event: Pubkey,
    pub paused: bool,
    pub by: Pubkey,
}

#[event]
pub struct EventCancelled {
    pub event: Pubkey,
    /// The event manager, or the executor of a `CancelEvent` proposal.
    pub by: Pubkey,
    /// Refunds are open until `at + REFUND_PERIOD`.
    pub at: i64,
}

#[event]
pub struct TicketPurchased {
    pub event: Pubkey,
    pub shard: Pubkey,
    pub ticket: Pubkey,
    pub mint: Pubkey,
    pub buyer: Pubkey,
    pub serial: u32,
    pub price_lamports: u64,
    pub shard_sold: u32,
    pub shard_revenue: u64,
    /// The tier and the phase it was sold in; `NO_TIER` (and phase 0) for the event's own
    /// sale.
    pub tier: u8,
    pub phase: u8,
}

impl TicketPurchased {
    /// Its size in Borsh.
    const LEN: usize = 5 * 32 + 4 + 8 + 4 + 8 + 1 + 1;

    /// Emits it as `emit!` does (its discriminator, then its Borsh encoding, in one log
    /// data entry), laid out field by field on the stack: `emit!` encodes into a 1 KiB heap
    /// buffer and copies it again behind the discriminator, about 300 CU of every purchase.
    /// A test checks the bytes are `emit!`'s.
    pub fn emit(&self) {
        anchor_lang::solana_program::log::sol_log_data(&[&self.encode()]);
    }

    fn encode(&self) -> [u8; 8 + Self::LEN] {
        let mut out = [0u8; 8 + Self::LEN];
        let mut at = 0;
        let mut put = |bytes: &[u8]| {
            out[at..at + bytes.len()].copy_from_slice(bytes);
            at += bytes.len();
        };
        put(Self::DISCRIMINATOR);
        for key in [
            &self.event,
            &self.shard,
            &self.ticket,
            &self.mint,
            &self.buyer,
        ] {
            put(key.as_ref());
        }
        put(&self.serial.to_le_bytes());
        put(&self.price_lamports.to_le_bytes());
        put(&self.shard_sold.to_le_bytes());
        put(&self.shard_revenue.to_le_bytes());
        put(&[self.tier, self.phase]);
        out
    }
}

#[event]
pub struct TicketTransferred {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub mint: Pubkey,
    pub from: Pubkey,
    pub to: Pubkey,
}

/// An event's resale terms were set (`set_resale_terms`).
#[event]
pub struct ResaleTermsSet {
    pub event: Pubkey,
    pub terms: crate::state::ResaleTerms,
}

#[event]
pub struct TicketListed {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub listing: Pubkey,
    pub mint: Pubkey,
    pub seller: Pubkey,
    pub price: u64,
}

/// A listing came down without a sale: by its seller, or by anyone once void.
#[event]
pub struct TicketDelisted {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub listing: Pubkey,
    pub seller: Pubkey,
    /// Whether it was void (its ticket moved, was used or refunded, or the event was
    /// cancelled) rather than taken down by its seller.
    pub void: bool,
}

/// A listing was bought: `price` from the buyer, `royalty` of it to the ticket's shard
/// (the event's proceeds), the rest to the seller.
#[event]
pub struct ListingSold {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub listing: Pubkey,
    pub mint: Pubkey,
    pub seller: Pubkey,
    pub buyer: Pubkey,
    pub shard: Pubkey,
    pub price: u64,
    pub royalty: u64,
}

#[event]
pub struct TicketCheckedIn {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub holder: Pubkey,
    pub gatekeeper: Pubkey,
    pub at: i64,
}

#[event]
pub struct TicketRefunded {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub shard: Pubkey,
    pub holder: Pubkey,
    pub amount: u64,
}

#[event]
pub struct ShardSwept {
    pub organizer: Pubkey,
    pub event: Pubkey,
    pub shard: Pubkey,
    pub vault: Pubkey,
    pub amount: u64,
}

/// A shard closed once it held nothing owed: `rent` lamports (its own and its till's) back
/// to `rent_to`, who opened it; `tokens_to_vault` of its currency found in its till beyond
/// its books (sent to it by anyone) moved to the organizer's vault.
#[event]
pub struct ShardClosed {
    pub organizer: Pubkey,
    pub event: Pubkey,
    pub shard: Pubkey,
    pub index: u8,
    pub rent_to: Pubkey,
    pub rent: u64,
    pub tokens_to_vault: u64,
}

#[event]
pub struct ProposalCreated {
    pub organizer: Pubkey,
    pub proposal: Pubkey,
    pub index: u64,
    pub proposer: Pubkey,
    pub action: crate::state::ProposalAction,
}

/// A vote; `status` is the proposal's status after it.
#[event]
pub struct ProposalVoted {
    pub organizer: Pubkey,
    pub proposal: Pubkey,
    pub member: Pubkey,
    pub vote: crate::state::Vote,
    pub status: crate::state::ProposalStatus,
}

/// The action carries what changed (amounts, destinations, members, limits).
#[event]
pub struct ProposalExecuted {
    pub organizer: Pubkey,
    pub proposal: Pubkey,
    pub index: u64,
    pub executor: Pubkey,
    pub action: crate::state::ProposalAction,
    pub stale_transaction_index: u64,
}

#[event]
pub struct SpendingLimitUsed {
    pub organizer: Pubkey,
    pub limit_id: u8,
    pub member: Pubkey,
    pub mint: Pubkey,
    pub destination: Pubkey,
    pub amount: u64,
    pub remaining: u64,
    pub cap_used: u64,
}

/// An admin or finance member froze a spending limit (`frozen`); an executed
/// `UnfreezeSpendingLimit` proposal thaws it (see `ProposalExecuted`).
#[event]
pub struct SpendingLimitFreezeChanged {
    pub organizer: Pubkey,
    pub limit_id: u8,
    pub frozen: bool,
    pub by: Pubkey,
}

/// A finished or stale proposal was closed; its rent (`lamports`) went to `rent_to`.
#[event]
pub struct ProposalClosed {
    pub organizer: Pubkey,
    pub proposal: Pubkey,
    pub index: u64,
    pub status: crate::state::ProposalStatus,
    pub rent_to: Pubkey,
    pub lamports: u64,
}

impl EventConfigured {
    /// What create, update and an executed `UpdateEvent` proposal emit.
    pub fn from_event(event: &crate::state::Event, key: Pubkey) -> Self {
        let c = &event.config;
        Self {
            organizer: event.organizer,
            event: key,
            event_id: event.event_id,
            name: c.name.clone(),
            uri: c.uri.clone(),
            price_lamports: c.price_lamports,
            supply: c.supply,
            sale_start: c.sale_start,
            sale_end: c.sale_end,
            resale_unlock: c.resale_unlock,
            max_per_wallet: c.max_per_wallet,
            check_in_start: c.check_in_start,
            check_in_end: c.check_in_end,
            shard_count: event.shard_count,
            approved: event.approved,
        }
    }
}

impl TierConfigured {
    pub fn from_tier(tier: &crate::state::Tier, key: Pubkey) -> Self {
        Self {
            event: tier.event,
            tier: key,
            index: tier.index,
            serial_base: tier.serial_base,
            serial_span: tier.serial_span,
            first_shard: tier.first_shard,
            shard_count: tier.shard_count,
            config: tier.config.clone(),
            currency: tier.currency,
            currency_decimals: tier.currency_decimals,
        }
    }
}

/// A holder burned their ticket after the event: its NFT, token account, mint and record
/// are closed, `rent` lamports going back to the holder.
#[event]
pub struct TicketBurned {
    pub event: Pubkey,
    pub ticket: Pubkey,
    pub mint: Pubkey,
    pub holder: Pubkey,
    pub serial: u32,
    pub rent: u64,
}

/// A buyer's record of an event was closed after the event, its rent going back to the
/// buyer.
#[event]
pub struct BuyerRecordClosed {
    pub event: Pubkey,
    pub buyer_record: Pubkey,
    pub buyer: Pubkey,
    pub rent: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_purchase_is_emitted_as_emit_would() {
        let e = TicketPurchased {
            event: Pubkey::new_unique(),
            shard: Pubkey::new_unique(),
            ticket: Pubkey::new_unique(),
            mint: Pubkey::new_unique(),
            buyer: Pubkey::new_unique(),
            serial: 0x0102_0304,
            price_lamports: u64::MAX - 5,
            shard_sold: 77,
            shard_revenue: 1 << 40,
            tier: 3,
            phase: 2,
        };
        assert_eq!(e.encode().to_vec(), anchor_lang::Event::data(&e));
    }
}
