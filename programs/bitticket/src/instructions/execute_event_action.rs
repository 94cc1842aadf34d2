use anchor_lang::prelude::*;

use crate::constants::SEED_PROPOSAL;
use crate::errors::BitTicketError;
use crate::events::{EventCancelled, EventConfigured};
use crate::execution::{finish, require_executable};
use crate::state::{ActionKind, Event, Organizer, Proposal, ProposalAction};

/// Executes an approved `UpdateEvent` (which also approves the event's terms) or
/// `CancelEvent` proposal on the event it names, once its time-lock has elapsed.
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct ExecuteEventAction<'info> {
    pub organizer: Box<Account<'info, Organizer>>,
    #[account(
        mut,
        seeds = [SEED_PROPOSAL, organizer.key().as_ref(), &index.to_le_bytes()],
        bump = proposal.bump,
        constraint = proposal.organizer == organizer.key() @ BitTicketError::OrganizerMismatch
    )]
    pub proposal: Box<Account<'info, Proposal>>,
    pub executor: Signer<'info>,
    /// The event the proposal names (checked against the action); not `has_one`, so that
    /// a client passes the organizer it knows instead of having it derived.
    #[account(
        mut,
        constraint = event.organizer == organizer.key() @ BitTicketError::EventMismatch
    )]
    pub event: Box<Account<'info, Event>>,
}

pub fn handler(ctx: Context<ExecuteEventAction>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    require_executable(
        &a.organizer,
        &a.proposal,
        &a.executor.key(),
        ActionKind::Event,
        now,
    )?;
    let action = a.proposal.action.clone();
    require!(
        action.event() == Some(a.event.key()),
        BitTicketError::EventMismatch
    );
    let event = &mut a.event;
    match action {
        ProposalAction::UpdateEvent { config, .. } => {
            // the voters approved the tiers on chain when it was made, not later ones
            require!(
                a.proposal.index > event.tiers_changed_at_proposal,
                BitTicketError::TermsChangedSinceProposal
            );
            event.update(config, now)?;
            event.approved = true;
            event.invariant()?;
            emit!(EventConfigured::from_event(event, event.key()));
        }
        ProposalAction::CancelEvent { .. } => {
            event.cancel(now)?;
            event.invariant()?;
            emit!(EventCancelled {
                event: event.key(),
                by: a.executor.key(),
                at: now,
            });
        }
        _ => return err!(BitTicketError::WrongExecuteInstruction),
    }
    finish(&mut a.organizer, &mut a.proposal, a.executor.key(), now)
}
