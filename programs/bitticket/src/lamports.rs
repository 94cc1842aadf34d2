//! Lamports moved between accounts without a CPI: this program may debit the accounts it
//! owns (the runtime checks that) and credit any writable account.
use anchor_lang::prelude::*;

use crate::errors::BitTicketError;

/// Moves `amount` lamports from `from` to `to`, both accounts this program may debit or
/// credit directly (the runtime checks that it owns `from`), leaving `from` at least
/// `keep`; fails with `short` otherwise. Returns what `from` has left.
pub fn transfer(
    from: &AccountInfo,
    to: &AccountInfo,
    amount: u64,
    keep: u64,
    short: BitTicketError,
) -> Result<u64> {
    let left = from
        .lamports()
        .checked_sub(amount)
        .filter(|left| *left >= keep)
        .ok_or(short)?;
    let credited = to
        .lamports()
        .checked_add(amount)
        .ok_or(BitTicketError::Overflow)?;
    **from.try_borrow_mut_lamports()? = left;
    **to.try_borrow_mut_lamports()? = credited;
    Ok(left)
}
