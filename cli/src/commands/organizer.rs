//! `bitticket organizer`: create an organizer, add and remove members, show it.
use bitticket::state::Organizer;
use bitticket_client as client;
use clap::Subcommand;
use client::names::role_names;
use serde::Serialize;
use solana_address::Address;

use crate::args::{address, roles};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, sol, Landed, Output, Render};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create an organizer (a tenant) with you as its admin and its vault.
    Create {
        /// Its number among your organizers (default: the first free one).
        #[arg(long)]
        id: Option<u64>,
    },
    /// Give a wallet roles: admin, event_manager, finance, gatekeeper, propose, vote, execute
    /// (or multisig, all).
    AddMember {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        #[arg(value_parser = address("member"))]
        member: Address,
        /// Comma-separated role names.
        #[arg(long = "roles", value_parser = roles)]
        roles: u8,
    },
    /// Remove a member.
    RemoveMember {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        #[arg(value_parser = address("member"))]
        member: Address,
    },
    /// Members, roles, governance and the vault's balance.
    Show {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
    },
}

#[derive(Debug, Serialize)]
pub struct Created {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub vault: Address,
    pub id: u64,
}

impl Render for Created {
    fn human(&self) -> Vec<String> {
        vec![
            format!("organizer {} created (id {})", self.organizer, self.id),
            format!("vault     {}", self.vault),
        ]
    }
}

#[derive(Debug, Serialize)]
pub struct MemberAdded {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub member: Address,
    pub roles: Vec<&'static str>,
}

impl Render for MemberAdded {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "{} added to {} as {}",
            self.member,
            self.organizer,
            self.roles.join(", ")
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct MemberRemoved {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub member: Address,
}

impl Render for MemberRemoved {
    fn human(&self) -> Vec<String> {
        vec![format!("{} removed from {}", self.member, self.organizer)]
    }
}

#[derive(Debug, Serialize)]
pub struct MemberView {
    #[serde(serialize_with = "b58")]
    pub key: Address,
    pub roles: Vec<&'static str>,
}

/// An organizer as `organizer show` tells it.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub creator: Address,
    pub id: u64,
    pub threshold: u16,
    pub time_lock_seconds: u32,
    pub events: u64,
    pub proposals: u64,
    pub members: Vec<MemberView>,
    #[serde(serialize_with = "b58")]
    pub vault: Address,
    pub vault_lamports: u64,
    #[serde(skip)]
    pub voters: usize,
}

impl Shown {
    fn of(address: Address, o: &Organizer, vault_lamports: u64) -> Self {
        Self {
            organizer: address,
            creator: o.creator,
            id: o.organizer_id,
            threshold: o.threshold,
            time_lock_seconds: o.time_lock,
            events: o.next_event_id,
            proposals: o.transaction_index,
            members: o
                .members
                .iter()
                .map(|m| MemberView {
                    key: m.key,
                    roles: role_names(m.permissions),
                })
                .collect(),
            vault: client::vault_pda(&address),
            vault_lamports,
            voters: o.voter_count(),
        }
    }
}

impl Render for Shown {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "organizer {} (id {} of {})",
                self.organizer, self.id, self.creator
            ),
            format!(
                "governance {}-of-{} voters, time-lock {} s, {} proposals",
                self.threshold, self.voters, self.time_lock_seconds, self.proposals
            ),
            format!("events    {}", self.events),
            format!("vault     {}: {} SOL", self.vault, sol(self.vault_lamports)),
            "members:".to_string(),
        ];
        lines.extend(
            self.members
                .iter()
                .map(|m| format!("  {} {}", m.key, m.roles.join(", "))),
        );
        lines
    }
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Create { id } => {
            let me = ctx.me()?;
            let id = match id {
                Some(id) => id,
                None => first_free_id(ctx, &me).await?,
            };
            let organizer = client::organizer_pda(&me, id);
            let sent = ctx
                .send(&[client::ix_create_organizer(&me, id)], &[])
                .await?;
            let vault = client::vault_pda(&organizer);
            Box::new(Landed::new(
                Created {
                    organizer,
                    vault,
                    id,
                },
                sent,
            ))
        }
        Cmd::AddMember {
            organizer,
            member,
            roles: bits,
        } => {
            let ix = client::ix_add_member(&organizer, &ctx.me()?, &member, bits);
            let roles = role_names(bits);
            let propose = || {
                format!(
                    "propose it: `bitticket vault propose {organizer} add-member {member} --roles {}`",
                    roles.join(",")
                )
            };
            let sent = ctx.send(&[ix], &[]).await.map_err(|e| {
                e.needs_role("admin")
                    .explain("MultisigRoleNeedsProposal", propose)
                    .explain("MemberSlotReserved", propose)
            })?;
            Box::new(Landed::new(
                MemberAdded {
                    organizer,
                    member,
                    roles,
                },
                sent,
            ))
        }
        Cmd::RemoveMember { organizer, member } => {
            let ix = client::ix_remove_member(&organizer, &ctx.me()?, &member);
            let propose = || {
                format!("propose it: `bitticket vault propose {organizer} remove-member {member}`")
            };
            let sent = ctx.send(&[ix], &[]).await.map_err(|e| {
                e.needs_role("admin")
                    .explain("MultisigRoleNeedsProposal", propose)
                    .explain("LastGatekeeper", propose)
            })?;
            Box::new(Landed::new(MemberRemoved { organizer, member }, sent))
        }
        Cmd::Show { organizer } => {
            let o: Organizer = ctx.account("organizer", &organizer).await?;
            let balance = ctx.balance(&client::vault_pda(&organizer)).await?;
            Box::new(Shown::of(organizer, &o, balance))
        }
    })
}

/// The first organizer id of `creator` with no account yet.
async fn first_free_id(ctx: &Ctx, creator: &Address) -> Result<u64, CliError> {
    for start in (0u64..1024).step_by(32) {
        let keys: Vec<_> = (start..start + 32)
            .map(|id| client::organizer_pda(creator, id))
            .collect();
        let found = ctx.raw_accounts(&keys).await?;
        if let Some(i) = found.iter().position(Option::is_none) {
            return Ok(start + i as u64);
        }
    }
    Err(CliError::Invalid(
        "no free organizer id below 1024: pass --id".into(),
    ))
}
