//! Tiers priced in an SPL mint: which mints a tier accepts, and how a payment in one moves
//! between the buyer, the seller, the shard that holds the proceeds (its "till": a token
//! account the shard PDA owns) and the organizer's vault.
//!
//! The instructions that move a price (`purchase_tier`, `buy_listing`, `claim_refund`,
//! `sweep_shard`) take the token side as optional accounts: none for a shard priced in SOL,
//! all of them for one priced in a mint, and anything else is refused
//! (`CurrencyMismatch`), so a payment can never be taken in the wrong currency.
//!
//! On those paths the accounts are read as raw bytes, not deserialized (a token account
//! costs hundreds of CU to unpack, a Token-2022 one more): the mint is the one the tier was
//! created with (`accept` checked it then) and is owned by the token program passed; a
//! token account the program pays into or out of is checked by its owner program and the
//! base layout both token programs share (mint, then owner, then amount); everything else
//! `TransferChecked` checks itself (the source's mint and authority, the decimals).
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::{self, CloseAccount, Mint, TokenInterface};

use crate::constants::SOL_CURRENCY;
use crate::errors::BitTicketError;
use crate::state::Shard;

/// Token-2022 mint extensions a currency may carry: each only describes the mint (names,
/// groups, display) or lets it be closed once no token exists. Every other one can take a
/// fee, call a hook, move or freeze the shard's tokens, or hide amounts, and is refused.
const HARMLESS: [ExtensionType; 8] = [
    ExtensionType::MetadataPointer,
    ExtensionType::TokenMetadata,
    ExtensionType::GroupPointer,
    ExtensionType::TokenGroup,
    ExtensionType::GroupMemberPointer,
    ExtensionType::TokenGroupMember,
    ExtensionType::MintCloseAuthority,
    ExtensionType::InterestBearingConfig,
];

/// A mint a tier may be priced in: any classic SPL Token mint; a Token-2022 mint only with
/// `HARMLESS` extensions.
pub fn accept(mint: &InterfaceAccount<Mint>) -> Result<()> {
    let info = mint.to_account_info();
    if *info.owner == anchor_spl::token::ID {
        return Ok(());
    }
    let data = info.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)
        .map_err(|_| error!(BitTicketError::UnsupportedCurrency))?;
    let extensions = state
        .get_extension_types()
        .map_err(|_| error!(BitTicketError::UnsupportedCurrency))?;
    require!(
        extensions.iter().all(|e| HARMLESS.contains(e)),
        BitTicketError::UnsupportedCurrency
    );
    Ok(())
}

/// Where a mint's `decimals` is in its data (after the mint authority and the supply), the
/// same for both token programs.
const MINT_DECIMALS: usize = 44;
/// A token account's mint, owner and amount, the same for both token programs.
const ACCOUNT_MINT: std::ops::Range<usize> = 0..32;
const ACCOUNT_OWNER: std::ops::Range<usize> = 32..64;
const ACCOUNT_AMOUNT: std::ops::Range<usize> = 64..72;

/// The amount of `account` when it is a token account of `program` in `mint` owned by
/// `owner` (read as raw bytes: the base layout both token programs share); `None` otherwise.
pub fn token_account_amount(
    account: &AccountInfo,
    program: &Pubkey,
    mint: &Pubkey,
    owner: &Pubkey,
) -> Result<Option<u64>> {
    let data = account.try_borrow_data()?;
    let field = |r: std::ops::Range<usize>| data.get(r);
    let amount = field(ACCOUNT_AMOUNT).and_then(|b| b.try_into().ok());
    Ok(amount
        .filter(|_| {
            account.owner == program
                && field(ACCOUNT_MINT) == Some(mint.as_ref())
                && field(ACCOUNT_OWNER) == Some(owner.as_ref())
        })
        .map(u64::from_le_bytes))
}

/// The mint and token program of a payment in a token currency.
pub struct Tokens<'a, 'info> {
    pub mint: &'a AccountInfo<'info>,
    pub program: Pubkey,
    pub decimals: u8,
}

/// The token side of a payment in `currency` (a tier's or a shard's): `None` for SOL, when
/// no token account was passed either; the mint and program for a token currency, when
/// the mint is that currency, owned by the token program passed, and every one of
/// `accounts` was passed.
pub fn tokens<'a, 'info>(
    currency: &Pubkey,
    mint: Option<&'a AccountInfo<'info>>,
    program: Option<&Interface<'info, TokenInterface>>,
    accounts: &[bool],
) -> Result<Option<Tokens<'a, 'info>>> {
    let passed = accounts.iter().filter(|&&a| a).count();
    match (mint, program) {
        (None, None) if *currency == SOL_CURRENCY && passed == 0 => Ok(None),
        (Some(mint), Some(program))
            if *currency != SOL_CURRENCY && mint.key == currency && passed == accounts.len() =>
        {
            require_keys_eq!(
                *mint.owner,
                program.key(),
                BitTicketError::CurrencyAccountMismatch
            );
            let decimals = *mint
                .try_borrow_data()?
                .get(MINT_DECIMALS)
                .ok_or(BitTicketError::CurrencyMismatch)?;
            Ok(Some(Tokens {
                mint,
                program: program.key(),
                decimals,
            }))
        }
        _ => err!(BitTicketError::CurrencyMismatch),
    }
}

impl<'info> Tokens<'_, 'info> {
    /// `account` is a token account of `owner` in this currency; returns its amount.
    pub fn require_account_of(&self, account: &AccountInfo, owner: &Pubkey) -> Result<u64> {
        token_account_amount(account, &self.program, self.mint.key, owner)?
            .ok_or_else(|| error!(BitTicketError::CurrencyAccountMismatch))
    }

    /// Moves `amount` from `from` to `to` with `TransferChecked`, signed by `authority`
    /// (a transaction signer) or, with `seeds`, by a PDA of this program. Nothing for zero.
    pub fn transfer(
        &self,
        from: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        authority: &AccountInfo<'info>,
        amount: u64,
        seeds: &[&[&[u8]]],
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        crate::cpi::transfer_checked(
            self.program,
            from,
            self.mint,
            to,
            authority,
            amount,
            self.decimals,
            seeds,
        )
    }

    /// Pays `amount` of `shard`'s proceeds out of its till `till` into `to`, signed by the
    /// shard PDA.
    pub fn pay_from_shard(
        &self,
        shard: &Account<'info, Shard>,
        till: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
        amount: u64,
    ) -> Result<()> {
        let held = self.require_account_of(till, &shard.key())?;
        require!(to.key != till.key, BitTicketError::CurrencyAccountMismatch);
        require!(held >= amount, BitTicketError::InsufficientShardFunds);
        shard.with_signer(|seeds| self.transfer(till, to, &shard.to_account_info(), amount, seeds))
    }

    /// Closes `shard`'s till `till` (emptied: the token program refuses otherwise), its
    /// rent to `to`, signed by the shard PDA.
    pub fn close_till(
        &self,
        shard: &Account<'info, Shard>,
        till: &AccountInfo<'info>,
        to: &AccountInfo<'info>,
    ) -> Result<()> {
        shard.with_signer(|seeds| {
            token_interface::close_account(CpiContext::new_with_signer(
                self.program,
                CloseAccount {
                    account: till.clone(),
                    destination: to.clone(),
                    authority: shard.to_account_info(),
                },
                seeds,
            ))
        })
    }
}
