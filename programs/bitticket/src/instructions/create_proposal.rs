use anchor_lang::prelude::*;

use crate::constants::{ACCOUNT_VERSION, MAX_TIME_LOCK, SEED_PROPOSAL};
use crate::errors::BitTicketError;
use crate::events::ProposalCreated;
use crate::state::{permission, Organizer, Proposal, ProposalAction, ProposalStatus};

/// A member with PROPOSE proposes `action` as the organizer's next proposal, `index`
/// (its `transaction_index + 1`): the index names the proposal's address, so a client
/// derives it from what it passes.
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct CreateProposal<'info> {
    #[account(mut)]
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        init,
        payer = proposer,
        space = Proposal::SIZE,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    #[account(mut)]
    pub proposer: Signer<'info>,
    pub system_program: Program<'info, System>,
}

impl CreateProposal<'_> {
    fn validate(&self, index: u64, action: &ProposalAction) -> Result<()> {
        self.organizer
            .require_permission(&self.proposer.key(), permission::PROPOSE)?;
        require!(
            Some(index) == self.organizer.transaction_index.checked_add(1),
            BitTicketError::ProposalIndexMismatch
        );
        // amounts are checked here; everything that depends on the state at execution
        // time (balances, members, limits) is checked when the proposal executes
        match action {
            ProposalAction::WithdrawSol { amount, .. }
            | ProposalAction::WithdrawToken { amount, .. } => {
                require!(*amount > 0, BitTicketError::InvalidAmount)
            }
            ProposalAction::SetThreshold { threshold } => {
                require!(*threshold >= 1, BitTicketError::InvalidThreshold)
            }
            ProposalAction::SetTimeLock { seconds } => {
                require!(*seconds <= MAX_TIME_LOCK, BitTicketError::InvalidTimeLock)
            }
            ProposalAction::UpdateEvent { config, .. } => config.validate()?,
            _ => {}
        }
        Ok(())
    }
}

pub fn handler(ctx: Context<CreateProposal>, index: u64, action: ProposalAction) -> Result<()> {
    ctx.accounts.validate(index, &action)?;
    let organizer = &mut ctx.accounts.organizer;
    organizer.transaction_index = index;
    organizer.invariant()?;

    let proposal = &mut ctx.accounts.proposal;
    proposal.version = ACCOUNT_VERSION;
    proposal.organizer = organizer.key();
    proposal.index = index;
    proposal.proposer = ctx.accounts.proposer.key();
    proposal.action = action;
    proposal.status = ProposalStatus::Active;
    proposal.bump = ctx.bumps.proposal;
    proposal.approved = vec![];
    proposal.rejected = vec![];
    proposal.cancelled = vec![];
    proposal.invariant()?;
    crate::rent::return_surplus(
        &proposal.to_account_info(),
        &ctx.accounts.proposer.to_account_info(),
        Proposal::SIZE,
    )?;
    emit!(ProposalCreated {
        organizer: organizer.key(),
        proposal: proposal.key(),
        index,
        proposer: proposal.proposer,
        action: proposal.action.clone(),
    });
    Ok(())
}
