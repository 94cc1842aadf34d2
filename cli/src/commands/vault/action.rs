//! What a proposal does, as `vault propose` takes it: one subcommand per action of the
//! program (`ProposalAction`), checked against the chain where it names an account (the
//! event is the organizer's, the token account holds the mint).
use bitticket::state::{Event, Member, Period, ProposalAction, SpendingLimitConfig};
use clap::Subcommand;
use solana_address::Address;

use super::tokens;
use crate::args::{address, addresses, period, roles, sol, Addresses};
use crate::commands::event::ConfigArgs;
use crate::ctx::Ctx;
use crate::error::CliError;

#[derive(Subcommand, Debug)]
pub enum Action {
    /// Withdraw SOL from the vault.
    Withdraw {
        /// SOL.
        #[arg(long, value_parser = sol("--amount"))]
        amount: u64,
        #[arg(long, value_parser = address("--to"))]
        to: Address,
    },
    /// Add a member (any roles, multisig roles included).
    AddMember {
        #[arg(value_parser = address("member"))]
        member: Address,
        #[arg(long = "roles", value_parser = roles)]
        roles: u8,
    },
    /// End every right of a key: its membership and its place on every spending limit.
    RemoveMember {
        #[arg(value_parser = address("member"))]
        member: Address,
    },
    /// Replace a member's roles in place (e.g. a second admin before the first is demoted).
    SetRoles {
        #[arg(value_parser = address("member"))]
        member: Address,
        #[arg(long = "roles", value_parser = roles)]
        roles: u8,
    },
    /// Thaw a frozen spending limit.
    UnfreezeLimit { id: u8 },
    /// Approve an event's terms as they stand (an `UpdateEvent` with its current
    /// configuration): where the organizer needs proposals, an event sells nothing before.
    ApproveEvent {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Change an event's configuration: the options given, applied over its configuration
    /// on chain now (before its sale starts, or while its terms await approval); executing
    /// it also approves the event's terms.
    #[command(
        after_help = "Times (TIME): `now`, `+90s` / `+2h30m` (from the cluster's clock, when proposed), unix seconds, or RFC 3339."
    )]
    UpdateEvent {
        #[arg(value_parser = address("event"))]
        event: Address,
        #[command(flatten)]
        config: Box<ConfigArgs>,
    },
    /// Cancel an event, started or not (until its check-in ends): its holders can then
    /// claim refunds.
    CancelEvent {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Withdraw SPL tokens (SPL Token or Token-2022) from the vault's associated token
    /// account for the mint.
    WithdrawToken {
        #[arg(long, value_parser = address("--mint"))]
        mint: Address,
        /// In tokens, as the mint counts them (`1.5` of a 6-decimal mint is 1500000 base
        /// units).
        #[arg(long)]
        amount: String,
        /// The token account (of the mint) that receives them: not a wallet.
        #[arg(long, value_parser = address("--to"))]
        to: Address,
    },
    /// Approvals needed.
    Threshold { threshold: u16 },
    /// Seconds between approval and execution.
    TimeLock { seconds: u32 },
    /// Cap on what leaves the vault in SOL per period (0 removes it).
    OutflowCap {
        #[arg(long, value_parser = sol("--amount"))]
        amount: u64,
        #[arg(long, value_parser = period)]
        period: Period,
    },
    /// A SOL spending limit: its members may spend up to the amount per period.
    SpendingLimit {
        #[arg(long)]
        id: u8,
        #[arg(long, value_parser = sol("--amount"))]
        amount: u64,
        #[arg(long, value_parser = period)]
        period: Period,
        /// Comma-separated wallets.
        #[arg(long, value_parser = addresses("--members"))]
        members: Addresses,
        /// Comma-separated allowed destinations (default: any).
        #[arg(long, default_value = "", value_parser = addresses("--destinations"))]
        destinations: Addresses,
    },
    /// Remove a spending limit.
    RemoveSpendingLimit { id: u8 },
}

impl Action {
    /// The program's action; the event and token actions read the accounts they name.
    pub async fn build(self, ctx: &Ctx, organizer: &Address) -> Result<ProposalAction, CliError> {
        Ok(match self {
            Action::ApproveEvent { event } => {
                let e = event_of(ctx, organizer, &event).await?;
                ProposalAction::UpdateEvent {
                    event,
                    config: e.config,
                }
            }
            Action::UpdateEvent { event, config } => {
                let e = event_of(ctx, organizer, &event).await?;
                let config = config.apply(e.config, ctx.now().await?)?;
                ProposalAction::UpdateEvent { event, config }
            }
            Action::CancelEvent { event } => {
                let e = event_of(ctx, organizer, &event).await?;
                if e.cancelled {
                    return Err(CliError::Invalid(format!(
                        "event {event} is cancelled already"
                    )));
                }
                ProposalAction::CancelEvent { event }
            }
            Action::WithdrawToken { mint, amount, to } => {
                let amount = tokens::amount_to_propose(ctx, &mint, &amount, &to).await?;
                ProposalAction::WithdrawToken {
                    mint,
                    destination: to,
                    amount,
                }
            }
            other => other.build_config()?,
        })
    }

    /// The actions that name nothing on chain.
    fn build_config(self) -> Result<ProposalAction, CliError> {
        Ok(match self {
            Action::Withdraw { amount, to } => ProposalAction::WithdrawSol {
                destination: to,
                amount,
            },
            Action::AddMember { member, roles } => ProposalAction::AddMember {
                member: Member {
                    key: member,
                    permissions: roles,
                },
            },
            Action::RemoveMember { member } => ProposalAction::RemoveMember { key: member },
            Action::SetRoles { member, roles } => ProposalAction::SetPermissions {
                key: member,
                permissions: roles,
            },
            Action::UnfreezeLimit { id } => ProposalAction::UnfreezeSpendingLimit { id },
            Action::Threshold { threshold } => ProposalAction::SetThreshold { threshold },
            Action::TimeLock { seconds } => ProposalAction::SetTimeLock { seconds },
            Action::OutflowCap { amount, period } => ProposalAction::SetOutflowCap {
                mint: Address::default(),
                amount,
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
                    amount,
                    period,
                    members: members.0,
                    destinations: destinations.0,
                },
            },
            Action::RemoveSpendingLimit { id } => ProposalAction::RemoveSpendingLimit { id },
            Action::ApproveEvent { .. }
            | Action::UpdateEvent { .. }
            | Action::CancelEvent { .. }
            | Action::WithdrawToken { .. } => {
                return Err(CliError::Invalid(
                    "this action reads the chain: `build` it".into(),
                ))
            }
        })
    }
}

/// The event at `event`, which must be `organizer`'s.
async fn event_of(ctx: &Ctx, organizer: &Address, event: &Address) -> Result<Event, CliError> {
    let e: Event = ctx.account("event", event).await?;
    if e.organizer != *organizer {
        return Err(CliError::Invalid(format!(
            "event {event} belongs to organizer {}, not {organizer}",
            e.organizer
        )));
    }
    Ok(e)
}
