//! Whether a ticket may enter: the door's one decision, from the accounts as decoded (the
//! ticket, its event, the holder's token account, the organizer, the chain's clock), and
//! the names of every reason the door refuses. The API's gate (`gate/verify`), the CLI's
//! `gate check` and the mirror's answer decide through here; the program's `check_in`
//! enforces the same rules on chain and has the last word.
use anchor_lang::AccountDeserialize;
use bitticket::state::{permission, Event, Organizer, Ticket, TicketState};
use solana_address::Address;

use crate::accounts::{clock, token_account};
use crate::names::Named;
use crate::{ata, ticket_pda, CLOCK, PROGRAM_ID};

/// Why the door refuses. The API answers these names (`reason`), the CLI prints them
/// (`not admitted: <name>`); both come from `Named` (and serde, the same names).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Not a BitTicket QR payload (decided by the API's QR codes).
    Malformed,
    /// The code or its ticket is another organizer's.
    OtherOrganizer,
    /// The code's key is unknown or retired.
    UnknownKey,
    /// The code does not authenticate.
    Forged,
    /// The code has expired.
    Expired,
    /// The mirror has no such ticket (in the organizer's scope).
    NotFound,
    /// The chain has no such ticket.
    NotOnChain,
    CheckedIn,
    Refunded,
    /// The ticket names another holder, or the holder's token account does not hold it.
    HolderChanged,
    /// The ticket is not of the event named, or the event not of the organizer.
    WrongEvent,
    EventCancelled,
    /// The chain's clock is outside the event's check-in window.
    OutsideCheckIn,
    /// The scanning wallet does not hold the gatekeeper role on chain (now).
    NotAGatekeeper,
    /// The ticket was admitted before (single use, recorded by the API).
    AlreadyAdmitted,
    /// The code carries no pass from the holder's wallet: a gatekeeper cannot check the
    /// ticket in on chain without it (the holder shows a fresh code).
    NoPass,
}

impl Named for Refusal {
    const KIND: &'static str = "gate refusal";
    const NAMES: &'static [(Self, &'static str)] = &[
        (Refusal::Malformed, "malformed"),
        (Refusal::OtherOrganizer, "other_organizer"),
        (Refusal::UnknownKey, "unknown_key"),
        (Refusal::Forged, "forged"),
        (Refusal::Expired, "expired"),
        (Refusal::NotFound, "not_found"),
        (Refusal::NotOnChain, "not_on_chain"),
        (Refusal::CheckedIn, "checked_in"),
        (Refusal::Refunded, "refunded"),
        (Refusal::HolderChanged, "holder_changed"),
        (Refusal::WrongEvent, "wrong_event"),
        (Refusal::EventCancelled, "event_cancelled"),
        (Refusal::OutsideCheckIn, "outside_check_in"),
        (Refusal::NotAGatekeeper, "not_a_gatekeeper"),
        (Refusal::AlreadyAdmitted, "already_admitted"),
        (Refusal::NoPass, "no_pass"),
    ];
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// What the door is asked to admit: the ticket of `mint`, of `event` of `organizer`, held
/// by `holder`, scanned by `gatekeeper` (whose role is checked when given).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub organizer: Address,
    pub event: Address,
    pub mint: Address,
    pub holder: Address,
    pub gatekeeper: Option<Address>,
}

/// A token account's state as the door reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Holding {
    pub mint: Address,
    pub owner: Address,
    pub amount: u64,
}

/// The accounts as read, each of its expected owner and shape (`None` otherwise), and the
/// chain's clock.
#[derive(Debug, Clone, Default)]
pub struct Seen {
    pub ticket: Option<Ticket>,
    pub event: Option<Event>,
    pub holder_token: Option<Holding>,
    pub organizer: Option<Organizer>,
    /// The chain's clock (unix seconds).
    pub now: i64,
}

/// The accounts the door reads for `claim`, in one `getMultipleAccounts`: the ticket, the
/// holder's token account, the event, the organizer and the clock sysvar, the order
/// `Seen::decode` takes them in.
pub fn keys(claim: &Claim) -> [Address; 5] {
    [
        ticket_pda(&claim.mint),
        ata(&claim.holder, &claim.mint),
        claim.event,
        claim.organizer,
        CLOCK,
    ]
}

fn program_account<T: AccountDeserialize>(account: Option<(&Address, &[u8])>) -> Option<T> {
    let (_, data) = account.filter(|(owner, _)| **owner == PROGRAM_ID)?;
    T::try_deserialize(&mut &data[..]).ok()
}

impl Seen {
    /// The accounts read at `keys` (owner and data; `None` where there is none), each
    /// checked against its owner and decoded; `None` when the clock is missing (the node's
    /// fault, not the ticket's).
    pub fn decode<'a>(
        accounts: impl IntoIterator<Item = Option<(&'a Address, &'a [u8])>>,
    ) -> Option<Self> {
        let mut accounts = accounts.into_iter();
        let mut next = || accounts.next().flatten();
        let (ticket, token, event, organizer, clock_account) =
            (next(), next(), next(), next(), next());
        let now = clock_account
            .and_then(|(owner, data)| clock(owner, data))?
            .unix_timestamp;
        Some(Seen {
            ticket: program_account(ticket),
            event: program_account(event),
            holder_token: token
                .and_then(|(owner, data)| token_account(owner, data))
                .map(|t| Holding {
                    mint: t.mint,
                    owner: t.owner,
                    amount: t.amount,
                }),
            organizer: program_account(organizer),
            now,
        })
    }
}

/// May the ticket of `claim` enter, by the chain as `seen`? The first reason that holds,
/// in this order: no ticket, checked in, refunded, another event, another holder, the
/// event not the organizer's, cancelled, outside the check-in window, the scanner not a
/// gatekeeper, the holder's token account not holding the ticket.
pub fn admit(claim: &Claim, seen: &Seen) -> Result<(), Refusal> {
    let ticket = seen.ticket.as_ref().ok_or(Refusal::NotOnChain)?;
    match ticket.state {
        TicketState::CheckedIn => return Err(Refusal::CheckedIn),
        TicketState::Refunded => return Err(Refusal::Refunded),
        TicketState::Valid => {}
    }
    if ticket.event != claim.event {
        return Err(Refusal::WrongEvent);
    }
    if ticket.holder != claim.holder || ticket.mint != claim.mint {
        return Err(Refusal::HolderChanged);
    }
    let event = seen
        .event
        .as_ref()
        .filter(|e| e.organizer == claim.organizer)
        .ok_or(Refusal::WrongEvent)?;
    if event.cancelled {
        return Err(Refusal::EventCancelled);
    }
    let window = &event.config;
    if seen.now < window.check_in_start || seen.now >= window.check_in_end {
        return Err(Refusal::OutsideCheckIn);
    }
    if let Some(g) = &claim.gatekeeper {
        let is_gatekeeper = seen
            .organizer
            .as_ref()
            .and_then(|o| o.permissions_of(g))
            .is_some_and(|bits| bits & permission::GATEKEEPER != 0);
        if !is_gatekeeper {
            return Err(Refusal::NotAGatekeeper);
        }
    }
    let holds = seen
        .holder_token
        .is_some_and(|t| t.mint == claim.mint && t.owner == claim.holder && t.amount == 1);
    if holds {
        Ok(())
    } else {
        Err(Refusal::HolderChanged)
    }
}

/// The same decision from the mirror's row of a ticket (its state, its event's
/// cancellation, whether the holder it records is the one claimed), which may lag the
/// chain: cancelled, checked in, refunded, another holder, in this order.
pub fn admit_mirrored(
    state: TicketState,
    event_cancelled: bool,
    same_holder: bool,
) -> Result<(), Refusal> {
    if event_cancelled {
        return Err(Refusal::EventCancelled);
    }
    match state {
        TicketState::CheckedIn => Err(Refusal::CheckedIn),
        TicketState::Refunded => Err(Refusal::Refunded),
        TicketState::Valid if !same_holder => Err(Refusal::HolderChanged),
        TicketState::Valid => Ok(()),
    }
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
