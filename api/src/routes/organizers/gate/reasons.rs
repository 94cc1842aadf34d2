//! The gate's refusal names for what the QR code and the chain say (the mirror's are in
//! `mirror`). These names are the API's contract with gate clients (`GateDecision::reason`).
use crate::chain::OnChain;
use crate::qr::QrError;

/// Why a code does not open.
pub(super) fn qr(e: &QrError) -> &'static str {
    match e {
        QrError::Malformed => "malformed",
        QrError::OtherOrganizer => "other_organizer",
        QrError::UnknownKey => "unknown_key",
        QrError::Forged => "forged",
        QrError::Expired => "expired",
    }
}

/// Why the chain refuses an admission the mirror allowed, if it does.
pub(super) fn on_chain(c: &OnChain) -> Option<&'static str> {
    Some(match c {
        OnChain::Holds => return None,
        OnChain::NoTicket => "not_on_chain",
        OnChain::CheckedIn => "checked_in",
        OnChain::Refunded => "refunded",
        OnChain::NotHeld => "holder_changed",
        OnChain::WrongEvent => "wrong_event",
        OnChain::EventCancelled => "event_cancelled",
        OnChain::OutsideCheckIn => "outside_check_in",
        OnChain::NotAGatekeeper => "not_a_gatekeeper",
    })
}
