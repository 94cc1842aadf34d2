use std::path::PathBuf;

use bitticket::state::Event;
use bitticket_client as client;
use clap::Subcommand;
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::sent_report;
use crate::ctx::{parse_address, Ctx};
use crate::error::CliError;
use crate::output::Report;

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Check a ticket in on chain: you sign as the gatekeeper, the holder signs too.
    CheckIn {
        mint: String,
        /// The holder's keypair file (both must sign; the program checks the holder's token).
        #[arg(long)]
        holder_keypair: PathBuf,
    },
    /// Ask the API whether a scanned QR code admits its holder (signs in to the API
    /// with your keypair unless --token is given).
    Verify {
        organizer: String,
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
}

/// Signs in to the API with the context's keypair (Sign-In With Solana): the access token.
pub async fn sign_in(ctx: &Ctx, http: &reqwest::Client, api: &str) -> Result<String, CliError> {
    let me = ctx.signer()?;
    let nonce: Value = post(
        http,
        api,
        "/v1/auth/nonce",
        None,
        json!({"address": me.pubkey().to_string()}),
    )
    .await?;
    let message = nonce["message"]
        .as_str()
        .ok_or_else(|| CliError::Api("the nonce answer has no message".into()))?;
    let signature = me.sign_message(message.as_bytes()).to_string();
    let tokens: Value = post(
        http,
        api,
        "/v1/auth/sign-in",
        None,
        json!({"message": message, "signature": signature}),
    )
    .await?;
    tokens["access_token"]
        .as_str()
        .map(str::to_string)
        .ok_or_else(|| CliError::Api("the sign-in answer has no access token".into()))
}

/// A JSON request to the API; its error body (`{"error": {"code", "message"}}`) becomes
/// the error.
pub async fn post(
    http: &reqwest::Client,
    api: &str,
    path: &str,
    token: Option<&str>,
    body: Value,
) -> Result<Value, CliError> {
    let mut req = http
        .post(format!("{}{path}", api.trim_end_matches('/')))
        .json(&body);
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    answer(req.send().await).await
}

pub async fn get(
    http: &reqwest::Client,
    api: &str,
    path: &str,
    token: &str,
) -> Result<Value, CliError> {
    let req = http
        .get(format!("{}{path}", api.trim_end_matches('/')))
        .bearer_auth(token);
    answer(req.send().await).await
}

async fn answer(res: Result<reqwest::Response, reqwest::Error>) -> Result<Value, CliError> {
    let res = res.map_err(|e| CliError::Api(e.to_string()))?;
    let status = res.status();
    let body: Value = res
        .json()
        .await
        .map_err(|e| CliError::Api(format!("{status}: {e}")))?;
    if status.is_success() {
        Ok(body)
    } else {
        Err(CliError::Api(format!(
            "{status}: {}",
            body["error"]["message"].as_str().unwrap_or("no message")
        )))
    }
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Report, CliError> {
    match cmd {
        Cmd::CheckIn {
            mint,
            holder_keypair,
        } => {
            let mint = parse_address("mint", &mint)?;
            let holder: Keypair =
                solana_keypair::read_keypair_file(&holder_keypair).map_err(|e| {
                    CliError::Keypair {
                        path: holder_keypair.display().to_string(),
                        reason: e.to_string(),
                    }
                })?;
            let t: bitticket::state::Ticket =
                ctx.account("ticket", &client::ticket_pda(&mint)).await?;
            let e: Event = ctx.account("event", &t.event).await?;
            let ix =
                client::ix_check_in(&ctx.me()?, &holder.pubkey(), &e.organizer, &t.event, &mint);
            let sent = ctx.send(&[ix], &[&holder]).await?;
            Ok(sent_report(
                format!("ticket {mint} checked in: admit {}", holder.pubkey()),
                json!({"mint": mint.to_string(), "holder": holder.pubkey().to_string(), "admitted": true}),
                &sent,
            ))
        }
        Cmd::Verify {
            organizer,
            payload,
            api,
            token,
        } => {
            let organizer = parse_address("organizer", &organizer)?;
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
            Ok(Report::new(d.clone()).line(format!(
                "admit: ticket {} held by {}",
                d["ticket"].as_str().unwrap_or("?"),
                d["holder"].as_str().unwrap_or("?")
            )))
        }
    }
}
