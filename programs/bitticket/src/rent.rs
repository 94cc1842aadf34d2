//! Rent-exempt minimums in integer arithmetic.
//!
//! `Rent::minimum_balance` of solana-rent 3.x (the version anchor-lang 1.2 uses) computes
//! in f64, which sBPF emulates in software: about 175 CU a call, measured on the purchase.
//! solana-rent 4.x computes the same figure in integers for the two thresholds the
//! network uses, 2.0 today and 1.0 under SIMD-0194; so does this, with the f64 formula
//! for any other threshold.
//!
//! solana-rent 3.x marks these fields deprecated on the way to 4.x (which renames
//! `lamports_per_byte_year` and fixes the threshold at 1.0); reading them is what
//! `minimum_balance` itself does, hence the `allow(deprecated)`.
#![allow(deprecated)]
use anchor_lang::prelude::*;

/// Bytes the runtime charges rent for on top of an account's data.
const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;

/// The lamports an account of `len` data bytes needs to be rent exempt.
pub fn exempt_minimum(rent: &Rent, len: usize) -> u64 {
    let years = match rent.exemption_threshold.to_bits() {
        t if t == 2.0f64.to_bits() => 2,
        t if t == 1.0f64.to_bits() => 1,
        _ => return rent.minimum_balance(len),
    };
    (ACCOUNT_STORAGE_OVERHEAD + len as u64)
        .saturating_mul(rent.lamports_per_byte_year)
        .saturating_mul(years)
}

/// Gives back to `payer` whatever `account` (just created, owned by this program) holds
/// above the rent-exempt minimum of `space` bytes: lamports someone sent to its address
/// before it existed would otherwise stay locked in it.
pub fn return_surplus(account: &AccountInfo, payer: &AccountInfo, space: usize) -> Result<()> {
    let keep = exempt_minimum(&Rent::get()?, space);
    if let Some(surplus) = account.lamports().checked_sub(keep).filter(|s| *s > 0) {
        crate::lamports::transfer(
            account,
            payer,
            surplus,
            keep,
            crate::errors::BitTicketError::Overflow,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_floating_point_formula() {
        for threshold in [2.0, 1.0, 1.5] {
            for lamports_per_byte_year in [3_480, 6_960, 1] {
                let rent = Rent {
                    lamports_per_byte_year,
                    exemption_threshold: threshold,
                    burn_percent: 50,
                };
                for len in [0, 1, 82, 165, 8 + 75, 10_240] {
                    assert_eq!(exempt_minimum(&rent, len), rent.minimum_balance(len));
                }
            }
        }
    }
}
