//! Accounts of other programs, read with their programs' own types: token accounts and
//! the clock sysvar.
use anchor_lang::AccountDeserialize;
use anchor_spl::token_interface::{Mint, TokenAccount};
use solana_address::Address;
pub use solana_clock::Clock;

/// A token account of SPL Token or Token-2022 (its base state, extensions aside), read with
/// the token program's own type; `None` for an account of another owner or another shape.
pub fn token_account(owner: &Address, data: &[u8]) -> Option<TokenAccount> {
    if *owner != anchor_spl::token::ID && *owner != anchor_spl::token_2022::ID {
        return None;
    }
    TokenAccount::try_deserialize(&mut &data[..]).ok()
}

/// A tier's currency from its mint account as the chain holds it: the mint with the token
/// program that owns it (SPL Token or Token-2022) and its decimals, read with the token
/// program's own type; `None` for an account of another owner or another shape.
pub fn currency(
    mint: &Address,
    owner: &Address,
    data: &[u8],
) -> Option<(crate::TokenCurrency, u8)> {
    if *owner != anchor_spl::token::ID && *owner != anchor_spl::token_2022::ID {
        return None;
    }
    let m = Mint::try_deserialize(&mut &data[..]).ok()?;
    Some((
        crate::TokenCurrency {
            mint: *mint,
            program: *owner,
        },
        m.decimals,
    ))
}

/// The clock sysvar through its own type (bincode, as the runtime writes it); `None` for an
/// account the sysvar program does not own, or one too short.
pub fn clock(owner: &Address, data: &[u8]) -> Option<Clock> {
    if *owner != crate::SYSVAR {
        return None;
    }
    bincode::deserialize(data).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use anchor_lang::solana_program::program_pack::Pack;
    use anchor_spl::token::spl_token::state::{Account, AccountState};

    #[test]
    fn a_token_account_reads_back_and_a_stranger_does_not() {
        let (mint, holder) = (Address::new_unique(), Address::new_unique());
        let account = Account {
            mint,
            owner: holder,
            amount: 1,
            state: AccountState::Frozen,
            ..Account::default()
        };
        let mut data = vec![0; Account::LEN];
        Account::pack(account, &mut data).unwrap();
        let read = token_account(&anchor_spl::token::ID, &data).unwrap();
        assert_eq!((read.mint, read.owner, read.amount), (mint, holder, 1));
        assert!(token_account(&Address::new_unique(), &data).is_none());
        assert!(token_account(&anchor_spl::token::ID, &data[..40]).is_none());
        // a token account is not a mint, and a mint is read with its decimals
        let key = Address::new_unique();
        assert!(currency(&key, &anchor_spl::token::ID, &data).is_none());
        let mut m = vec![0u8; anchor_spl::token::spl_token::state::Mint::LEN];
        anchor_spl::token::spl_token::state::Mint {
            decimals: 6,
            is_initialized: true,
            ..Default::default()
        }
        .pack_into_slice(&mut m);
        let (c, decimals) = currency(&key, &anchor_spl::token_2022::ID, &m).unwrap();
        assert_eq!(
            (c.mint, c.program, decimals),
            (key, anchor_spl::token_2022::ID, 6)
        );
        assert!(currency(&key, &crate::SYSTEM, &m).is_none());
    }

    #[test]
    fn the_clock_reads_through_its_type() {
        let c = Clock {
            slot: 9,
            epoch_start_timestamp: 1,
            epoch: 2,
            leader_schedule_epoch: 3,
            unix_timestamp: 1_700_000_000,
        };
        let data = bincode::serialize(&c).unwrap();
        // the layout the byte-offset reads assumed: unix_timestamp at bytes 32..40
        assert_eq!(data[32..40], 1_700_000_000i64.to_le_bytes());
        assert_eq!(clock(&crate::SYSVAR, &data), Some(c));
        assert_eq!(clock(&Address::new_unique(), &data), None);
        assert_eq!(clock(&crate::SYSVAR, &data[..39]), None);
    }
}
