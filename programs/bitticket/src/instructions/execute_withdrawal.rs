use anchor_lang::prelude::*;

use crate::constants::{SEED_PROPOSAL, SEED_VAULT};
use crate::errors::BitTicketError;
use crate::execution::{finish, require_executable};
use crate::state::{ActionKind, Organizer, Proposal, ProposalAction};
use crate::vault::VaultSigner;

/// Executes an approved `WithdrawSol` proposal: pays exactly the destination it names
/// from the organizer's vault, which keeps its rent-exempt reserve.
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct ExecuteWithdrawal<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump = proposal.bump,
        constraint = proposal.organizer == organizer.key() @ BitTicketError::OrganizerMismatch
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub executor: Signer<'info>,
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    /// The wallet the proposal names; only receives lamports.
    /// CHECK: its key is checked against the proposal.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,
    pub system_program: Program<'info, System>,
}

pub fn handler(ctx: Context<ExecuteWithdrawal>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    require_executable(
        &a.organizer,
        &a.proposal,
        &a.executor.key(),
        ActionKind::SolWithdrawal,
        now,
    )?;
    let ProposalAction::WithdrawSol {
        destination,
        amount,
    } = a.proposal.action
    else {
        return err!(BitTicketError::WrongExecuteInstruction);
    };
    require!(
        a.destination.key() == destination,
        BitTicketError::DestinationMismatch
    );
    let signer = VaultSigner::of(&a.organizer);
    signer.transfer_sol(
        &a.vault.to_account_info(),
        &a.destination.to_account_info(),
        &a.system_program,
        amount,
    )?;
    finish(&mut a.organizer, &mut a.proposal, a.executor.key(), now)
}
