use anchor_lang::prelude::*;

use crate::constants::{MAX_OUTFLOW_CAPS, MAX_SPENDING_LIMITS, MAX_TIME_LOCK, SEED_PROPOSAL};
use crate::errors::BitTicketError;
use crate::execution::{finish, require_executable};
use crate::state::{
    ActionKind, Organizer, OutflowCap, Period, Proposal, ProposalAction, SpendingLimit,
    SpendingLimitConfig,
};

/// Executes an approved configuration proposal (members, roles, threshold, time-lock,
/// spending limits, outflow caps) once its time-lock has elapsed. Event actions and
/// withdrawals have instructions of their own (`execution.rs`).
#[derive(Accounts)]
#[instruction(index: u64)]
pub struct ExecuteProposal<'info> {
    #[account(mut)]
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
    pub executor: Signer<'info>,
}

pub fn handler(ctx: Context<ExecuteProposal>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    let a = ctx.accounts;
    require_executable(
        &a.organizer,
        &a.proposal,
        &a.executor.key(),
        ActionKind::Config,
        now,
    )?;
    let action = a.proposal.action.clone();
    apply_config(&mut a.organizer, &action, now)?;
    finish(&mut a.organizer, &mut a.proposal, a.executor.key(), now)
}

fn apply_config(org: &mut Organizer, action: &ProposalAction, now: i64) -> Result<()> {
    match action {
        ProposalAction::AddMember { member } => org.add_member(*member, true),
        ProposalAction::RemoveMember { key } => org.remove_everywhere(key),
        ProposalAction::SetPermissions { key, permissions } => {
            org.set_permissions(key, *permissions)
        }
        ProposalAction::UnfreezeSpendingLimit { id } => {
            let limit = org.spending_limit_mut(*id)?;
            require!(limit.frozen, BitTicketError::SpendingLimitNotFrozen);
            limit.frozen = false;
            Ok(())
        }
        ProposalAction::SetThreshold { threshold } => {
            require!(
                *threshold >= 1 && usize::from(*threshold) <= org.voter_count(),
                BitTicketError::InvalidThreshold
            );
            org.threshold = *threshold;
            Ok(())
        }
        ProposalAction::SetTimeLock { seconds } => {
            require!(*seconds <= MAX_TIME_LOCK, BitTicketError::InvalidTimeLock);
            org.time_lock = *seconds;
            Ok(())
        }
        ProposalAction::AddSpendingLimit { limit } => add_spending_limit(org, limit, now),
        ProposalAction::RemoveSpendingLimit { id } => {
            let before = org.spending_limits.len();
            org.spending_limits.retain(|l| l.config.id != *id);
            require!(
                org.spending_limits.len() < before,
                BitTicketError::SpendingLimitNotFound
            );
            Ok(())
        }
        ProposalAction::SetOutflowCap {
            mint,
            amount,
            period,
        } => set_outflow_cap(org, *mint, *amount, *period, now),
        ProposalAction::WithdrawSol { .. }
        | ProposalAction::WithdrawToken { .. }
        | ProposalAction::UpdateEvent { .. }
        | ProposalAction::CancelEvent { .. } => err!(BitTicketError::WrongExecuteInstruction),
    }
}

fn add_spending_limit(org: &mut Organizer, limit: &SpendingLimitConfig, now: i64) -> Result<()> {
    require!(
        !org.spending_limits.iter().any(|l| l.config.id == limit.id),
        BitTicketError::SpendingLimitExists
    );
    require!(
        org.spending_limits.len() < usize::from(MAX_SPENDING_LIMITS),
        BitTicketError::TooManySpendingLimits
    );
    // as in Squads v4, a limit's members need not be organizer members: the right to
    // spend is the limit itself, granted and ended only by the multisig
    require!(
        limit.amount > 0 && !limit.members.is_empty(),
        BitTicketError::InvalidSpendingLimit
    );
    let cap = org
        .cap_for(&limit.mint)
        .ok_or(BitTicketError::NoOutflowCap)?;
    require!(limit.amount <= cap.amount, BitTicketError::LimitAboveCap);
    org.spending_limits.push(SpendingLimit {
        config: limit.clone(),
        remaining: limit.amount,
        window_start: now,
        frozen: false,
    });
    Ok(())
}

fn set_outflow_cap(
    org: &mut Organizer,
    mint: Pubkey,
    amount: u64,
    period: Period,
    now: i64,
) -> Result<()> {
    let limits_on_mint = || {
        org.spending_limits
            .iter()
            .filter(move |l| l.config.mint == mint)
    };
    if amount == 0 {
        require!(limits_on_mint().next().is_none(), BitTicketError::CapInUse);
        org.outflow_caps.retain(|c| c.mint != mint);
        return Ok(());
    }
    require!(
        limits_on_mint().all(|l| l.config.amount <= amount),
        BitTicketError::LimitAboveCap
    );
    match org.outflow_caps.iter_mut().find(|c| c.mint == mint) {
        Some(existing) => existing.replace(amount, period, now),
        None => {
            let cap = OutflowCap::new(mint, amount, period, now);
            require!(
                org.outflow_caps.len() < usize::from(MAX_OUTFLOW_CAPS),
                BitTicketError::TooManyOutflowCaps
            );
            org.outflow_caps.push(cap);
        }
    }
    Ok(())
}
