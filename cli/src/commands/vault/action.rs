//! What a proposal does, as `vault propose` takes it and as the output describes it.
use bitticket::state::{Member, Period, ProposalAction, SpendingLimitConfig};
use bitticket_client::names::role_names;
use clap::Subcommand;
use solana_address::Address;

use crate::args::{address, addresses, period, roles, sol, Addresses};
use crate::error::CliError;
use crate::output::sol as show_sol;

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
    UnfreezeLimit {
        id: u8,
    },
    /// Approve an event's terms as they stand (an `UpdateEvent` with its current
    /// configuration): where the organizer needs proposals, an event sells nothing before.
    ApproveEvent {
        #[arg(value_parser = address("event"))]
        event: Address,
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
    RemoveSpendingLimit {
        id: u8,
    },
}

impl Action {
    /// The program's action; `ApproveEvent` reads the event on chain (`run` does).
    pub fn build(self) -> Result<ProposalAction, CliError> {
        Ok(match self {
            Action::ApproveEvent { event } => {
                return Err(CliError::Invalid(format!(
                    "approve-event {event} reads the event on chain"
                )))
            }
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
        })
    }
}

/// A proposal's action in words.
pub fn describe(a: &ProposalAction) -> String {
    match a {
        ProposalAction::WithdrawSol {
            destination,
            amount,
        } => format!("withdraw {} SOL to {destination}", show_sol(*amount)),
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
            show_sol(limit.amount),
            limit.period,
            limit.members.len()
        ),
        ProposalAction::RemoveSpendingLimit { id } => format!("remove spending limit {id}"),
        ProposalAction::SetOutflowCap { amount, period, .. } => {
            format!("outflow cap {} SOL per {period:?}", show_sol(*amount))
        }
        other => format!("{other:?}"),
    }
}
