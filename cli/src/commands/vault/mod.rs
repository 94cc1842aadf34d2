//! `bitticket vault`: the organizer's multisig vault: proposals and votes, execution,
//! spending within a limit, sweeping an event's proceeds in, and the vault as it stands.
mod action;
mod describe;
mod execute;
mod results;
mod show;
mod tokens;

use bitticket::state::{Event, Organizer, Proposal, ProposalAction, Shard, Tier, Vote};
use bitticket_client as client;
use clap::Subcommand;
use client::names::proposal_status;
use client::rpc::Memcmp;
use solana_address::Address;

pub use action::Action;
pub use describe::describe;
pub use execute::execute;
pub use results::{Closed, Executed, Frozen, Proposed, Spent, Step, Swept, TokensSwept, Voted};
pub use show::Shown;

use crate::args::{address, sol as sol_arg};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::money::Money;
use crate::output::{time, Landed, Output};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Set up a new organizer's multisig in one transaction: the organizer, its vault, its
    /// members, threshold and time-lock (the same as `bitticket organizer create`; an
    /// existing organizer changes these by proposals).
    Setup(crate::commands::organizer::Setup),
    /// Propose an action to the organizer's multisig (it becomes the next proposal).
    Propose {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        #[command(subcommand)]
        action: Action,
    },
    /// Approve a proposal.
    Approve {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        index: u64,
    },
    /// Reject a proposal.
    Reject {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        index: u64,
    },
    /// Cancel an approved proposal before it is executed.
    Cancel {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        index: u64,
    },
    /// Execute an approved proposal once its time-lock has passed.
    Execute {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        index: u64,
    },
    /// Spend from the vault within a spending limit you are a member of.
    Spend {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        #[arg(long)]
        limit: u8,
        /// SOL.
        #[arg(long, value_parser = sol_arg("--amount"))]
        amount: u64,
        #[arg(long, value_parser = address("--to"))]
        to: Address,
    },
    /// Move a finished event's proceeds from its shards into the organizer's vault.
    Sweep {
        #[arg(value_parser = address("event"))]
        event: Address,
        /// One shard (default: every shard holding proceeds).
        #[arg(long)]
        shard: Option<u8>,
    },
    /// The vault's balance, governance, limits and proposals.
    Show {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
    },
    /// Freeze a spending limit at once (an admin or a finance member); only a proposal
    /// (`propose ... unfreeze-limit`) thaws it.
    FreezeLimit {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        #[arg(long)]
        limit: u8,
    },
    /// Close an executed, rejected, cancelled or stale proposal; its rent goes back to
    /// its proposer. Anyone may.
    Close {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        index: u64,
    },
}

/// Creates the organizer's next proposal; its index is the result's.
pub async fn propose(
    ctx: &Ctx,
    organizer: &Address,
    action: ProposalAction,
) -> Result<Landed<Step<Proposed>>, CliError> {
    let o: Organizer = ctx.account("organizer", organizer).await?;
    let index = o.transaction_index + 1;
    let what = describe(&action);
    let ix = client::ix_create_proposal(organizer, &ctx.me()?, index, action);
    let sent = ctx
        .send(&[ix], &[])
        .await
        .map_err(|e| e.needs_role("propose"))?;
    let step = Step {
        organizer: *organizer,
        index,
        line: format!("proposal {index} of {organizer}: {what}"),
        fields: Proposed {
            proposal: client::proposal_pda(organizer, index),
            action: what,
        },
    };
    let mut landed = Landed::new(step, sent);
    landed.note = Some(format!(
        "next: {} voter(s) run `bitticket vault approve {organizer} {index}`, then \
         `bitticket vault execute {organizer} {index}`{}",
        o.threshold,
        if o.time_lock > 0 {
            format!(" once its {} s time-lock has passed", o.time_lock)
        } else {
            String::new()
        }
    ));
    Ok(landed)
}

/// Sweeps every shard of `event` holding proceeds (or just `only`): its own sale's and
/// its tiers'.
pub async fn sweep(
    ctx: &Ctx,
    event: &Address,
    only: Option<u8>,
) -> Result<Landed<Swept>, CliError> {
    let e: Event = ctx.account("event", event).await?;
    let tier_keys: Vec<_> = (0..e.tier_count)
        .map(|t| client::tier_pda(event, t))
        .collect();
    let tiers = if tier_keys.is_empty() {
        Vec::new()
    } else {
        ctx.accounts::<Tier>(&tier_keys).await?
    };
    let keys: Vec<_> = (0..e.shards_opened)
        .chain(
            tiers
                .iter()
                .flatten()
                .flat_map(|t| (0..t.shards_opened).map(move |k| t.first_shard + k)),
        )
        .map(|i| client::shard_pda(event, i))
        .collect();
    let shards = ctx.accounts::<Shard>(&keys).await?;
    let todo: Vec<&Shard> = shards
        .iter()
        .flatten()
        .filter(|s| only.is_none_or(|i| i == s.index) && s.held() > 0)
        .collect();
    if todo.is_empty() {
        return Err(CliError::Invalid(format!(
            "no shard of event {event} holds proceeds to sweep"
        )));
    }
    let vault = client::vault_pda(&e.organizer);
    let me = ctx.me()?;
    let mut swept = Swept {
        event: *event,
        swept_lamports: 0,
        tokens: Vec::new(),
        shards: todo.len(),
        vault,
    };
    let mut ixs = Vec::with_capacity(todo.len());
    // each currency's mint read once
    let mut moneys: Vec<(Address, Money)> = Vec::new();
    for s in &todo {
        let money = match moneys.iter().find(|(c, _)| *c == s.currency) {
            Some((_, m)) => m.clone(),
            None => {
                let m = Money::of(ctx, &s.currency).await?;
                moneys.push((s.currency, m.clone()));
                m
            }
        };
        match &money.token {
            None => swept.swept_lamports += s.held(),
            Some(c) => {
                // a token shard's till goes to the vault's account in its mint, opened here
                // the first time
                if !swept.tokens.iter().any(|t| t.currency == money.unit()) {
                    ixs.push(client::ix_open_currency_account(&me, &vault, c));
                    swept.tokens.push(TokensSwept {
                        currency: money.unit(),
                        amount: 0,
                        money: money.clone(),
                    });
                }
                if let Some(t) = swept.tokens.iter_mut().find(|t| t.currency == money.unit()) {
                    t.amount += s.held();
                }
            }
        }
        ixs.push(client::ix_sweep_shard_in(
            &e.organizer,
            event,
            s.index,
            money.token,
        ));
    }
    let mut last = None;
    for chunk in ixs.chunks(8) {
        last = Some(ctx.send(chunk, &[]).await?);
    }
    let sent = last.ok_or_else(|| CliError::Invalid("nothing sent".into()))?;
    Ok(Landed::new(swept, sent))
}

async fn vote(
    ctx: &Ctx,
    organizer: Address,
    index: u64,
    v: Vote,
) -> Result<Landed<Step<Voted>>, CliError> {
    let verb = match v {
        Vote::Approve => "approved",
        Vote::Reject => "rejected",
        Vote::Cancel => "cancelled",
    };
    let ix = client::ix_vote(&organizer, index, &ctx.me()?, v);
    let sent = match ctx.send(&[ix], &[]).await {
        Ok(sent) => sent,
        Err(e) if e.is("ProposalNotActive") => {
            let p: Option<Proposal> = ctx
                .chain
                .find_account(&client::proposal_pda(&organizer, index))
                .await
                .ok()
                .flatten();
            let status = p.map(|p| match proposal_status(p.status) {
                (name, Some(at)) => format!("it was {name} at {}", time(at)),
                (name, None) => format!("it is {name}"),
            });
            return Err(match status {
                Some(status) => e.explain("ProposalNotActive", || status),
                None => e,
            });
        }
        Err(e) => {
            return Err(e
                .needs_role("vote")
                .explain("ProposalStale", || stale(&organizer, index)))
        }
    };
    let step = Step {
        organizer,
        index,
        line: format!("proposal {index} of {organizer}: {verb} by you"),
        fields: Voted { vote: verb },
    };
    Ok(Landed::new(step, sent))
}

/// Why a stale proposal cannot move, and what to do.
pub(crate) fn stale(organizer: &Address, index: u64) -> String {
    format!(
        "the organizer's members, threshold or time-lock changed after proposal {index} was made: close it (`bitticket vault close {organizer} {index}`) and propose again"
    )
}

async fn show(ctx: &Ctx, organizer: Address) -> Result<Shown, CliError> {
    let o: Organizer = ctx.account("organizer", &organizer).await?;
    let vault = client::vault_pda(&organizer);
    let balance = ctx.balance(&vault).await?;
    let mut proposals: Vec<Proposal> = ctx
        .find::<Proposal>(Memcmp::proposal_organizer(&organizer))
        .await?
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    proposals.sort_by_key(|p| p.index);
    Ok(Shown::of(organizer, &o, vault, balance, &proposals))
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Setup(setup) => Box::new(crate::commands::organizer::create(ctx, setup).await?),
        Cmd::Propose { organizer, action } => {
            let action = action.build(ctx, &organizer).await?;
            Box::new(propose(ctx, &organizer, action).await?)
        }
        Cmd::Approve { organizer, index } => {
            Box::new(vote(ctx, organizer, index, Vote::Approve).await?)
        }
        Cmd::Reject { organizer, index } => {
            Box::new(vote(ctx, organizer, index, Vote::Reject).await?)
        }
        Cmd::Cancel { organizer, index } => {
            Box::new(vote(ctx, organizer, index, Vote::Cancel).await?)
        }
        Cmd::Execute { organizer, index } => Box::new(execute(ctx, &organizer, index).await?),
        Cmd::Spend {
            organizer,
            limit,
            amount,
            to,
        } => {
            let ix = client::ix_spend(
                &organizer,
                &ctx.me()?,
                limit,
                amount,
                client::Outflow::sol(to),
            );
            let sent = ctx.send(&[ix], &[]).await?;
            let spent = Spent {
                organizer,
                limit,
                amount_lamports: amount,
                to,
            };
            Box::new(Landed::new(spent, sent))
        }
        Cmd::Sweep { event, shard } => Box::new(sweep(ctx, &event, shard).await?),
        Cmd::FreezeLimit { organizer, limit } => {
            let ix = client::ix_freeze_spending_limit(&organizer, &ctx.me()?, limit);
            let sent = ctx
                .send(&[ix], &[])
                .await
                .map_err(|e| e.needs_role("admin or finance"))?;
            let frozen = Frozen {
                organizer,
                limit,
                frozen: true,
            };
            Box::new(Landed::new(frozen, sent))
        }
        Cmd::Close { organizer, index } => {
            let p: Proposal = ctx
                .account("proposal", &client::proposal_pda(&organizer, index))
                .await?;
            let ix = client::ix_close_proposal(&organizer, index, &p.proposer);
            let sent = ctx.send(&[ix], &[]).await?;
            let step = Step {
                organizer,
                index,
                line: format!(
                    "proposal {index} of {organizer} closed; its rent went to {}",
                    p.proposer
                ),
                fields: Closed {
                    rent_to: p.proposer,
                },
            };
            Box::new(Landed::new(step, sent))
        }
        Cmd::Show { organizer } => Box::new(show(ctx, organizer).await?),
    })
}
