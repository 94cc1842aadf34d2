//! Tiers priced in an SPL mint: which mints a tier accepts, and how a payment in one moves
//! between the buyer, the seller, the shard that holds the proceeds (its "till": a token
//! account the shard PDA owns) and the organizer's vault.
//!
//! The instructions that move a price (`purchase_tier`, `buy_listing`, `claim_refund`,
//! `sweep_shard`) take the token side as optional accounts: none for a shard priced in SOL,
//! all of them for one priced in a mint, and anything else is refused
//! (`CurrencyMismatch`), so a payment can never be taken in the wrong currency.
use anchor_lang::prelude::*;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint as MintState;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::constants::{SEED_SHARD, SOL_CURRENCY};
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

/// The mint and token program of a payment in a token currency.
pub struct Tokens<'a, 'info> {
    pub mint: &'a InterfaceAccount<'info, Mint>,
    pub program: &'a Interface<'info, TokenInterface>,
}

/// The token side of a payment in `currency` (a tier's or a shard's): `None` for SOL, when
/// no token account was passed either; the mint and program for a token currency, when
/// the mint is that currency and every one of `accounts` was passed.
pub fn tokens<'a, 'info>(
    currency: &Pubkey,
    mint: Option<&'a InterfaceAccount<'info, Mint>>,
    program: Option<&'a Interface<'info, TokenInterface>>,
    accounts: &[bool],
) -> Result<Option<Tokens<'a, 'info>>> {
    let passed = accounts.iter().filter(|&&a| a).count();
    match (mint, program) {
        (None, None) if *currency == SOL_CURRENCY && passed == 0 => Ok(None),
        (Some(mint), Some(program))
            if *currency != SOL_CURRENCY && mint.key() == *currency && passed == accounts.len() =>
        {
            Ok(Some(Tokens { mint, program }))
        }
        _ => err!(BitTicketError::CurrencyMismatch),
    }
}

/// `account` is `owner`'s, in `mint`, under `program`.
pub fn require_account_of(
    account: &InterfaceAccount<TokenAccount>,
    owner: &Pubkey,
    tokens: &Tokens,
) -> Result<()> {
    require!(
        account.owner == *owner
            && account.mint == tokens.mint.key()
            && *account.to_account_info().owner == tokens.program.key(),
        BitTicketError::CurrencyAccountMismatch
    );
    Ok(())
}

impl<'info> Tokens<'_, 'info> {
    /// Moves `amount` from `from` to `to` with `transfer_checked`, signed by `authority`
    /// (the buyer's own signature) or, with `seeds`, by a PDA of this program.
    pub fn transfer(
        &self,
        from: &InterfaceAccount<'info, TokenAccount>,
        to: &InterfaceAccount<'info, TokenAccount>,
        authority: AccountInfo<'info>,
        amount: u64,
        seeds: &[&[&[u8]]],
    ) -> Result<()> {
        if amount == 0 {
            return Ok(());
        }
        token_interface::transfer_checked(
            CpiContext::new_with_signer(
                self.program.key(),
                TransferChecked {
                    from: from.to_account_info(),
                    mint: self.mint.to_account_info(),
                    to: to.to_account_info(),
                    authority,
                },
                seeds,
            ),
            amount,
            self.mint.decimals,
        )
    }
}

/// Pays `amount` of the shard's proceeds out of its till `till` to `to`, signed by the
/// shard PDA.
pub fn pay_from_shard<'info>(
    tokens: &Tokens<'_, 'info>,
    shard: &Account<'info, Shard>,
    till: &InterfaceAccount<'info, TokenAccount>,
    to: &InterfaceAccount<'info, TokenAccount>,
    amount: u64,
) -> Result<()> {
    require_account_of(till, &shard.key(), tokens)?;
    require!(
        to.key() != till.key(),
        BitTicketError::CurrencyAccountMismatch
    );
    require!(
        till.amount >= amount,
        BitTicketError::InsufficientShardFunds
    );
    let index = [shard.index];
    let bump = [shard.bump];
    let seeds: &[&[u8]] = &[SEED_SHARD, shard.event.as_ref(), &index, &bump];
    tokens.transfer(till, to, shard.to_account_info(), amount, &[seeds])
}
