use bitticket::state::{
    Event, Member, Organizer, Period, Proposal, ProposalAction, ProposalStatus,
    SpendingLimitConfig, Vote,
};
use bitticket_client as client;
use clap::Subcommand;
use client::names::Named;
use serde_json::json;
use solana_address::Address;

use super::{lamports, role_names, roles, sent_report};
use crate::ctx::{parse_address, Ctx};
use crate::error::CliError;
use crate::output::{sol, time, Report};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Propose an action to the organizer's multisig (it becomes the next proposal).
    Propose {
        organizer: String,
        #[command(subcommand)]
        action: Action,
    },
    /// Approve a proposal.
    Approve { organizer: String, index: u64 },
    /// Reject a proposal.
    Reject { organizer: String, index: u64 },
    /// Cancel an approved proposal before it is executed.
    Cancel { organizer: String, index: u64 },
    /// Execute an approved proposal once its time-lock has passed.
    Execute { organizer: String, index: u64 },
    /// Spend from the vault within a spending limit you are a member of.
    Spend {
        organizer: String,
        #[arg(long)]
        limit: u8,
        /// SOL.
        #[arg(long)]
        amount: String,
        #[arg(long)]
        to: String,
    },
    /// Move a finished event's proceeds from its shards into the organizer's vault.
    Sweep {
        event: String,
        /// One shard (default: every shard holding proceeds).
        #[arg(long)]
        shard: Option<u8>,
    },
    /// The vault's balance, governance, limits and proposals.
    Show { organizer: String },
    /// Freeze a spending limit at once (an admin or a finance member); only a proposal
    /// (`propose ... unfreeze-limit`) thaws it.
    FreezeLimit {
        organizer: String,
        #[arg(long)]
        limit: u8,
    },
    /// Close an executed, rejected, cancelled or stale proposal; its rent goes back to
    /// its proposer. Anyone may.
    Close { organizer: String, index: u64 },
}

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Withdraw SOL from the vault.
    Withdraw {
        /// SOL.
        #[arg(long)]
        amount: String,
        #[arg(long)]
        to: String,
    },
    /// Add a member (any roles, multisig roles included).
    AddMember {
        member: String,
        #[arg(long)]
        roles: String,
    },
    /// End every right of a key: its membership and its place on every spending limit.
    RemoveMember {
        member: String,
    },
    /// Replace a member's roles in place (e.g. a second admin before the first is demoted).
    SetRoles {
        member: String,
        #[arg(long)]
        roles: String,
    },
    /// Thaw a frozen spending limit.
    UnfreezeLimit {
        id: u8,
    },
    /// Approve an event's terms as they stand (an `UpdateEvent` with its current
    /// configuration): where the organizer needs proposals, an event sells nothing before.
    ApproveEvent {
        event: String,
    },
    /// Approvals needed.
    Threshold {
        threshold: u16,
    },
    /// Seconds between approval and execution.
    TimeLock {
        seconds: u32,
    },
    /// Cap on what leaves the vault in SOL per period (0 removes it).
    OutflowCap {
        #[arg(long)]
        amount: String,
        #[arg(long, value_parser = parse_period)]
        period: Period,
    },
    /// A SOL spending limit: its members may spend up to the amount per period.
    SpendingLimit {
        #[arg(long)]
        id: u8,
        #[arg(long)]
        amount: String,
        #[arg(long, value_parser = parse_period)]
        period: Period,
        /// Comma-separated wallets.
        #[arg(long)]
        members: String,
        /// Comma-separated allowed destinations (default: any).
        #[arg(long, default_value = "")]
        destinations: String,
    },
    RemoveSpendingLimit {
        id: u8,
    },
}

fn parse_period(s: &str) -> Result<Period, String> {
    Period::parse(s).map_err(|e| e.to_string())
}

fn addresses(what: &str, s: &str) -> Result<Vec<Address>, CliError> {
    s.split(',')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| parse_address(what, a))
        .collect()
}

impl Action {
    fn build(self) -> Result<ProposalAction, CliError> {
        Ok(match self {
            // read on chain by `run`; never built here
            Action::ApproveEvent { event } => {
                return Err(CliError::Invalid(format!(
                    "approve-event {event} reads the event on chain"
                )))
            }
            Action::Withdraw { amount, to } => ProposalAction::WithdrawSol {
                destination: parse_address("--to", &to)?,
                amount: lamports("--amount", &amount)?,
            },
            Action::AddMember { member, roles: r } => ProposalAction::AddMember {
                member: Member {
                    key: parse_address("member", &member)?,
                    permissions: roles(&r)?,
                },
            },
            Action::RemoveMember { member } => ProposalAction::RemoveMember {
                key: parse_address("member", &member)?,
            },
            Action::SetRoles { member, roles: r } => ProposalAction::SetPermissions {
                key: parse_address("member", &member)?,
                permissions: roles(&r)?,
            },
            Action::UnfreezeLimit { id } => ProposalAction::UnfreezeSpendingLimit { id },
            Action::Threshold { threshold } => ProposalAction::SetThreshold { threshold },
            Action::TimeLock { seconds } => ProposalAction::SetTimeLock { seconds },
            Action::OutflowCap { amount, period } => ProposalAction::SetOutflowCap {
                mint: Address::default(),
                amount: lamports("--amount", &amount)?,
                period,
            },
            Action::SpendingLimit {
                id,
                amount,
                period,
                members,
                destinations,
            } => ProposalAction::AddSpendingLimit {
                limit: SpendingLimitConfig {
                    id,
                    mint: Address::default(),
                    amount: lamports("--amount", &amount)?,
                    period,
                    members: addresses("--members", &members)?,
                    destinations: addresses("--destinations", &destinations)?,
                },
            },
            Action::RemoveSpendingLimit { id } => ProposalAction::RemoveSpendingLimit { id },
        })
    }
}

pub fn describe(a: &ProposalAction) -> String {
    match a {
        ProposalAction::WithdrawSol {
            destination,
            amount,
        } => format!("withdraw {} SOL to {destination}", sol(*amount)),
        ProposalAction::WithdrawToken {
            mint,
            destination,
            amount,
        } => format!("withdraw {amount} of {mint} to {destination}"),
        ProposalAction::AddMember { member } => format!(
            "add {} as {}",
            member.key,
            role_names(member.permissions).join(", ")
        ),
        ProposalAction::RemoveMember { key } => format!("remove {key}"),
        ProposalAction::SetPermissions { key, permissions } => {
            format!(
                "set the roles of {key} to {}",
                role_names(*permissions).join(",")
            )
        }
        ProposalAction::UnfreezeSpendingLimit { id } => format!("unfreeze spending limit {id}"),
        ProposalAction::SetThreshold { threshold } => format!("threshold {threshold}"),
        ProposalAction::SetTimeLock { seconds } => format!("time-lock {seconds} s"),
        ProposalAction::AddSpendingLimit { limit } => format!(
            "spending limit {}: {} per {:?} for {} member(s)",
            limit.id,
            sol(limit.amount),
            limit.period,
            limit.members.len()
        ),
        ProposalAction::RemoveSpendingLimit { id } => format!("remove spending limit {id}"),
        ProposalAction::SetOutflowCap { amount, period, .. } => {
            format!("outflow cap {} SOL per {period:?}", sol(*amount))
        }
        other => format!("{other:?}"),
    }
}

fn status(s: &ProposalStatus) -> (&'static str, Option<i64>) {
    client::names::proposal_status(*s)
}

/// Creates the organizer's next proposal; its index.
pub async fn propose(
    ctx: &Ctx,
    organizer: &Address,
    action: ProposalAction,
) -> Result<(u64, Report), CliError> {
    let o: Organizer = ctx.account("organizer", organizer).await?;
    let index = o.transaction_index + 1;
    let what = describe(&action);
    let ix = client::ix_create_proposal(organizer, &ctx.me()?, index, action);
    let sent = ctx.send(&[ix], &[]).await?;
    Ok((
        index,
        sent_report(
            format!("proposal {index} of {organizer}: {what}"),
            json!({"organizer": organizer.to_string(), "index": index,
                   "proposal": client::proposal_pda(organizer, index).to_string(), "action": what}),
            &sent,
        ),
    ))
}

/// The accounts an executed proposal's action needs.
fn outflow(p: &Proposal, vault: &Address) -> (Option<Address>, client::Outflow) {
    match &p.action {
        ProposalAction::WithdrawSol { destination, .. } => {
            (None, client::Outflow::sol(*destination))
        }
        ProposalAction::WithdrawToken {
            mint, destination, ..
        } => (
            None,
            client::Outflow::token(client::ata(vault, mint), *destination, *mint),
        ),
        action => (action.event(), client::Outflow::default()),
    }
}

pub async fn execute(ctx: &Ctx, organizer: &Address, index: u64) -> Result<Report, CliError> {
    let p: Proposal = ctx
        .account("proposal", &client::proposal_pda(organizer, index))
        .await?;
    let (event, out) = outflow(&p, &client::vault_pda(organizer));
    let ix = client::ix_execute_on(organizer, index, &ctx.me()?, event, out);
    let sent = ctx.send(&[ix], &[]).await?;
    Ok(sent_report(
        format!("proposal {index} executed: {}", describe(&p.action)),
        json!({"organizer": organizer.to_string(), "index": index, "status": "executed"}),
        &sent,
    ))
}

/// Sweeps every shard of `event` holding proceeds (or just `only`).
pub async fn sweep(ctx: &Ctx, event: &Address, only: Option<u8>) -> Result<Report, CliError> {
    let e: Event = ctx.account("event", event).await?;
    let keys: Vec<_> = (0..e.shards_opened)
        .map(|i| client::shard_pda(event, i))
        .collect();
    let shards = ctx.accounts::<bitticket::state::Shard>(&keys).await?;
    let todo: Vec<(u8, u64)> = shards
        .iter()
        .flatten()
        .filter(|s| only.is_none_or(|i| i == s.index) && s.held() > 0)
        .map(|s| (s.index, s.held()))
        .collect();
    if todo.is_empty() {
        return Err(CliError::Invalid(format!(
            "no shard of event {event} holds proceeds to sweep"
        )));
    }
    let total: u64 = todo.iter().map(|(_, h)| h).sum();
    let ixs: Vec<_> = todo
        .iter()
        .map(|(i, _)| client::ix_sweep_shard(&e.organizer, event, *i))
        .collect();
    let mut last = None;
    for chunk in ixs.chunks(8) {
        last = Some(ctx.send(chunk, &[]).await?);
    }
    let sent = last.ok_or_else(|| CliError::Invalid("nothing sent".into()))?;
    Ok(sent_report(
        format!(
            "{} SOL swept from {} shard(s) into vault {}",
            sol(total),
            todo.len(),
            client::vault_pda(&e.organizer)
        ),
        json!({"event": event.to_string(), "swept_lamports": total, "shards": todo.len()}),
        &sent,
    ))
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Report, CliError> {
    match cmd {
        Cmd::Propose { organizer, action } => {
            let organizer = parse_address("organizer", &organizer)?;
            let action = match action {
                Action::ApproveEvent { event } => {
                    let event = parse_address("event", &event)?;
                    let e: Event = ctx.account("event", &event).await?;
                    ProposalAction::UpdateEvent {
                        event,
                        config: e.config,
                    }
                }
                other => other.build()?,
            };
            Ok(propose(ctx, &organizer, action).await?.1)
        }
        Cmd::Approve { organizer, index } => vote(ctx, &organizer, index, Vote::Approve).await,
        Cmd::Reject { organizer, index } => vote(ctx, &organizer, index, Vote::Reject).await,
        Cmd::Cancel { organizer, index } => vote(ctx, &organizer, index, Vote::Cancel).await,
        Cmd::Execute { organizer, index } => {
            execute(ctx, &parse_address("organizer", &organizer)?, index).await
        }
        Cmd::Spend {
            organizer,
            limit,
            amount,
            to,
        } => {
            let organizer = parse_address("organizer", &organizer)?;
            let to = parse_address("--to", &to)?;
            let amount = lamports("--amount", &amount)?;
            let ix = client::ix_spend(
                &organizer,
                &ctx.me()?,
                limit,
                amount,
                client::Outflow::sol(to),
            );
            let sent = ctx.send(&[ix], &[]).await?;
            Ok(sent_report(
                format!("{} SOL spent to {to} under limit {limit}", sol(amount)),
                json!({"organizer": organizer.to_string(), "limit": limit, "amount_lamports": amount, "to": to.to_string()}),
                &sent,
            ))
        }
        Cmd::Sweep { event, shard } => sweep(ctx, &parse_address("event", &event)?, shard).await,
        Cmd::FreezeLimit { organizer, limit } => {
            let organizer = parse_address("organizer", &organizer)?;
            let ix = client::ix_freeze_spending_limit(&organizer, &ctx.me()?, limit);
            let sent = ctx.send(&[ix], &[]).await?;
            Ok(sent_report(
                format!("spending limit {limit} of {organizer} frozen"),
                json!({"organizer": organizer.to_string(), "limit": limit, "frozen": true}),
                &sent,
            ))
        }
        Cmd::Close { organizer, index } => {
            let organizer = parse_address("organizer", &organizer)?;
            let p: Proposal = ctx
                .account("proposal", &client::proposal_pda(&organizer, index))
                .await?;
            let ix = client::ix_close_proposal(&organizer, index, &p.proposer);
            let sent = ctx.send(&[ix], &[]).await?;
            Ok(sent_report(
                format!(
                    "proposal {index} of {organizer} closed; its rent went to {}",
                    p.proposer
                ),
                json!({"organizer": organizer.to_string(), "index": index, "rent_to": p.proposer.to_string()}),
                &sent,
            ))
        }
        Cmd::Show { organizer } => {
            let address = parse_address("organizer", &organizer)?;
            let o: Organizer = ctx.account("organizer", &address).await?;
            let vault = client::vault_pda(&address);
            let balance = ctx.rpc.get_balance(&vault).await?;
            let mut proposals = ctx
                .find::<Proposal>(client::offsets::PROPOSAL_ORGANIZER, address.as_ref())
                .await?;
            proposals.sort_by_key(|(_, p)| p.index);
            let mut r = Report::new(json!({
                "organizer": address.to_string(), "vault": vault.to_string(),
                "vault_lamports": balance, "threshold": o.threshold,
                "time_lock_seconds": o.time_lock,
                "spending_limits": o.spending_limits.iter().map(|l| json!({
                    "id": l.config.id, "amount_lamports": l.config.amount,
                    "remaining_lamports": l.remaining, "period": format!("{:?}", l.config.period),
                    "frozen": l.frozen,
                    "members": l.config.members.iter().map(|m| m.to_string()).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "proposals": proposals.iter().map(|(_, p)| {
                    let (s, at) = status(&p.status);
                    json!({"index": p.index, "action": describe(&p.action), "status": s, "at": at,
                           "approved": p.approved.len(), "rejected": p.rejected.len(),
                           "proposer": p.proposer.to_string()})
                }).collect::<Vec<_>>(),
            }))
            .line(format!("vault {vault}: {} SOL", sol(balance)))
            .line(format!(
                "{}-of-{} voters, time-lock {} s",
                o.threshold,
                o.voter_count(),
                o.time_lock
            ));
            for l in &o.spending_limits {
                r = r.line(format!(
                    "limit {}: {} of {} SOL left per {:?}",
                    l.config.id,
                    sol(l.remaining),
                    sol(l.config.amount),
                    l.config.period
                ));
            }
            for (_, p) in &proposals {
                let (s, at) = status(&p.status);
                r = r.line(format!(
                    "proposal {}: {} [{s}{}] {} approval(s), {} rejection(s)",
                    p.index,
                    describe(&p.action),
                    at.map(|t| format!(" {}", time(t))).unwrap_or_default(),
                    p.approved.len(),
                    p.rejected.len()
                ));
            }
            Ok(r)
        }
    }
}

async fn vote(ctx: &Ctx, organizer: &str, index: u64, v: Vote) -> Result<Report, CliError> {
    let organizer = parse_address("organizer", organizer)?;
    let verb = match v {
        Vote::Approve => "approved",
        Vote::Reject => "rejected",
        Vote::Cancel => "cancelled",
    };
    let sent = ctx
        .send(&[client::ix_vote(&organizer, index, &ctx.me()?, v)], &[])
        .await?;
    Ok(sent_report(
        format!("proposal {index} of {organizer}: {verb} by you"),
        json!({"organizer": organizer.to_string(), "index": index, "vote": verb}),
        &sent,
    ))
}
