//! Program accounts at PDAs, created on the purchase path without `find_program_address`.
//!
//! `find_program_address` costs 1,500 CU for every bump it tries, and Anchor's `init` runs
//! it on each call. Here the client passes the canonical bump instead:
//! - the runtime derives the address from the seeds and that bump when the program signs
//!   the create CPI with them (a CPI signer's derivation is not metered), and the system
//!   program refuses to create any other address;
//! - [`require_canonical_bump`] proves that no higher bump yields an address: nothing for
//!   bump 255, and for each higher bump a SHA-256 and a curve-point check (about 350 CU)
//!   where `create_program_address` would cost 1,500.
//!
//! The result is the account `init` would create, for much less; a client that picks its
//! mint keypair so that the ticket's bump is 255 pays nothing for it.
use anchor_lang::prelude::*;

// The crate is labelled Agave-unstable from 4.0 on; the syscall it wraps on chain
// (sol_curve_validate_point) is part of the stable runtime.
#[allow(deprecated)]
use solana_curve25519::edwards::{validate_edwards, PodEdwardsPoint};

use crate::errors::BitTicketError;

/// Fails unless `bump` is the canonical (highest valid) bump of `seeds`, given that the
/// caller has `bump` itself checked by signing with it.
///
/// A PDA is `sha256(seeds || bump || program id || "ProgramDerivedAddress")` when that
/// hash is not a point on the ed25519 curve; a bump is canonical when every higher bump
/// hashes to a curve point.
#[allow(deprecated)]
fn require_canonical_bump(seeds: &[&[u8]], bump: u8) -> Result<()> {
    for higher in (bump..u8::MAX).map(|b| b + 1) {
        let higher = [higher];
        let (id, marker) = (crate::ID.as_ref(), PDA_MARKER);
        // array literals, not a Vec: each copy into a Vec is a metered memcpy syscall
        let hash = match *seeds {
            [a, b] => solana_sha256_hasher::hashv(&[a, b, &higher, id, marker]),
            [a, b, c] => solana_sha256_hasher::hashv(&[a, b, c, &higher, id, marker]),
            _ => return err!(BitTicketError::BumpNotCanonical),
        }
        .to_bytes();
        if !validate_edwards(&PodEdwardsPoint(hash)) {
            return err!(BitTicketError::BumpNotCanonical);
        }
    }
    Ok(())
}

const PDA_MARKER: &[u8] = b"ProgramDerivedAddress";

/// Creates `account`, the PDA of `seeds` and `bump`, owned by this program, with `space`
/// bytes and at least `lamports`, paid by `payer`; fails unless `bump` is canonical. An
/// address someone has already sent lamports to is adopted (see `cpi::create_account`),
/// so pre-funding an address cannot block its creation.
pub fn create_pda<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    lamports: u64,
    space: usize,
    seeds: &[&[u8]],
    bump: u8,
) -> Result<()> {
    // The system program accepts `account` once it is signed for. A PDA has no key, so only
    // this program's seeds can sign for it; a transaction signer (the buyer, the mint) in
    // its place would otherwise be allocated and assigned to this program.
    require!(!account.is_signer, BitTicketError::SignerInPlaceOfPda);
    require_canonical_bump(seeds, bump)?;
    let bump = [bump];
    let create = |signer: &[&[u8]]| {
        crate::cpi::create_account(payer, account, lamports, space, &crate::ID, &[signer])
    };
    match *seeds {
        [a, b] => create(&[a, b, &bump]),
        [a, b, c] => create(&[a, b, c, &bump]),
        _ => err!(BitTicketError::BumpNotCanonical),
    }
}
