//! Ticket QR codes: AES-256-GCM over (ticket, holder, expiry), under a key that rotates.
//!
//! A payload is `BT2.` + base64url(kid ‖ organizer ‖ nonce ‖ ciphertext). The key id (4
//! bytes, big endian) and the organizer (32 bytes) are in the clear and bound into the
//! authenticated data: a payload cannot be moved under another key or another organizer,
//! and a gate tells another organizer's code apart without decrypting it (so it learns
//! nothing of its ticket or holder). Keys are random, stored in `qr_keys` wrapped
//! (AES-256-GCM) under the master key from the environment, the wrap bound to the key id
//! and to the master key's version (so the master key can be rotated), and used to issue
//! for `rotate`; a key still opens payloads for `grace` after that, then never again.
//!
//! * `payload`: sealing a claim into a payload and opening it again (no database).
//! * `keys`: the QR keys wrapped under the master key (and the previous master key).
//! * `store`: the keys in `qr_keys`: the current one, rotated on time; issuing; opening.
//! * `image`: a payload as a PNG QR code.
mod image;
mod keys;
mod payload;
mod store;

use rand::RngCore;
use serde::{Deserialize, Serialize};

use crate::domain::AccountAddress;

pub use image::png;
pub use keys::QrKeys;
pub use payload::{seal, split, unseal};

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum QrError {
    #[error("not a BitTicket QR payload")]
    Malformed,
    #[error("the QR code is another organizer's")]
    OtherOrganizer,
    #[error("the QR key is unknown or retired")]
    UnknownKey,
    #[error("the QR payload does not authenticate")]
    Forged,
    #[error("the QR code has expired")]
    Expired,
}

/// What a QR code says: this ticket, held by this wallet, until then.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub ticket: AccountAddress,
    pub holder: AccountAddress,
    /// Unix seconds.
    pub expires_at: i64,
    /// The holder's check-in pass (`bitticket_client::pass`): its signature, in base58,
    /// over the ticket's mint and `expires_at`; verified when the code was issued. With it,
    /// a gatekeeper checks the ticket in on chain signing alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pass: Option<String>,
}

/// `N` random bytes (nonces and new keys).
fn random<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    rand::rng().fill_bytes(&mut b);
    b
}
