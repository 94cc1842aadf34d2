use anchor_lang::prelude::*;

use crate::constants::{
    MAX_OUTFLOW_CAPS, MAX_SPENDING_LIMITS, MAX_TIME_LOCK, SEED_PROPOSAL, SEED_VAULT,
};
use crate::errors::BitTicketError;
use crate::events::{EventCancelled, EventConfigured, ProposalExecuted};
use crate::state::{
    permission, Event, Organizer, OutflowCap, Period, Proposal, ProposalAction, ProposalStatus,
    SpendingLimit, SpendingLimitConfig,
};
use crate::vault::*;

/// Executes an approved proposal once its time-lock has elapsed. `outflow` holds the
/// accounts a withdrawal needs (see `VaultOutflow`); `event` the event an event action
/// names; configuration changes need neither.
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
    #[account(mut, seeds = [SEED_VAULT, organizer.key().as_ref()], bump = organizer.vault_bump)]
    pub vault: SystemAccount<'info>,
    #[account(mut, has_one = organizer)]
    pub event: Option<Box<Account<'info, Event>>>,
    pub outflow: VaultOutflow<'info>,
}

impl ExecuteProposal<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        self.organizer
            .require_permission(&self.executor.key(), permission::EXECUTE)?;
        let approved_at = match self.proposal.status {
            ProposalStatus::Approved { at } => at,
            _ => return err!(BitTicketError::ProposalNotApproved),
        };
        require!(
            !self.organizer.is_stale(self.proposal.index),
            BitTicketError::ProposalStale
        );
        let unlock = approved_at
            .checked_add(i64::from(self.organizer.time_lock))
            .ok_or(BitTicketError::Overflow)?;
        require!(now >= unlock, BitTicketError::TimeLockNotElapsed);
        Ok(())
    }
}

pub fn handler(ctx: Context<ExecuteProposal>) -> Result<()> {
    let now = Clock::get()?.unix_timestamp;
    ctx.accounts.validate(now)?;
    let a = ctx.accounts;
    let action = a.proposal.action.clone();
    let signer = VaultSigner {
        organizer: a.organizer.key(),
        bump: a.organizer.vault_bump,
    };
    match &action {
        ProposalAction::WithdrawSol {
            destination,
            amount,
        } => pay(a, &signer, Asset::Sol, *destination, *amount)?,
        ProposalAction::WithdrawToken {
            mint,
            destination,
            amount,
        } => pay(a, &signer, Asset::Token(*mint), *destination, *amount)?,
        ProposalAction::UpdateEvent { event, config } => {
            let event = named_event(a.event.as_deref_mut(), event)?;
            event.update(config.clone(), now)?;
            event.approved = true;
            event.invariant()?;
            emit!(EventConfigured::from_event(event, event.key()));
        }
        ProposalAction::CancelEvent { event } => {
            let event = named_event(a.event.as_deref_mut(), event)?;
            event.cancel(now)?;
            event.invariant()?;
            emit!(EventCancelled {
                event: event.key(),
                by: a.executor.key(),
                at: now,
            });
        }
        config => apply_config(&mut a.organizer, config, now)?,
    }

    let organizer = &mut a.organizer;
    if action.is_config_change() {
        organizer.invalidate_prior_proposals();
    }
    organizer.invariant()?;
    let proposal = &mut a.proposal;
    proposal.status = ProposalStatus::Executed { at: now };
    proposal.invariant()?;
    emit!(ProposalExecuted {
        organizer: organizer.key(),
        proposal: proposal.key(),
        index: proposal.index,
        executor: a.executor.key(),
        action,
        stale_transaction_index: organizer.stale_transaction_index,
    });
    Ok(())
}

/// Pays a withdrawal to exactly the destination the proposal names.
fn pay(
    a: &ExecuteProposal,
    signer: &VaultSigner,
    asset: Asset,
    destination: Pubkey,
    amount: u64,
) -> Result<()> {
    require!(
        a.outflow.destination_key(asset)? == destination,
        BitTicketError::DestinationMismatch
    );
    a.outflow
        .pay(signer, &a.vault.to_account_info(), asset, amount)
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
        | ProposalAction::CancelEvent { .. } => Ok(()),
    }
}

/// The passed event account, which must be the event the proposal names.
fn named_event<'a, 'info>(
    event: Option<&'a mut Account<'info, Event>>,
    named: &Pubkey,
) -> Result<&'a mut Account<'info, Event>> {
    let event = event.ok_or(BitTicketError::MissingAccount)?;
    require!(event.key() == *named, BitTicketError::EventMismatch);
    Ok(event)
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
