//! `bitticket gate`: check a ticket in on chain, ask the API about a scanned QR code, or
//! ask the chain whether a ticket would enter now (the client library's gate decides). A
//! ticket is named by its mint or its ticket account, either; the output says both.
use bitticket::state::Event;
use bitticket_client as client;
use clap::Subcommand;
use client::gate::{self, Claim, Seen};
use client::pass::{ix_check_in_with_pass, Pass};
use serde::Serialize;
use serde_json::{json, Value};
use solana_address::Address;

use super::ticket::id;
use crate::api::{post, sign_in};
use crate::args::address;
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, time, Answer, Landed, Output, Render};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Check a ticket in on chain with the holder's pass: you sign alone, as the gatekeeper
    /// (the holder made the pass with `bitticket ticket pass`; its wallet signed it).
    CheckIn {
        /// The holder's pass (`BTP1.…`): names the ticket, the holder and an expiry.
        #[arg(value_name = "PASS")]
        pass: String,
    },
    /// Ask the API whether a scanned QR code admits its holder (signs in to the API
    /// with your keypair unless --token is given).
    Verify {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        /// The QR code's text (`BT1.…`).
        payload: String,
        #[arg(
            long,
            env = "BITTICKET_API_URL",
            default_value = "http://127.0.0.1:8080"
        )]
        api: String,
        /// An access token (default: sign in with the keypair).
        #[arg(long, env = "BITTICKET_API_TOKEN")]
        token: Option<String>,
    },
    /// Ask the chain whether a ticket would enter now, as the door decides: valid, of a
    /// running check-in window, held (by --holder, default the holder the ticket names).
    Check {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
        #[arg(long, value_parser = address("holder"))]
        holder: Option<Address>,
        /// Also check that this wallet is a gatekeeper of the event's organizer.
        #[arg(long, value_parser = address("gatekeeper"))]
        gatekeeper: Option<Address>,
    },
}

#[derive(Debug, Serialize)]
pub struct CheckedIn {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub holder: Address,
    pub admitted: bool,
}

impl Render for CheckedIn {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} (mint {}) checked in: admit {}",
            self.ticket, self.mint, self.holder
        )]
    }
}

/// A ticket the chain would admit now.
#[derive(Debug, Serialize)]
pub struct Admitted {
    pub admit: bool,
    pub reason: &'static str,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub holder: Address,
    #[serde(serialize_with = "b58")]
    pub event: Address,
}

impl Render for Admitted {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "admit: ticket {} (mint {}) held by {}",
            self.ticket, self.mint, self.holder
        )]
    }
}

/// The door's decision on the ticket `id` (its mint or its account) by the chain now; a
/// refusal is the error `not admitted: <reason>`, as the API's answer is.
pub async fn check(
    ctx: &Ctx,
    ticket_id: Address,
    holder: Option<Address>,
    gatekeeper: Option<Address>,
) -> Result<Admitted, CliError> {
    let id::Found {
        ticket,
        mint,
        state: t,
    } = id::find(ctx, &ticket_id).await?;
    let e: Event = ctx.account("event", &t.event).await?;
    let claim = Claim {
        organizer: e.organizer,
        event: t.event,
        mint,
        holder: holder.unwrap_or(t.holder),
        gatekeeper,
    };
    let read = ctx.raw_accounts(&gate::keys(&claim)).await?;
    let seen = Seen::decode(
        read.iter()
            .map(|a| a.as_ref().map(|a| (&a.owner, a.data.as_slice()))),
    )
    .ok_or_else(|| CliError::Rpc("the node returned no clock".into()))?;
    gate::admit(&claim, &seen).map_err(|r| CliError::NotAdmitted(r.to_string()))?;
    Ok(Admitted {
        admit: true,
        reason: "ok",
        ticket,
        mint,
        holder: claim.holder,
        event: claim.event,
    })
}

/// Checks in the ticket the holder's `pass` names, the context's signer signing alone.
pub async fn check_in(ctx: &Ctx, pass: &str) -> Result<Landed<CheckedIn>, CliError> {
    let pass = Pass::decode(pass).map_err(|e| CliError::Invalid(format!("PASS: {e}")))?;
    pass.verify()
        .map_err(|e| CliError::Invalid(format!("PASS: {e}")))?;
    let id::Found {
        ticket,
        mint,
        state: t,
    } = id::find(ctx, &pass.mint).await?;
    let e: Event = ctx.account("event", &t.event).await?;
    let ixs = ix_check_in_with_pass(&ctx.me()?, &pass, &e.organizer, &t.event);
    let (opens, closes, until) = (
        e.config.check_in_start,
        e.config.check_in_end,
        pass.expires_at,
    );
    let sent = ctx.send(&ixs, &[]).await.map_err(|err| {
        err.needs_role("gatekeeper")
            .explain("CheckInClosed", || {
                format!("check-in runs from {} to {}", time(opens), time(closes))
            })
            .explain("PassExpired", || {
                format!(
                    "the pass was valid until {}: the holder makes a fresh one",
                    time(until)
                )
            })
            .explain("NotTicketHolder", || {
                format!(
                    "the pass is {}'s, who no longer holds the ticket",
                    pass.holder
                )
            })
    })?;
    Ok(Landed::new(
        CheckedIn {
            mint,
            ticket,
            holder: pass.holder,
            admitted: true,
        },
        sent,
    ))
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::CheckIn { pass } => Box::new(check_in(ctx, &pass).await?),
        Cmd::Verify {
            organizer,
            payload,
            api,
            token,
        } => {
            let http = reqwest::Client::new();
            let token = match token {
                Some(t) => t,
                None => sign_in(ctx, &http, &api).await?,
            };
            let d = post(
                &http,
                &api,
                &format!("/v1/organizers/{organizer}/gate/verify"),
                Some(&token),
                json!({"payload": payload}),
            )
            .await?;
            let admit = d["admit"].as_bool().unwrap_or(false);
            let reason = d["reason"].as_str().unwrap_or("unknown").to_string();
            if !admit {
                return Err(CliError::NotAdmitted(reason));
            }
            let d = with_mint(ctx, d).await;
            let line = format!(
                "admit: ticket {} (mint {}) held by {}",
                d["ticket"].as_str().unwrap_or("?"),
                d["mint"].as_str().unwrap_or("?"),
                d["holder"].as_str().unwrap_or("?")
            );
            Box::new(Answer {
                body: d,
                lines: vec![line],
            })
        }
        Cmd::Check {
            ticket,
            holder,
            gatekeeper,
        } => Box::new(check(ctx, ticket, holder, gatekeeper).await?),
    })
}

/// The API's answer with the ticket's mint beside its ticket account: the answer's own if
/// it has one, else the mint the ticket account names on chain (left out when the chain
/// cannot say: the answer stands on its own).
async fn with_mint(ctx: &Ctx, mut d: Value) -> Value {
    if d["mint"].is_string() {
        return d;
    }
    let Some(ticket) = d["ticket"].as_str().and_then(|t| t.parse::<Address>().ok()) else {
        return d;
    };
    if let Ok(found) = id::find(ctx, &ticket).await {
        d["mint"] = Value::String(found.mint.to_string());
    }
    d
}
