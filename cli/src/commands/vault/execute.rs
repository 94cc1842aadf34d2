//! `vault execute`: the instruction each action's kind needs, with the accounts it names
//! (the event, the destination, the token accounts), and a refusal said with what the
//! CLI read (already executed, the approvals so far, the time-lock left).
use bitticket::state::{Organizer, Proposal, ProposalAction, ProposalStatus};
use bitticket_client as client;
use solana_address::Address;

use super::describe::describe;
use super::results::{Executed, Step};
use super::tokens;
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{time, Landed};

/// The event (for an event action) and the outflow (for a withdrawal) an executed
/// proposal's action needs.
async fn accounts(
    ctx: &Ctx,
    p: &Proposal,
    vault: &Address,
) -> Result<(Option<Address>, client::Outflow), CliError> {
    Ok(match &p.action {
        ProposalAction::WithdrawSol { destination, .. } => {
            (None, client::Outflow::sol(*destination))
        }
        ProposalAction::WithdrawToken {
            mint, destination, ..
        } => {
            let m = tokens::mint(ctx, mint).await?;
            let from = tokens::vault_account(vault, mint, &m);
            let out = client::Outflow::token(from, *destination, *mint).through(m.program);
            (None, out)
        }
        action => (action.event(), client::Outflow::default()),
    })
}

/// Why a proposal that is not approved cannot execute, from its status.
fn not_approved(p: &Proposal, o: &Organizer) -> String {
    match p.status {
        ProposalStatus::Active => format!(
            "proposal {} has {} of the {} approval(s) it needs: `bitticket vault approve`",
            p.index,
            p.approved.len(),
            o.threshold
        ),
        ProposalStatus::Rejected { at } => {
            format!("proposal {} was rejected at {}", p.index, time(at))
        }
        ProposalStatus::Cancelled { at } => {
            format!("proposal {} was cancelled at {}", p.index, time(at))
        }
        _ => format!("proposal {} is not approved", p.index),
    }
}

pub async fn execute(
    ctx: &Ctx,
    organizer: &Address,
    index: u64,
) -> Result<Landed<Step<Executed>>, CliError> {
    let p: Proposal = ctx
        .account("proposal", &client::proposal_pda(organizer, index))
        .await?;
    if let ProposalStatus::Executed { at } = p.status {
        return Err(CliError::AlreadyExecuted {
            organizer: organizer.to_string(),
            index,
            at: time(at),
        });
    }
    let o: Organizer = ctx.account("organizer", organizer).await?;
    let (event, out) = accounts(ctx, &p, &client::vault_pda(organizer)).await?;
    let ix = client::ix_execute_on(organizer, index, &ctx.me()?, event, out);
    let sent = match ctx.send(&[ix], &[]).await {
        Ok(sent) => sent,
        Err(e) if e.is("TimeLockNotElapsed") => {
            let now = ctx.now().await?;
            return Err(e.explain("TimeLockNotElapsed", || time_lock_left(&p, &o, now)));
        }
        Err(e) => {
            return Err(e
                .needs_role("execute")
                .explain("ProposalNotApproved", || not_approved(&p, &o))
                .explain("ProposalStale", || {
                    format!(
                        "a configuration change executed after it was proposed; propose it again \
                         and close this one: `bitticket vault close {organizer} {index}`"
                    )
                }))
        }
    };
    let step = Step {
        organizer: *organizer,
        index,
        line: format!("proposal {index} executed: {}", describe(&p.action)),
        fields: Executed { status: "executed" },
    };
    Ok(Landed::new(step, sent))
}

/// The time-lock left on an approved proposal at `now`, and when it ends.
fn time_lock_left(p: &Proposal, o: &Organizer, now: i64) -> String {
    let ProposalStatus::Approved { at } = p.status else {
        return format!("the time-lock is {} s", o.time_lock);
    };
    let unlock = at.saturating_add(i64::from(o.time_lock));
    let left = unlock.saturating_sub(now).max(0);
    format!(
        "approved at {}, the time-lock of {} s leaves {left} s: executable from {}",
        time(at),
        o.time_lock,
        time(unlock)
    )
}
