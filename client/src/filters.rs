//! getProgramAccounts filters: the byte offsets of the fields they compare (computed from
//! the account types' layouts, and tested against serialized accounts), and the filters
//! themselves (a discriminator at offset 0, a field's bytes at its offset).
use anchor_lang::Discriminator;
use solana_address::Address;

/// Byte offsets of the fields getProgramAccounts filters on (memcmp), after the
/// discriminator and the 1-byte layout version.
pub mod offsets {
    use anchor_lang::Discriminator;
    use bitticket::state::{BuyerRecord, Listing, Proposal, Ticket};
    use solana_address::Address;

    /// The layout version every account starts with (`u8`).
    const VERSION: usize = std::mem::size_of::<u8>();
    const ADDRESS: usize = std::mem::size_of::<Address>();

    /// `Ticket::holder` (after version, event, mint).
    pub const TICKET_HOLDER: usize = Ticket::DISCRIMINATOR.len() + VERSION + ADDRESS + ADDRESS;
    /// `Proposal::organizer` (after version).
    pub const PROPOSAL_ORGANIZER: usize = Proposal::DISCRIMINATOR.len() + VERSION;
    /// `Listing::event` (after version).
    pub const LISTING_EVENT: usize = Listing::DISCRIMINATOR.len() + VERSION;
    /// `BuyerRecord::event` (after version).
    pub const BUYER_RECORD_EVENT: usize = BuyerRecord::DISCRIMINATOR.len() + VERSION;
}

/// Accounts whose bytes at `offset` are `bytes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Memcmp {
    pub offset: usize,
    pub bytes: Vec<u8>,
}

impl Memcmp {
    pub fn new(offset: usize, bytes: &[u8]) -> Self {
        Self {
            offset,
            bytes: bytes.to_vec(),
        }
    }

    /// Accounts of type `T` (its discriminator at offset 0).
    pub fn discriminator<T: Discriminator>() -> Self {
        Self::new(0, T::DISCRIMINATOR)
    }

    /// Tickets held by `holder` (with `discriminator::<Ticket>()`).
    pub fn ticket_holder(holder: &Address) -> Self {
        Self::new(offsets::TICKET_HOLDER, holder.as_ref())
    }

    /// Proposals of `organizer` (with `discriminator::<Proposal>()`).
    pub fn proposal_organizer(organizer: &Address) -> Self {
        Self::new(offsets::PROPOSAL_ORGANIZER, organizer.as_ref())
    }

    /// Listings of `event` (with `discriminator::<Listing>()`).
    pub fn listing_event(event: &Address) -> Self {
        Self::new(offsets::LISTING_EVENT, event.as_ref())
    }

    /// Buyer records of `event` (with `discriminator::<BuyerRecord>()`).
    pub fn buyer_record_event(event: &Address) -> Self {
        Self::new(offsets::BUYER_RECORD_EVENT, event.as_ref())
    }

    /// Whether `data` passes this filter (what the node does).
    pub fn matches(&self, data: &[u8]) -> bool {
        data.get(self.offset..self.offset + self.bytes.len()) == Some(self.bytes.as_slice())
    }
}

#[cfg(test)]
mod tests {
    use anchor_lang::AccountSerialize;
    use bitticket::constants::ACCOUNT_VERSION;
    use bitticket::state::{Proposal, ProposalAction, ProposalStatus, Ticket, TicketState};
    use solana_address::Address;

    use super::Memcmp;

    #[test]
    fn the_filter_offsets_name_the_fields_in_the_serialized_accounts() {
        let holder = Address::new_unique();
        let ticket = Ticket {
            version: ACCOUNT_VERSION,
            event: Address::new_unique(),
            mint: Address::new_unique(),
            holder,
            serial: 1,
            shard_index: 0,
            tier: u8::MAX,
            price_paid: 5,
            state: TicketState::Valid,
            checked_in_at: 0,
            bump: 255,
        };
        let mut data = vec![];
        ticket.try_serialize(&mut data).unwrap();
        let at = super::offsets::TICKET_HOLDER;
        assert_eq!(at, 8 + 1 + 32 + 32);
        assert_eq!(&data[at..at + 32], holder.as_ref());
        assert!(Memcmp::ticket_holder(&holder).matches(&data));
        assert!(Memcmp::discriminator::<Ticket>().matches(&data));
        assert!(!Memcmp::discriminator::<Proposal>().matches(&data));
        assert!(!Memcmp::ticket_holder(&Address::new_unique()).matches(&data));
        let organizer = Address::new_unique();
        let proposal = Proposal {
            version: ACCOUNT_VERSION,
            organizer,
            index: 1,
            proposer: Address::new_unique(),
            action: ProposalAction::SetTimeLock { seconds: 1 },
            status: ProposalStatus::Active,
            bump: 255,
            approved: vec![],
            rejected: vec![],
            cancelled: vec![],
        };
        let mut data = vec![];
        proposal.try_serialize(&mut data).unwrap();
        let at = super::offsets::PROPOSAL_ORGANIZER;
        assert_eq!(&data[at..at + 32], organizer.as_ref());
        assert!(Memcmp::proposal_organizer(&organizer).matches(&data));
        assert!(!Memcmp::new(data.len(), &[0]).matches(&data));
        let event = Address::new_unique();
        let listing = bitticket::state::Listing {
            version: ACCOUNT_VERSION,
            event,
            ticket: Address::new_unique(),
            mint: Address::new_unique(),
            seller: Address::new_unique(),
            price: 7,
            listed_at: 1,
            bump: 255,
        };
        let mut data = vec![];
        listing.try_serialize(&mut data).unwrap();
        assert!(Memcmp::listing_event(&event).matches(&data));
        assert!(Memcmp::discriminator::<bitticket::state::Listing>().matches(&data));
        assert!(!Memcmp::listing_event(&organizer).matches(&data));
        let record = bitticket::state::BuyerRecord::new(event, Address::new_unique(), 254);
        let mut data = vec![];
        record.try_serialize(&mut data).unwrap();
        assert!(Memcmp::buyer_record_event(&event).matches(&data));
        assert!(!Memcmp::buyer_record_event(&organizer).matches(&data));
    }
}
