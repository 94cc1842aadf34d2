//! Moving funds out of an organizer's vault: the system-owned PDA ["vault", organizer]
//! for SOL, and token accounts that PDA owns, of the classic SPL Token program or of
//! Token-2022 (`token_interface`). Used by executed proposals and by spending limits;
//! nothing else signs for the vault.
use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::token_interface::{self, Mint, TokenAccount, TokenInterface, TransferChecked};

use crate::constants::SEED_VAULT;
use crate::errors::BitTicketError;

/// What an organizer's SOL vault always keeps: the rent-exempt minimum of an empty
/// account, funded when the organizer is created, so that any amount can be swept or
/// deposited into it.
pub fn vault_reserve() -> Result<u64> {
    Ok(crate::rent::exempt_minimum(&Rent::get()?, 0))
}

pub struct VaultSigner {
    pub organizer: Pubkey,
    pub bump: u8,
}

impl VaultSigner {
    fn with_seeds<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let seeds: &[&[u8]] = &[
            SEED_VAULT,
            self.organizer.as_ref(),
            std::slice::from_ref(&self.bump),
        ];
        f(&[seeds])
    }

    pub fn transfer_sol<'info>(
        &self,
        vault: &AccountInfo<'info>,
        destination: &AccountInfo<'info>,
        system: &Program<'info, anchor_lang::system_program::System>,
        amount: u64,
    ) -> Result<()> {
        require!(amount > 0, BitTicketError::InvalidAmount);
        // Anchor's duplicate-mutable check does not cover optional unchecked accounts
        require!(
            destination.key() != vault.key(),
            BitTicketError::DestinationIsVault
        );
        let reserve = vault_reserve()?;
        require!(
            vault
                .lamports()
                .checked_sub(amount)
                .is_some_and(|left| left >= reserve),
            BitTicketError::InsufficientVaultFunds
        );
        self.with_seeds(|signer| {
            system_program::transfer(
                CpiContext::new_with_signer(
                    system.key(),
                    system_program::Transfer {
                        from: vault.clone(),
                        to: destination.clone(),
                    },
                    signer,
                ),
                amount,
            )
        })
    }

    /// `vault_token` must be owned by the vault and hold `mint`; `destination` holds `mint`;
    /// all three belong to `token_program` (SPL Token or Token-2022). A Token-2022 mint's
    /// transfer fee, if it has one, is taken from what arrives, as for any holder; a mint
    /// with a transfer hook needs accounts this does not pass, and its transfer fails.
    pub fn transfer_token<'info>(
        &self,
        vault: &AccountInfo<'info>,
        vault_token: &InterfaceAccount<'info, TokenAccount>,
        destination: &InterfaceAccount<'info, TokenAccount>,
        mint: &InterfaceAccount<'info, Mint>,
        token_program: &Interface<'info, TokenInterface>,
        amount: u64,
    ) -> Result<()> {
        require!(amount > 0, BitTicketError::InvalidAmount);
        require!(
            vault_token.owner == vault.key() && vault_token.mint == mint.key(),
            BitTicketError::VaultTokenMismatch
        );
        let program = token_program.key();
        require!(
            [
                mint.to_account_info().owner,
                vault_token.to_account_info().owner,
                destination.to_account_info().owner,
            ]
            .iter()
            .all(|owner| **owner == program),
            BitTicketError::VaultTokenMismatch
        );
        require!(
            destination.mint == mint.key(),
            BitTicketError::DestinationMismatch
        );
        require!(
            destination.key() != vault_token.key(),
            BitTicketError::DestinationIsVault
        );
        require!(
            vault_token.amount >= amount,
            BitTicketError::InsufficientVaultFunds
        );
        self.with_seeds(|signer| {
            token_interface::transfer_checked(
                CpiContext::new_with_signer(
                    token_program.key(),
                    TransferChecked {
                        from: vault_token.to_account_info(),
                        mint: mint.to_account_info(),
                        to: destination.to_account_info(),
                        authority: vault.clone(),
                    },
                    signer,
                ),
                amount,
                mint.decimals,
            )
        })
    }
}

/// What an outflow moves: SOL, or tokens of a mint.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Asset {
    Sol,
    Token(Pubkey),
}

impl Asset {
    /// Spending limits and caps name SOL as `Pubkey::default()`.
    pub fn from_mint(mint: Pubkey) -> Self {
        if mint == Pubkey::default() {
            Asset::Sol
        } else {
            Asset::Token(mint)
        }
    }

    /// The mint as spending limits and caps name it.
    pub fn mint(self) -> Pubkey {
        match self {
            Asset::Sol => Pubkey::default(),
            Asset::Token(mint) => mint,
        }
    }
}

/// The accounts an outflow from the vault may need, shared by `execute_proposal` and
/// `spend`: `destination` for SOL; `vault_token`, `destination_token`, `mint` and
/// `token_program` for tokens. The vault itself stays in the parent, whose organizer its
/// seeds name.
#[derive(Accounts)]
pub struct VaultOutflow<'info> {
    /// Only receives lamports; its key is checked against the proposal or limit.
    /// CHECK: the checks are the ones described above.
    #[account(mut)]
    pub destination: Option<UncheckedAccount<'info>>,
    #[account(mut)]
    pub vault_token: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    #[account(mut)]
    pub destination_token: Option<Box<InterfaceAccount<'info, TokenAccount>>>,
    pub mint: Option<Box<InterfaceAccount<'info, Mint>>>,
    /// SPL Token or Token-2022: the program the mint and both token accounts belong to.
    pub token_program: Option<Interface<'info, TokenInterface>>,
    pub system_program: Program<'info, anchor_lang::system_program::System>,
}

impl<'info> VaultOutflow<'info> {
    /// The receiving account for `asset`: the wallet for SOL, the token account for tokens.
    pub fn destination_key(&self, asset: Asset) -> Result<Pubkey> {
        let key = match asset {
            Asset::Sol => self.destination.as_ref().map(|d| d.key()),
            Asset::Token(_) => self.destination_token.as_ref().map(|d| d.key()),
        };
        key.ok_or_else(|| error!(BitTicketError::MissingAccount))
    }

    /// Moves `amount` of `asset` from `vault` to the destination account.
    pub fn pay(
        &self,
        signer: &VaultSigner,
        vault: &AccountInfo<'info>,
        asset: Asset,
        amount: u64,
    ) -> Result<()> {
        let missing = || error!(BitTicketError::MissingAccount);
        match asset {
            Asset::Sol => {
                let to = self.destination.as_ref().ok_or_else(missing)?;
                signer.transfer_sol(vault, &to.to_account_info(), &self.system_program, amount)
            }
            Asset::Token(mint) => {
                let vault_token = self.vault_token.as_ref().ok_or_else(missing)?;
                let to = self.destination_token.as_ref().ok_or_else(missing)?;
                let mint_account = self.mint.as_ref().ok_or_else(missing)?;
                let token_program = self.token_program.as_ref().ok_or_else(missing)?;
                require!(
                    mint_account.key() == mint,
                    BitTicketError::VaultTokenMismatch
                );
                signer.transfer_token(vault, vault_token, to, mint_account, token_program, amount)
            }
        }
    }
}
