//! Anchor events, decoded with the program's own types. `ProgramEvent` lists every event
//! the program declares; the IDL test checks the list against the IDL, and the sink
//! matches on it exhaustively, so a new event kind cannot be silently dropped.
use anchor_lang::{AnchorDeserialize, Discriminator};
use bitticket::events;
use solana_address::Address;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EventError {
    #[error("event data shorter than a discriminator ({0} bytes)")]
    Short(usize),
    #[error("unknown event discriminator {0:?}")]
    Unknown([u8; 8]),
    #[error("{kind}: {detail}")]
    Malformed { kind: &'static str, detail: String },
}

macro_rules! program_events {
    ($($name:ident),* $(,)?) => {
        /// One event of the program, decoded.
        pub enum ProgramEvent { $($name(events::$name)),* }

        impl ProgramEvent {
            /// The event names, as in the IDL.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),*];

            /// Decodes one `Program data:` payload: discriminator, then Borsh, with no
            /// byte left over.
            pub fn decode(data: &[u8]) -> Result<Self, EventError> {
                let Some((disc, body)) = data.split_first_chunk::<8>() else {
                    return Err(EventError::Short(data.len()));
                };
                $(
                    if disc.as_slice() == events::$name::DISCRIMINATOR {
                        return strict::<events::$name>(stringify!($name), body).map(Self::$name);
                    }
                )*
                Err(EventError::Unknown(*disc))
            }

            pub fn name(&self) -> &'static str {
                match self { $(Self::$name(_) => stringify!($name)),* }
            }
        }
    };
}

program_events!(
    OrganizerCreated,
    MemberAdded,
    MemberRemoved,
    EventConfigured,
    TierConfigured,
    ShardOpened,
    EventPauseChanged,
    EventCancelled,
    TicketPurchased,
    TicketTransferred,
    ResaleTermsSet,
    TicketListed,
    TicketDelisted,
    ListingSold,
    TicketCheckedIn,
    TicketRefunded,
    ShardSwept,
    ProposalCreated,
    ProposalVoted,
    ProposalExecuted,
    SpendingLimitUsed,
    SpendingLimitFreezeChanged,
    ProposalClosed,
    TicketBurned,
    BuyerRecordClosed,
    ShardClosed,
);

impl std::fmt::Debug for ProgramEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.name(), super::json::event(self))
    }
}

/// Borsh with nothing left over: trailing bytes mean a layout we do not know.
fn strict<T: AnchorDeserialize>(kind: &'static str, mut body: &[u8]) -> Result<T, EventError> {
    let value = T::deserialize(&mut body).map_err(|e| EventError::Malformed {
        kind,
        detail: e.to_string(),
    })?;
    if !body.is_empty() {
        return Err(EventError::Malformed {
            kind,
            detail: format!("{} trailing bytes", body.len()),
        });
    }
    Ok(value)
}

/// The tenant an event belongs to: named directly, or through the event account.
pub enum Tenant {
    Organizer(Address),
    Event(Address),
}

impl ProgramEvent {
    pub fn tenant(&self) -> Tenant {
        use ProgramEvent as E;
        match self {
            E::OrganizerCreated(e) => Tenant::Organizer(e.organizer),
            E::MemberAdded(e) => Tenant::Organizer(e.organizer),
            E::MemberRemoved(e) => Tenant::Organizer(e.organizer),
            E::EventConfigured(e) => Tenant::Organizer(e.organizer),
            E::TierConfigured(e) => Tenant::Event(e.event),
            E::ShardOpened(e) => Tenant::Event(e.event),
            E::EventPauseChanged(e) => Tenant::Event(e.event),
            E::EventCancelled(e) => Tenant::Event(e.event),
            E::TicketPurchased(e) => Tenant::Event(e.event),
            E::TicketTransferred(e) => Tenant::Event(e.event),
            E::ResaleTermsSet(e) => Tenant::Event(e.event),
            E::TicketListed(e) => Tenant::Event(e.event),
            E::TicketDelisted(e) => Tenant::Event(e.event),
            E::ListingSold(e) => Tenant::Event(e.event),
            E::TicketCheckedIn(e) => Tenant::Event(e.event),
            E::TicketRefunded(e) => Tenant::Event(e.event),
            E::ShardSwept(e) => Tenant::Organizer(e.organizer),
            E::ProposalCreated(e) => Tenant::Organizer(e.organizer),
            E::ProposalVoted(e) => Tenant::Organizer(e.organizer),
            E::ProposalExecuted(e) => Tenant::Organizer(e.organizer),
            E::SpendingLimitUsed(e) => Tenant::Organizer(e.organizer),
            E::SpendingLimitFreezeChanged(e) => Tenant::Organizer(e.organizer),
            E::ProposalClosed(e) => Tenant::Organizer(e.organizer),
            E::TicketBurned(e) => Tenant::Event(e.event),
            E::BuyerRecordClosed(e) => Tenant::Event(e.event),
            E::ShardClosed(e) => Tenant::Organizer(e.organizer),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::{AnchorSerialize, Event};

    fn sample() -> events::TicketPurchased {
        events::TicketPurchased {
            event: Address::new_unique(),
            shard: Address::new_unique(),
            ticket: Address::new_unique(),
            mint: Address::new_unique(),
            buyer: Address::new_unique(),
            serial: 7,
            price_lamports: 1_000,
            shard_sold: 3,
            tier: bitticket::constants::NO_TIER,
            phase: 0,
            shard_revenue: 3_000,
        }
    }

    #[test]
    fn decodes_what_the_program_emits() {
        let e = sample();
        match ProgramEvent::decode(&e.data()).unwrap() {
            ProgramEvent::TicketPurchased(got) => {
                assert_eq!((got.buyer, got.serial), (e.buyer, e.serial))
            }
            other => panic!("decoded as {}", other.name()),
        }
    }

    #[test]
    fn malformed_data_is_refused_with_a_reason() {
        let mut data = sample().data();
        data.push(0);
        assert!(matches!(
            ProgramEvent::decode(&data),
            Err(EventError::Malformed {
                kind: "TicketPurchased",
                ..
            })
        ));
        let short = &sample().data()[..20];
        assert!(matches!(
            ProgramEvent::decode(short),
            Err(EventError::Malformed { .. })
        ));
        assert_eq!(
            ProgramEvent::decode(&[1, 2]).unwrap_err(),
            EventError::Short(2)
        );
        let mut unknown = vec![9u8; 8];
        sample().serialize(&mut unknown).unwrap();
        assert_eq!(
            ProgramEvent::decode(&unknown).unwrap_err(),
            EventError::Unknown([9; 8])
        );
    }
}
