use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::SEED_VAULT;
use crate::events::SpendingLimitUsed;
use crate::instructions::spend::validate_spend;
use crate::state::Organizer;
use crate::vault::{pay_tokens, VaultSigner};

/// `spend` for a token spending limit: moves tokens of the limit's mint from a token
/// account the vault owns to a destination token account the limit allows, through SPL
/// Token or Token-2022.
#[derive(Accounts)]
pub struct SpendToken<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    pub member: Signer<'info>,
    #[account(seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    #[account(mut)]
    pub vault_token: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub destination_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<SpendToken>, limit_id: u8, amount: u64) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let (mint, destination) = (a.mint.key(), a.destination_token.key());
    validate_spend(
        &a.organizer,
        limit_id,
        &a.member.key(),
        mint,
        &destination,
        amount,
    )?;
    let (remaining, cap_used) = a.organizer.record_spend(limit_id, amount, now)?;
    a.organizer.invariant()?;
    let signer = VaultSigner::of(&a.organizer);
    pay_tokens(
        &signer,
        &a.vault.to_account_info(),
        &a.vault_token,
        &a.destination_token,
        &a.mint,
        &a.token_program,
        mint,
        amount,
    )?;
    emit!(SpendingLimitUsed {
        organizer: a.organizer.key(),
        limit_id,
        member: a.member.key(),
        mint,
        destination,
        amount,
        remaining,
        cap_used,
    });
    Ok(())
}
