//! Moving funds out of an organizer's vault: the system-owned PDA ["vault", organizer]
//! for SOL, and token accounts that PDA owns. Used by executed proposals and by
//! spending limits; nothing else signs for the vault.
use anchor_lang::prelude::*;
use anchor_lang::system_program;
use anchor_spl::token::{self, Mint, Token, TokenAccount, TransferChecked};

use crate::constants::SEED_VAULT;
use crate::errors::BitTicketError;

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
        require!(
            vault.lamports() >= amount,
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

    /// `vault_token` must be owned by the vault and hold `mint`; `destination` holds `mint`.
    pub fn transfer_token<'info>(
        &self,
        vault: &AccountInfo<'info>,
        vault_token: &Account<'info, TokenAccount>,
        destination: &Account<'info, TokenAccount>,
        mint: &Account<'info, Mint>,
        token_program: &Program<'info, Token>,
        amount: u64,
    ) -> Result<()> {
        require!(amount > 0, BitTicketError::InvalidAmount);
        require!(
            vault_token.owner == vault.key() && vault_token.mint == mint.key(),
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
            token::transfer_checked(
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
