//! The holder's check-in pass (the program's `pass` module): the holder's wallet signs
//! `bitticket::pass::message(mint, expires_at)` when it shows its QR code, and the door's
//! device sends the check-in with that signature in an Ed25519 instruction right before it,
//! signing alone.
//!
//! Text form, for the CLI and any code that carries a pass as is: `BTP1.` and base64url
//! (no padding) of mint (32) ‖ holder (32) ‖ expires_at (i64, little endian) ‖ signature (64).
use base64::Engine as _;
use solana_address::Address;
use solana_instruction::Instruction;
use solana_keypair::Keypair;
use solana_signer::Signer as _;

pub use bitticket::constants::PASS_MAX_VALIDITY;

const PREFIX: &str = "BTP1.";
const LEN: usize = 32 + 32 + 8 + 64;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PassError {
    #[error("not a BitTicket pass (expected BTP1. and 136 bytes of base64url)")]
    Malformed,
    #[error("the pass's signature is not the holder's over this ticket and expiry")]
    BadSignature,
}

/// A holder's consent to enter with the ticket `mint` until `expires_at` (Unix seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub mint: Address,
    pub holder: Address,
    pub expires_at: i64,
    pub signature: [u8; 64],
}

impl Pass {
    /// What the holder's wallet signs.
    pub fn message(mint: &Address, expires_at: i64) -> Vec<u8> {
        bitticket::pass::message(mint, expires_at)
    }

    /// The holder's pass for `mint`, signed with its keypair.
    pub fn sign(holder: &Keypair, mint: &Address, expires_at: i64) -> Self {
        let signature = holder.sign_message(&Self::message(mint, expires_at));
        Pass {
            mint: *mint,
            holder: holder.pubkey(),
            expires_at,
            signature: signature.into(),
        }
    }

    /// Whether the signature is the holder's over this pass's message (what the Ed25519
    /// precompile checks on chain).
    pub fn verify(&self) -> Result<(), PassError> {
        let sig = solana_signature::Signature::from(self.signature);
        sig.verify(
            self.holder.as_ref(),
            &Self::message(&self.mint, self.expires_at),
        )
        .then_some(())
        .ok_or(PassError::BadSignature)
    }

    /// The signature in base58, as wallets and the API write signatures.
    pub fn signature_base58(&self) -> String {
        solana_signature::Signature::from(self.signature).to_string()
    }

    /// A signature written in base58 (`signature_base58`), if `text` is one.
    pub fn signature_from_base58(text: &str) -> Option<[u8; 64]> {
        text.parse::<solana_signature::Signature>()
            .ok()
            .map(Into::into)
    }

    pub fn encode(&self) -> String {
        let mut raw = Vec::with_capacity(LEN);
        raw.extend_from_slice(self.mint.as_ref());
        raw.extend_from_slice(self.holder.as_ref());
        raw.extend_from_slice(&self.expires_at.to_le_bytes());
        raw.extend_from_slice(&self.signature);
        format!(
            "{PREFIX}{}",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw)
        )
    }

    /// Parses the text form; the signature is not checked here (`verify`).
    pub fn decode(text: &str) -> Result<Self, PassError> {
        let body = text
            .trim()
            .strip_prefix(PREFIX)
            .ok_or(PassError::Malformed)?;
        if body.len() > 4 * LEN {
            return Err(PassError::Malformed);
        }
        let raw = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(body)
            .map_err(|_| PassError::Malformed)?;
        let raw: [u8; LEN] = raw.try_into().map_err(|_| PassError::Malformed)?;
        let key = |at: usize| {
            let mut k = [0u8; 32];
            k.copy_from_slice(&raw[at..at + 32]);
            Address::new_from_array(k)
        };
        let mut expires = [0u8; 8];
        expires.copy_from_slice(&raw[64..72]);
        let mut signature = [0u8; 64];
        signature.copy_from_slice(&raw[72..]);
        Ok(Pass {
            mint: key(0),
            holder: key(32),
            expires_at: i64::from_le_bytes(expires),
            signature,
        })
    }

    /// The Ed25519 instruction that must come right before the check-in.
    pub fn ed25519_instruction(&self) -> Instruction {
        solana_ed25519_program::new_ed25519_instruction_with_signature(
            &Self::message(&self.mint, self.expires_at),
            &self.signature,
            &self.holder.to_bytes(),
        )
    }
}

/// The check-in a gatekeeper sends alone: the holder's pass, then the check-in.
pub fn ix_check_in_with_pass(
    gatekeeper: &Address,
    pass: &Pass,
    organizer: &Address,
    event: &Address,
) -> [Instruction; 2] {
    [
        pass.ed25519_instruction(),
        crate::ix_check_in(
            gatekeeper,
            &pass.holder,
            organizer,
            event,
            &pass.mint,
            pass.expires_at,
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_round_trips_and_verifies_only_as_signed() {
        let holder = Keypair::new();
        let mint = Address::new_unique();
        let pass = Pass::sign(&holder, &mint, 1_700_000_600);
        let text = pass.encode();
        assert!(text.starts_with("BTP1."));
        let back = Pass::decode(&text).unwrap();
        assert_eq!(back, pass);
        assert_eq!(back.verify(), Ok(()));
        assert_eq!(
            Pass::signature_from_base58(&pass.signature_base58()),
            Some(pass.signature)
        );
        assert_eq!(Pass::signature_from_base58("not base58 0OIl"), None);
        // another expiry, another ticket or another holder: not what was signed
        for forged in [
            Pass {
                expires_at: pass.expires_at + 1,
                ..pass
            },
            Pass {
                mint: Address::new_unique(),
                ..pass
            },
            Pass {
                holder: Keypair::new().pubkey(),
                ..pass
            },
        ] {
            assert_eq!(forged.verify(), Err(PassError::BadSignature));
        }
    }

    #[test]
    fn bad_text_is_malformed() {
        for bad in [
            "",
            "BTP1.",
            "BTP2.AAAA",
            "BTP1.!!!!",
            &format!("BTP1.{}", "A".repeat(180)),
        ] {
            assert_eq!(Pass::decode(bad), Err(PassError::Malformed), "{bad}");
        }
    }
}
