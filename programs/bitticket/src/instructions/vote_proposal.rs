//! approve_proposal, reject_proposal and cancel_proposal: one account layout, three votes
//! (as Squads v4's proposal_vote.rs).
use anchor_lang::prelude::*;

use crate::constants::SEED_PROPOSAL;
use crate::errors::BitTicketError;
use crate::events::ProposalVoted;
use crate::state::{permission, Organizer, Proposal, ProposalStatus, Vote};

/// `index` names the proposal (as in `create_proposal`), so a client derives its address.
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct VoteOnProposal<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump = proposal.bump,
        // not `has_one`: the IDL would derive the organizer from the proposal, and the
        // proposal from the organizer
        constraint = proposal.organizer == organizer.key() @ BitTicketError::OrganizerMismatch
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub member: Signer<'info>,
}

impl VoteOnProposal<'_> {
    /// Approve and reject: an active, fresh proposal; one vote per member.
    fn validate_vote(&self) -> Result<()> {
        self.organizer
            .require_permission(&self.member.key(), permission::VOTE)?;
        require!(
            self.proposal.status == ProposalStatus::Active,
            BitTicketError::ProposalNotActive
        );
        require!(
            !self.organizer.is_stale(self.proposal.index),
            BitTicketError::ProposalStale
        );
        require!(
            !self.proposal.has_voted(&self.member.key()),
            BitTicketError::AlreadyVoted
        );
        Ok(())
    }

    /// Cancel: only an approved proposal, by the threshold of voters.
    fn validate_cancel(&self) -> Result<()> {
        self.organizer
            .require_permission(&self.member.key(), permission::VOTE)?;
        require!(
            matches!(self.proposal.status, ProposalStatus::Approved { .. }),
            BitTicketError::ProposalNotApproved
        );
        require!(
            !self.proposal.cancelled.contains(&self.member.key()),
            BitTicketError::AlreadyVoted
        );
        Ok(())
    }

    fn finish(&self, vote: Vote) -> Result<()> {
        self.proposal.invariant()?;
        emit!(ProposalVoted {
            organizer: self.organizer.key(),
            proposal: self.proposal.key(),
            member: self.member.key(),
            vote,
            status: self.proposal.status,
        });
        Ok(())
    }
}

pub fn approve(ctx: Context<VoteOnProposal>) -> Result<()> {
    ctx.accounts.validate_vote()?;
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let threshold = usize::from(a.organizer.threshold);
    let proposal = &mut a.proposal;
    proposal.approved.push(a.member.key());
    if proposal.approved.len() >= threshold {
        proposal.status = ProposalStatus::Approved { at: now };
    }
    a.finish(Vote::Approve)
}

pub fn reject(ctx: Context<VoteOnProposal>) -> Result<()> {
    ctx.accounts.validate_vote()?;
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let cutoff = a.organizer.rejection_cutoff();
    let proposal = &mut a.proposal;
    proposal.rejected.push(a.member.key());
    if proposal.rejected.len() >= cutoff {
        proposal.status = ProposalStatus::Rejected { at: now };
    }
    a.finish(Vote::Reject)
}

pub fn cancel(ctx: Context<VoteOnProposal>) -> Result<()> {
    ctx.accounts.validate_cancel()?;
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    let threshold = usize::from(a.organizer.threshold);
    let proposal = &mut a.proposal;
    proposal.cancelled.push(a.member.key());
    if proposal.cancelled.len() >= threshold {
        proposal.status = ProposalStatus::Cancelled { at: now };
    }
    a.finish(Vote::Cancel)
}
