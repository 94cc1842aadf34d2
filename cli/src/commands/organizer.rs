//! `bitticket organizer`: create an organizer, add and remove members, show it.
use bitticket::state::Member;
use bitticket::state::Organizer;
use bitticket_client as client;
use clap::{Args, Subcommand};
use client::names::role_names;
use client::OrganizerSetup;
use serde::Serialize;
use solana_address::Address;

use crate::args::{address, duration, member, roles};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, sol, Landed, Output, Render};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create an organizer (a tenant) with its vault, you as its admin with every role, and
    /// its multisig set up in the same transaction (`--member`, `--threshold`,
    /// `--time-lock`); the same as `bitticket vault setup`.
    Create(Setup),
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

/// A new organizer: its name and its multisig, in one transaction.
#[derive(Args, Debug, Clone)]
pub struct Setup {
    /// Its name, as people see it (1 to 64 bytes).
    #[arg(long)]
    pub name: String,
    /// A member beside you: KEY (the multisig roles: propose, vote, execute) or
    /// KEY:ROLES (`KEY:vote,gatekeeper`); repeat for each. You hold every role unless
    /// you list yourself with fewer.
    #[arg(long = "member", value_name = "KEY[:ROLES]", value_parser = member)]
    pub members: Vec<Member>,
    /// Approvals a proposal needs, among the members who vote.
    #[arg(long, default_value_t = 1)]
    pub threshold: u16,
    /// How long an approved proposal waits before it may execute (`1h`, `2d`; at most 90d).
    #[arg(long, value_parser = duration("time-lock"), default_value = "0s")]
    pub time_lock: u64,
    /// Its number among your organizers (default: the first free one).
    #[arg(long)]
    pub id: Option<u64>,
    /// Create it even though your wallet has created an organizer before.
    #[arg(long)]
    pub another: bool,
}

#[derive(Debug, Serialize)]
pub struct Created {
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    #[serde(serialize_with = "b58")]
    pub vault: Address,
    pub id: u64,
    pub name: String,
    pub threshold: u16,
    pub time_lock_seconds: u32,
    pub members: Vec<MemberView>,
}

impl Render for Created {
    fn human(&self) -> Vec<String> {
        let voters = self
            .members
            .iter()
            .filter(|m| m.roles.contains(&"vote"))
            .count();
        let mut lines = vec![
            format!(
                "organizer {} \"{}\" created (id {})",
                self.organizer, self.name, self.id
            ),
            format!("vault     {}", self.vault),
            format!(
                "governance {}-of-{} voters, time-lock {} s",
                self.threshold, voters, self.time_lock_seconds
            ),
        ];
        lines.extend(member_lines(&self.members));
        lines
    }
}

/// Creates the organizer `setup` describes, in one transaction; refuses a second organizer
/// of the same wallet unless `--another` or `--id` says so.
pub async fn create(ctx: &Ctx, setup: Setup) -> Result<Landed<Created>, CliError> {
    let me = ctx.me()?;
    let id = match setup.id {
        Some(id) => id,
        None => {
            let id = first_free_id(ctx, &me).await?;
            if id > 0 && !setup.another {
                let first = client::organizer_pda(&me, 0);
                return Err(CliError::Invalid(format!(
                    "your wallet already created {id} organizer(s), the first {first} (`bitticket organizer show {first}`): pass --another to create one more"
                )));
            }
            id
        }
    };
    let time_lock = u32::try_from(setup.time_lock)
        .map_err(|_| CliError::Invalid("--time-lock: at most 90d".into()))?;
    let members_in = setup.members.clone();
    let args = OrganizerSetup {
        name: setup.name.clone(),
        members: setup.members,
        threshold: setup.threshold,
        time_lock,
    };
    let organizer = client::organizer_pda(&me, id);
    let sent = ctx
        .send(&[client::ix_create_organizer_with(&me, id, args)], &[])
        .await
        .map_err(|e| {
            e.explain("InvalidName", || {
                "--name: 1 to 64 bytes, no control characters".into()
            })
            .explain("InvalidThreshold", || {
                "--threshold: at least 1 and at most the members who vote (you and the --member keys with the vote role)".into()
            })
            .explain("InvalidTimeLock", || "--time-lock: at most 90d".into())
            .explain("MemberAlreadyExists", || "a --member key is listed twice".into())
            .explain("TooManyMembers", || "at most 10 members, you included".into())
            .explain("LastAdmin", || {
                "someone must keep the admin role: list yourself with admin, or another member".into()
            })
        })?;
    let mut members: Vec<MemberView> = vec![];
    if !members_in.iter().any(|m| m.key == me) {
        members.push(MemberView {
            key: me,
            roles: role_names(bitticket::state::permission::ALL),
        });
    }
    members.extend(members_in.iter().map(|m| MemberView {
        key: m.key,
        roles: role_names(m.permissions),
    }));
    Ok(Landed::new(
        Created {
            organizer,
            vault: client::vault_pda(&organizer),
            id,
            name: setup.name,
            threshold: setup.threshold,
            time_lock_seconds: time_lock,
            members,
        },
        sent,
    ))
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

/// `members:` and a line per member with its roles.
fn member_lines(members: &[MemberView]) -> impl Iterator<Item = String> + '_ {
    std::iter::once("members:".to_string()).chain(
        members
            .iter()
            .map(|m| format!("  {} {}", m.key, m.roles.join(", "))),
    )
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
    pub name: String,
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
            name: o.name.clone(),
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
                "organizer {} \"{}\" (id {} of {})",
                self.organizer, self.name, self.id, self.creator
            ),
            format!(
                "governance {}-of-{} voters, time-lock {} s, {} proposals",
                self.threshold, self.voters, self.time_lock_seconds, self.proposals
            ),
            format!("events    {}", self.events),
            format!("vault     {}: {} SOL", self.vault, sol(self.vault_lamports)),
        ];
        lines.extend(member_lines(&self.members));
        lines
    }
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Create(setup) => Box::new(create(ctx, setup).await?),
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
