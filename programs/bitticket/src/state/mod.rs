pub mod buyer_record;
pub mod event;
pub mod listing;
pub mod organizer;
pub mod period;
pub mod proposal;
pub mod shard;
pub mod spending;
pub mod ticket;
pub mod tier;

pub use buyer_record::*;
pub use event::*;
pub use listing::*;
pub use organizer::*;
pub use period::*;
pub use proposal::*;
pub use shard::*;
pub use spending::*;
pub use ticket::*;
pub use tier::*;

/// Fixed-offset reads of account data, for the purchase's hot path: Borsh decodes field by
/// field with a bounds check and an error path each (tens of CU a field on sBPF); a layout
/// whose offsets are fixed is read as the bytes at those offsets. Each user has a test
/// that reads a Borsh-serialized account back through these.
pub(crate) mod raw {
    use anchor_lang::error::ErrorCode;
    use anchor_lang::prelude::*;

    /// `data` begins with `disc`, an account type's discriminator; the errors are the ones
    /// `Account<T>` gives.
    #[inline(always)]
    pub fn require_discriminator(data: &[u8], disc: &[u8]) -> Result<()> {
        if data.len() < disc.len() {
            return err!(ErrorCode::AccountDiscriminatorNotFound);
        }
        require!(
            &data[..disc.len()] == disc,
            ErrorCode::AccountDiscriminatorMismatch
        );
        Ok(())
    }

    /// `info` (the instruction's account `name`) is an account of this program; the errors
    /// are the ones `Account<T>` gives.
    #[inline(always)]
    pub fn require_owned(info: &AccountInfo, name: &str) -> Result<()> {
        if info.owner == &anchor_lang::system_program::ID && info.lamports() == 0 {
            return Err(Error::from(ErrorCode::AccountNotInitialized).with_account_name(name));
        }
        if info.owner != &crate::ID {
            return Err(Error::from(ErrorCode::AccountOwnedByWrongProgram)
                .with_account_name(name)
                .with_pubkeys((*info.owner, crate::ID)));
        }
        Ok(())
    }

    /// The account `name` holds `held` where `expected` is due; the error is the one
    /// `has_one` gives.
    #[inline(always)]
    pub fn require_has_one(held: &Pubkey, expected: &Pubkey, name: &str) -> Result<()> {
        if held != expected {
            return Err(Error::from(ErrorCode::ConstraintHasOne)
                .with_account_name(name)
                .with_pubkeys((*held, *expected)));
        }
        Ok(())
    }

    /// The `N` bytes at `at`, or `AccountDidNotDeserialize` when the data is shorter.
    #[inline(always)]
    pub fn bytes<const N: usize>(data: &[u8], at: usize) -> Result<[u8; N]> {
        match data.get(at..at + N) {
            Some(b) => {
                let mut out = [0u8; N];
                out.copy_from_slice(b);
                Ok(out)
            }
            None => err!(ErrorCode::AccountDidNotDeserialize),
        }
    }

    pub fn u16_at(data: &[u8], at: usize) -> Result<u16> {
        bytes(data, at).map(u16::from_le_bytes)
    }

    pub fn u32_at(data: &[u8], at: usize) -> Result<u32> {
        bytes(data, at).map(u32::from_le_bytes)
    }

    pub fn u64_at(data: &[u8], at: usize) -> Result<u64> {
        bytes(data, at).map(u64::from_le_bytes)
    }

    pub fn i64_at(data: &[u8], at: usize) -> Result<i64> {
        bytes(data, at).map(i64::from_le_bytes)
    }

    pub fn u8_at(data: &[u8], at: usize) -> Result<u8> {
        bytes::<1>(data, at).map(|[b]| b)
    }

    /// A Borsh `bool`: 0 or 1, anything else refused as Borsh refuses it.
    pub fn bool_at(data: &[u8], at: usize) -> Result<bool> {
        match u8_at(data, at)? {
            0 => Ok(false),
            1 => Ok(true),
            _ => err!(ErrorCode::AccountDidNotDeserialize),
        }
    }

    pub fn pubkey_at(data: &[u8], at: usize) -> Result<Pubkey> {
        bytes::<32>(data, at).map(Pubkey::new_from_array)
    }

    /// Writes `value` at `at`.
    pub fn put(data: &mut [u8], at: usize, value: &[u8]) -> Result<()> {
        match data.get_mut(at..at + value.len()) {
            Some(b) => {
                b.copy_from_slice(value);
                Ok(())
            }
            None => err!(ErrorCode::AccountDidNotSerialize),
        }
    }
}
