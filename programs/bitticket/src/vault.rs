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
    /// The signer of `organizer`'s vault: its PDA seeds with the stored bump.
    pub fn of(organizer: &Account<crate::state::Organizer>) -> Self {
        Self {
            organizer: organizer.key(),
            bump: organizer.vault_bump,
        }
    }

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

/// Checks a token outflow's accounts against the asset a proposal or a limit names and
/// moves `amount` from `vault_token` to `destination_token`.
#[allow(clippy::too_many_arguments)]
pub fn pay_tokens<'info>(
    signer: &VaultSigner,
    vault: &AccountInfo<'info>,
    vault_token: &InterfaceAccount<'info, TokenAccount>,
    destination_token: &InterfaceAccount<'info, TokenAccount>,
    mint: &InterfaceAccount<'info, Mint>,
    token_program: &Interface<'info, TokenInterface>,
    named_mint: Pubkey,
    amount: u64,
) -> Result<()> {
    require!(mint.key() == named_mint, BitTicketError::VaultTokenMismatch);
    signer.transfer_token(
        vault,
        vault_token,
        destination_token,
        mint,
        token_program,
        amount,
    )
}
