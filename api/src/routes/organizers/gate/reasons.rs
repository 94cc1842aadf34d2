//! The gate's refusals are the client library's (`bitticket_client::gate::Refusal`, whose
//! names the API answers as `GateDecision::reason` and the CLI prints); here, the refusal
//! for a code that does not open.
use bitticket_client::gate::Refusal;

use crate::qr::QrError;

/// Why a code does not open.
pub(super) fn qr(e: &QrError) -> Refusal {
    match e {
        QrError::Malformed => Refusal::Malformed,
        QrError::OtherOrganizer => Refusal::OtherOrganizer,
        QrError::UnknownKey => Refusal::UnknownKey,
        QrError::Forged => Refusal::Forged,
        QrError::Expired => Refusal::Expired,
    }
}
