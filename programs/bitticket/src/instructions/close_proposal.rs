use anchor_lang::prelude::*;

use crate::constants::SEED_PROPOSAL;
use crate::errors::BitTicketError;
use crate::events::ProposalClosed;
use crate::state::{Organizer, Proposal};

/// Anyone may crank it, as Squads v4's `proposal_close`: closes a proposal that can no
/// longer change anything (executed, rejected, cancelled, or stale) and gives its rent
/// back to its proposer, who paid it. Its index is never reused: `create_proposal` takes
/// only the organizer's next index, so a closed proposal cannot come back.
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct CloseProposal<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump = proposal.bump,
        constraint = proposal.organizer == organizer.key() @ BitTicketError::OrganizerMismatch,
        has_one = proposer @ BitTicketError::RentCollectorMismatch,
        close = proposer
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    /// Receives the rent; must be the proposal's proposer.
    /// CHECK: only receives lamports; `has_one` above checks its key.
    #[account(mut)]
    pub proposer: UncheckedAccount<'info>,
}

impl CloseProposal<'_> {
    fn validate(&self) -> Result<()> {
        let stale = self.organizer.is_stale(self.proposal.index);
        require!(
            self.proposal.is_closable(stale),
            BitTicketError::ProposalNotClosable
        );
        Ok(())
    }
}

pub fn handler(ctx: Context<CloseProposal>, index: u64) -> Result<()> {
    ctx.accounts.validate()?;
    let proposal = &ctx.accounts.proposal;
    emit!(ProposalClosed {
        organizer: ctx.accounts.organizer.key(),
        proposal: proposal.key(),
        index,
        status: proposal.status,
        rent_to: ctx.accounts.proposer.key(),
        lamports: proposal.to_account_info().lamports(),
    });
    Ok(())
}
