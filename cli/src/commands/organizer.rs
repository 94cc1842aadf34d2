use bitticket::state::Organizer;
use bitticket_client as client;
use clap::Subcommand;
use serde_json::json;

use super::{role_names, roles};
use crate::ctx::{parse_address, Ctx};
use crate::error::CliError;
use crate::output::{sol, Report};

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
        organizer: String,
        member: String,
        /// Comma-separated role names.
        #[arg(long)]
        roles: String,
    },
    /// Remove a member.
    RemoveMember { organizer: String, member: String },
    /// Members, roles, governance and the vault's balance.
    Show { organizer: String },
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Report, CliError> {
    match cmd {
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
            Ok(Report::new(json!({
                "organizer": organizer.to_string(),
                "vault": client::vault_pda(&organizer).to_string(),
                "id": id,
                "signature": sent.signature,
                "explorer": sent.explorer,
            }))
            .line(format!("organizer {organizer} created (id {id})"))
            .line(format!("vault     {}", client::vault_pda(&organizer)))
            .line(format!("signature {}", sent.signature))
            .line(sent.explorer))
        }
        Cmd::AddMember {
            organizer,
            member,
            roles: names,
        } => {
            let organizer = parse_address("organizer", &organizer)?;
            let member = parse_address("member", &member)?;
            let bits = roles(&names)?;
            let sent = ctx
                .send(
                    &[client::ix_add_member(&organizer, &ctx.me()?, &member, bits)],
                    &[],
                )
                .await?;
            Ok(Report::new(json!({
                "organizer": organizer.to_string(), "member": member.to_string(),
                "roles": role_names(bits), "signature": sent.signature, "explorer": sent.explorer,
            }))
            .line(format!(
                "{member} added to {organizer} as {}",
                role_names(bits).join(", ")
            ))
            .line(format!("signature {}", sent.signature))
            .line(sent.explorer))
        }
        Cmd::RemoveMember { organizer, member } => {
            let organizer = parse_address("organizer", &organizer)?;
            let member = parse_address("member", &member)?;
            let sent = ctx
                .send(
                    &[client::ix_remove_member(&organizer, &ctx.me()?, &member)],
                    &[],
                )
                .await?;
            Ok(Report::new(json!({
                "organizer": organizer.to_string(), "member": member.to_string(),
                "signature": sent.signature, "explorer": sent.explorer,
            }))
            .line(format!("{member} removed from {organizer}"))
            .line(format!("signature {}", sent.signature))
            .line(sent.explorer))
        }
        Cmd::Show { organizer } => {
            let address = parse_address("organizer", &organizer)?;
            let o: Organizer = ctx.account("organizer", &address).await?;
            let vault = client::vault_pda(&address);
            let balance = ctx.rpc.get_balance(&vault).await?;
            let members: Vec<_> = o
                .members
                .iter()
                .map(|m| json!({"key": m.key.to_string(), "roles": role_names(m.permissions)}))
                .collect();
            let mut r = Report::new(json!({
                "organizer": address.to_string(),
                "creator": o.creator.to_string(),
                "id": o.organizer_id,
                "threshold": o.threshold,
                "time_lock_seconds": o.time_lock,
                "events": o.next_event_id,
                "proposals": o.transaction_index,
                "members": members,
                "vault": vault.to_string(),
                "vault_lamports": balance,
            }))
            .line(format!(
                "organizer {address} (id {} of {})",
                o.organizer_id, o.creator
            ))
            .line(format!(
                "governance {}-of-{} voters, time-lock {} s, {} proposals",
                o.threshold,
                o.voter_count(),
                o.time_lock,
                o.transaction_index
            ))
            .line(format!("events    {}", o.next_event_id))
            .line(format!("vault     {vault}: {} SOL", sol(balance)))
            .line("members:");
            for m in &o.members {
                r = r.line(format!(
                    "  {} {}",
                    m.key,
                    role_names(m.permissions).join(", ")
                ));
            }
            Ok(r)
        }
    }
}

/// The first organizer id of `creator` with no account yet.
async fn first_free_id(ctx: &Ctx, creator: &solana_address::Address) -> Result<u64, CliError> {
    for start in (0u64..1024).step_by(32) {
        let keys: Vec<_> = (start..start + 32)
            .map(|id| client::organizer_pda(creator, id))
            .collect();
        let found = ctx
            .rpc
            .get_multiple_accounts_with_commitment(&keys, ctx.settings.commitment)
            .await?
            .value;
        if let Some(i) = found.iter().position(Option::is_none) {
            return Ok(start + i as u64);
        }
    }
    Err(CliError::Invalid(
        "no free organizer id below 1024: pass --id".into(),
    ))
}
