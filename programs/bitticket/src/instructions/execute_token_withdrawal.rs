use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{SEED_PROPOSAL, SEED_VAULT};
use crate::errors::BitTicketError;
use crate::execution::{finish, require_executable};
use crate::state::{ActionKind, Organizer, Proposal, ProposalAction};
use crate::vault::{pay_tokens, VaultSigner};

/// Executes an approved `WithdrawToken` proposal: moves the tokens from a token account
/// the vault owns to exactly the token account the proposal names, through SPL Token or
/// Token-2022 (the program the mint belongs to).
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct ExecuteTokenWithdrawal<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump = proposal.bump,
        constraint = proposal.organizer == organizer.key() @ BitTicketError::OrganizerMismatch
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub executor: Signer<'info>,
    #[account(seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    #[account(mut)]
    pub vault_token: Box<InterfaceAccount<'info, TokenAccount>>,
    #[account(mut)]
    pub destination_token: Box<InterfaceAccount<'info, TokenAccount>>,
    pub mint: Box<InterfaceAccount<'info, Mint>>,
    pub token_program: Interface<'info, TokenInterface>,
}

pub fn handler(ctx: Context<ExecuteTokenWithdrawal>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    require_executable(
        &a.organizer,
        &a.proposal,
        &a.executor.key(),
        ActionKind::TokenWithdrawal,
        now,
    )?;
    let ProposalAction::WithdrawToken {
        mint,
        destination,
        amount,
    } = a.proposal.action
    else {
        return err!(BitTicketError::WrongExecuteInstruction);
    };
    require!(
        a.destination_token.key() == destination,
        BitTicketError::DestinationMismatch
    );
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
    finish(&mut a.organizer, &mut a.proposal, a.executor.key(), now)
}
