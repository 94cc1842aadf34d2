//! The holder's check-in pass: consent to enter, given by the holder's wallet signing a
//! message when the QR code is shown (wallets sign messages offline), so that only the
//! door's device signs the check-in. The Ed25519 precompile verifies the signature; this
//! module checks that the instruction it verified is the one right before the check-in,
//! carries its signature, key and message inline (not pointing into another instruction,
//! which the precompile allows), and that the key is the holder's and the message this
//! ticket's and expiry's.
use anchor_lang::prelude::*;
use solana_instructions_sysvar::get_instruction_relative;

use crate::errors::BitTicketError;

/// The Ed25519 precompile's layout (solana-ed25519-program): a count, a padding byte,
/// then one 14-byte offsets record per signature, then the data.
const OFFSETS_START: usize = 2;
const OFFSETS_LEN: usize = 14;
/// An offsets record's instruction index meaning "this instruction".
const THIS_INSTRUCTION: u16 = u16::MAX;

/// What the holder's wallet signs: readable, naming the ticket's mint (what a wallet shows)
/// and the Unix second the pass stops being valid.
pub fn message(mint: &Pubkey, expires_at: i64) -> Vec<u8> {
    format!("BitTicket check-in\nticket: {mint}\nvalid until: {expires_at}").into_bytes()
}

/// The pass is unexpired at `now` and not valid for longer than `max_validity`.
pub fn require_fresh(expires_at: i64, now: i64, max_validity: i64) -> Result<()> {
    require!(now < expires_at, BitTicketError::PassExpired);
    require!(
        expires_at.saturating_sub(now) <= max_validity,
        BitTicketError::PassTooLong
    );
    Ok(())
}

/// The instruction right before the current one is the Ed25519 precompile's, verifying one
/// signature by `holder` over `message(mint, expires_at)`, all of it inline.
pub fn require_signed(
    instructions: &AccountInfo,
    holder: &Pubkey,
    mint: &Pubkey,
    expires_at: i64,
) -> Result<()> {
    let ix = get_instruction_relative(-1, instructions).map_err(|_| BitTicketError::PassMissing)?;
    require_keys_eq!(
        ix.program_id,
        solana_sdk_ids::ed25519_program::ID,
        BitTicketError::PassMissing
    );
    let signed = signed_by(&ix.data).ok_or(BitTicketError::PassMismatch)?;
    require!(
        signed.0 == holder.as_ref() && signed.1 == message(mint, expires_at).as_slice(),
        BitTicketError::PassMismatch
    );
    Ok(())
}

/// The key and the message of an Ed25519 instruction verifying exactly one signature whose
/// parts all lie in its own data; `None` for any other shape.
fn signed_by(data: &[u8]) -> Option<(&[u8], &[u8])> {
    if data.first() != Some(&1) {
        return None;
    }
    let o = data.get(OFFSETS_START..OFFSETS_START + OFFSETS_LEN)?;
    let at = |i: usize| u16::from_le_bytes([o[i], o[i + 1]]);
    let (sig_ix, key_at, key_ix) = (at(2), usize::from(at(4)), at(6));
    let (msg_at, msg_len, msg_ix) = (usize::from(at(8)), usize::from(at(10)), at(12));
    if [sig_ix, key_ix, msg_ix] != [THIS_INSTRUCTION; 3] {
        return None;
    }
    let key = data.get(key_at..key_at.checked_add(32)?)?;
    let msg = data.get(msg_at..msg_at.checked_add(msg_len)?)?;
    Some((key, msg))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(ix_index: u16, msg: &[u8]) -> Vec<u8> {
        let key = [7u8; 32];
        let (key_at, sig_at) = (16u16, 48u16);
        let msg_at = sig_at + 64;
        let mut d = vec![1, 0];
        for v in [
            sig_at,
            ix_index,
            key_at,
            ix_index,
            msg_at,
            msg.len() as u16,
            ix_index,
        ] {
            d.extend_from_slice(&v.to_le_bytes());
        }
        d.extend_from_slice(&key);
        d.extend_from_slice(&[0u8; 64]);
        d.extend_from_slice(msg);
        d
    }

    #[test]
    fn reads_an_inline_signature_and_refuses_any_other_shape() {
        let d = layout(THIS_INSTRUCTION, b"hello");
        assert_eq!(signed_by(&d), Some((&[7u8; 32][..], &b"hello"[..])));
        // parts in another instruction: the precompile checks those, not ours
        assert_eq!(signed_by(&layout(0, b"hello")), None);
        // two signatures, or none
        let mut two = d.clone();
        two[0] = 2;
        assert_eq!(signed_by(&two), None);
        assert_eq!(signed_by(&[]), None);
        // offsets past the end
        assert_eq!(signed_by(&d[..d.len() - 1]), None);
    }

    #[test]
    fn a_pass_is_fresh_only_before_its_expiry_and_within_the_bound() {
        assert!(require_fresh(110, 100, 600).is_ok());
        assert!(require_fresh(100, 100, 600).is_err());
        assert!(require_fresh(701, 100, 600).is_err());
        assert!(require_fresh(700, 100, 600).is_ok());
        assert!(require_fresh(i64::MAX, i64::MIN, 600).is_err());
    }

    #[test]
    fn the_message_reads_as_the_wallet_shows_it() {
        let m = Pubkey::new_from_array([1; 32]);
        assert_eq!(
            String::from_utf8(message(&m, 1_700_000_000)).unwrap(),
            format!("BitTicket check-in\nticket: {m}\nvalid until: 1700000000")
        );
    }
}
