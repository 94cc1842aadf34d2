//! What every instruction that executes a proposal shares: one per kind of action
//! (`ActionKind`), each with exactly the accounts that kind needs, as Squads v4 executes
//! config and vault transactions apart. Nothing is optional, so a client derives or
//! names every account and never passes a placeholder.
use anchor_lang::prelude::*;

use crate::errors::BitTicketError;
use crate::events::ProposalExecuted;
use crate::state::{permission, ActionKind, Organizer, Proposal, ProposalStatus};

/// `executor` may execute, the proposal is approved and fresh, its time-lock has elapsed,
/// and its action is of the `kind` this instruction executes.
pub fn require_executable(
    organizer: &Organizer,
    proposal: &Proposal,
    executor: &Pubkey,
    kind: ActionKind,
    now: i64,
) -> Result<()> {
    organizer.require_permission(executor, permission::EXECUTE)?;
    let approved_at = match proposal.status {
        ProposalStatus::Approved { at } => at,
        _ => return err!(BitTicketError::ProposalNotApproved),
    };
    require!(
        !organizer.is_stale(proposal.index),
        BitTicketError::ProposalStale
    );
    let unlock = approved_at
        .checked_add(i64::from(organizer.time_lock))
        .ok_or(BitTicketError::Overflow)?;
    require!(now >= unlock, BitTicketError::TimeLockNotElapsed);
    require!(
        proposal.action.kind() == kind,
        BitTicketError::WrongExecuteInstruction
    );
    Ok(())
}

/// Marks the proposal executed (a configuration change makes every older proposal
/// stale), checks both invariants and emits `ProposalExecuted`.
pub fn finish(
    organizer: &mut Account<Organizer>,
    proposal: &mut Account<Proposal>,
    executor: Pubkey,
    now: i64,
) -> Result<()> {
    if proposal.action.is_config_change() {
        organizer.invalidate_prior_proposals();
    }
    organizer.invariant()?;
    proposal.status = ProposalStatus::Executed { at: now };
    proposal.invariant()?;
    emit!(ProposalExecuted {
        organizer: organizer.key(),
        proposal: proposal.key(),
        index: proposal.index,
        executor,
        action: proposal.action.clone(),
        stale_transaction_index: organizer.stale_transaction_index,
    });
    Ok(())
}
