//! The main job's demo: a whole sale on a local validator through this library, with
//! what happened read back from the API. `scripts/run.sh` starts everything and runs it.
use std::sync::Arc;
use std::time::Duration;

use anyhow::{anyhow, bail, Context, Result};
use bitticket::state::{Member, ProposalAction, Vote};
use bitticket_client as client;
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use tokio::sync::Semaphore;

use crate::commands::gate::{get, post, sign_in};
use crate::commands::{ticket, vault};
use crate::error::CliError;
use crate::output::sol;
use crate::{Ctx, Settings};

const SOL: u64 = 1_000_000_000;
const BUYERS: usize = 50;
const PRICE: u64 = SOL / 10;
const TIME_LOCK: u32 = 10;

pub struct Options {
    pub rpc_url: String,
    pub api_url: String,
}

fn settings(url: &str) -> Settings {
    Settings {
        url: url.to_string(),
        keypair_path: Default::default(),
        commitment: solana_commitment_config::CommitmentConfig::confirmed(),
    }
}

struct Demo {
    opts: Options,
    http: reqwest::Client,
}

fn say(what: impl AsRef<str>) {
    println!("  {}", what.as_ref());
}

impl Demo {
    fn ctx(&self, k: &Keypair) -> Ctx {
        Ctx::with_keypair(settings(&self.opts.rpc_url), k.insecure_clone())
    }

    /// Fresh wallets funded by the local validator's faucet.
    async fn wallets(&self, n: usize, lamports: u64) -> Result<Vec<Keypair>> {
        let ctx = Ctx::new(settings(&self.opts.rpc_url));
        let keys: Vec<Keypair> = (0..n).map(|_| Keypair::new()).collect();
        let mut sigs = Vec::with_capacity(n);
        for k in &keys {
            sigs.push(ctx.rpc.request_airdrop(&k.pubkey(), lamports).await?);
        }
        for sig in sigs {
            while !ctx.rpc.confirm_transaction(&sig).await? {
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        Ok(keys)
    }

    async fn wait_until(&self, t: i64) -> Result<()> {
        let ctx = Ctx::new(settings(&self.opts.rpc_url));
        while ctx.now().await? < t {
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        Ok(())
    }

    async fn token(&self, k: &Keypair) -> Result<String> {
        Ok(sign_in(&self.ctx(k), &self.http, &self.opts.api_url).await?)
    }

    /// A GET as a well-behaved client makes it: a 503 (a dependency away for a moment,
    /// `Retry-After: 1`) is retried for up to 30 s.
    async fn api(&self, token: &str, path: &str) -> Result<Value> {
        for _ in 0..30 {
            match get(&self.http, &self.opts.api_url, path, token).await {
                Err(CliError::Api(m)) if m.starts_with("503") => {
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                other => return Ok(other?),
            }
        }
        Ok(get(&self.http, &self.opts.api_url, path, token).await?)
    }

    /// Polls `path` until `done` holds (the indexer mirrors within a few slots).
    async fn api_until(
        &self,
        token: &str,
        path: &str,
        done: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        for _ in 0..240 {
            let v = self.api(token, path).await?;
            if done(&v) {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        bail!("the API did not show the expected state of {path} within 60 s")
    }

    /// Every page of a paginated list.
    async fn all(&self, token: &str, path: &str) -> Result<Vec<Value>> {
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        loop {
            let sep = if path.contains('?') { '&' } else { '?' };
            let url = match &cursor {
                Some(c) => format!("{path}{sep}limit=100&cursor={c}"),
                None => format!("{path}{sep}limit=100"),
            };
            let page = self.api(token, &url).await?;
            items.extend(page["items"].as_array().cloned().unwrap_or_default());
            match page["next_cursor"].as_str() {
                Some(c) => cursor = Some(c.to_string()),
                None => return Ok(items),
            }
        }
    }
}

/// A refusal expected by the demo: prints the program's reason, fails if it went through.
fn refused<T>(what: &str, r: Result<T, CliError>) -> Result<()> {
    match r {
        Ok(_) => bail!("{what}: expected a refusal, but it went through"),
        Err(e) => {
            say(format!("refused: {what}: {e}"));
            Ok(())
        }
    }
}

pub async fn run(opts: Options) -> Result<()> {
    let d = Demo {
        opts,
        http: reqwest::Client::new(),
    };
    println!(
        "BitTicket demo on {} (program {})",
        d.opts.rpc_url,
        client::PROGRAM_ID
    );

    // --- the organizer, its members and its 2-of-3 vault ---------------------------------
    let mut people = d
        .wallets(4, 20 * SOL)
        .await
        .context("funding the organizer")?;
    let (creator, door, ben, cleo) = {
        let cleo = people.pop().context("wallet")?;
        let ben = people.pop().context("wallet")?;
        let door = people.pop().context("wallet")?;
        (people.pop().context("wallet")?, door, ben, cleo)
    };
    let boss = d.ctx(&creator);
    let me = creator.pubkey();
    let org = client::organizer_pda(&me, 0);
    boss.send(&[client::ix_create_organizer(&me, 0)], &[])
        .await?;
    boss.send(
        &[client::ix_add_member(
            &org,
            &me,
            &door.pubkey(),
            bitticket::state::permission::GATEKEEPER,
        )],
        &[],
    )
    .await?;
    use bitticket::state::permission::{EXECUTE, PROPOSE, VOTE};
    // at threshold 1 the creator alone passes the proposals that make the vault 2-of-3;
    // the time-lock comes last, approved by two of the three voters
    let setup = [
        ProposalAction::AddMember {
            member: Member {
                key: ben.pubkey(),
                permissions: PROPOSE | VOTE | EXECUTE,
            },
        },
        ProposalAction::AddMember {
            member: Member {
                key: cleo.pubkey(),
                permissions: VOTE,
            },
        },
        ProposalAction::SetThreshold { threshold: 2 },
        ProposalAction::SetTimeLock { seconds: TIME_LOCK },
    ];
    let ben_ctx = d.ctx(&ben);
    for (i, action) in setup.into_iter().enumerate() {
        let index = i as u64 + 1;
        let two_of_three = matches!(action, ProposalAction::SetTimeLock { .. });
        boss.send(
            &[
                client::ix_create_proposal(&org, &me, index, action),
                client::ix_vote(&org, index, &me, Vote::Approve),
            ],
            &[],
        )
        .await?;
        if two_of_three {
            ben_ctx
                .send(
                    &[client::ix_vote(&org, index, &ben.pubkey(), Vote::Approve)],
                    &[],
                )
                .await?;
        }
        boss.send(
            &[client::ix_execute(
                &org,
                index,
                &me,
                client::Outflow::default(),
            )],
            &[],
        )
        .await?;
    }
    println!("organizer {org}");
    say(format!(
        "members: creator {me} (every role), gatekeeper {}, voters {} and {}",
        door.pubkey(),
        ben.pubkey(),
        cleo.pubkey()
    ));
    say(format!(
        "vault {}: 2-of-3 (creator, ben, cleo), {TIME_LOCK} s time-lock",
        client::vault_pda(&org)
    ));

    // --- the event -------------------------------------------------------------------------
    let buyers = d
        .wallets(BUYERS + 1, SOL)
        .await
        .context("funding the buyers")?;
    // the sale opens once the multisig has approved the event's terms (a proposal and its
    // time-lock: an event manager alone cannot set what a sale charges)
    let t0 = boss.now().await? + i64::from(TIME_LOCK) + 30;
    let config = bitticket::state::EventConfig {
        price_lamports: PRICE,
        supply: BUYERS as u32,
        sale_start: t0,
        sale_end: t0 + 45,
        resale_unlock: t0 + 25,
        max_per_wallet: 2,
        check_in_start: t0,
        check_in_end: t0 + 55,
        name: "BitTicket launch night".into(),
        uri: "https://example.org/launch.json".into(),
    };
    let event = client::event_pda(&org, 0);
    boss.send(
        &[
            client::ix_create_event(&org, &event, &me, config.clone(), 4),
            client::ix_open_shard(&org, &event, &me, 0),
            client::ix_open_shard(&org, &event, &me, 1),
            client::ix_open_shard(&org, &event, &me, 2),
            client::ix_open_shard(&org, &event, &me, 3),
        ],
        &[],
    )
    .await?;
    println!(
        "event {event}: {:?}, {BUYERS} tickets at {} SOL in 4 shards",
        config.name,
        sol(PRICE)
    );
    let (index, _) = vault::propose(
        &boss,
        &org,
        ProposalAction::UpdateEvent {
            event,
            config: config.clone(),
        },
    )
    .await?;
    for (ctx, key) in [(&boss, me), (&ben_ctx, ben.pubkey())] {
        ctx.send(&[client::ix_vote(&org, index, &key, Vote::Approve)], &[])
            .await?;
    }
    // the time-lock runs on the chain's clock, which may lag the wall clock
    let p: bitticket::state::Proposal = boss
        .account("proposal", &client::proposal_pda(&org, index))
        .await?;
    if let bitticket::state::ProposalStatus::Approved { at } = p.status {
        d.wait_until(at + i64::from(TIME_LOCK)).await?;
    }
    vault::execute(&boss, &org, index).await?;
    say(format!(
        "proposal {index}: the event's terms approved by the creator and ben (2 of 3), after the time-lock"
    ));
    d.wait_until(t0).await?;
    say("sale open for 45 s, resale from 25 s, check-in until 55 s (by the chain's clock)");

    // --- fifty wallets buy, each signing its own purchase ------------------------------------
    let bar = ProgressBar::new(BUYERS as u64).with_style(
        ProgressStyle::with_template("  buying {bar:30} {pos}/{len} {msg}")
            .map_err(|e| anyhow!("{e}"))?,
    );
    let gate = Arc::new(Semaphore::new(8));
    let mut tasks = tokio::task::JoinSet::new();
    for b in buyers.iter().take(BUYERS) {
        let ctx = d.ctx(b);
        let gate = gate.clone();
        let bar = bar.clone();
        tasks.spawn(async move {
            let _permit = gate.acquire().await;
            let r = ticket::buy(&ctx, &event, Some(PRICE))
                .await
                .map(|(mint, _)| (ctx.me().ok(), mint));
            bar.inc(1);
            r
        });
    }
    let mut tickets: Vec<(Address, Address)> = Vec::new();
    while let Some(r) = tasks.join_next().await {
        let (holder, mint) = r??;
        tickets.push((holder.context("buyer")?, mint));
    }
    bar.finish_and_clear();
    say(format!(
        "{} tickets bought, one transaction each, signed by its buyer",
        tickets.len()
    ));
    let late = d.ctx(&buyers[BUYERS]);
    refused(
        "a 51st buyer (the client sees no shard with tickets left)",
        ticket::buy(&late, &event, None).await,
    )?;
    let mint = client::ticket_mint(&late.me()?);
    refused(
        "the same purchase sent to a full shard anyway",
        late.send(
            &[client::ix_purchase(&late.me()?, &event, 0, &mint.pubkey())],
            &[&mint],
        )
        .await,
    )?;

    // --- resale ------------------------------------------------------------------------------
    let holder_of = |a: &Address| buyers.iter().find(|k| k.pubkey() == *a);
    let (h0, m0) = tickets[0];
    let k0 = holder_of(&h0).context("holder")?;
    let friend = d.wallets(1, SOL).await?.pop().context("wallet")?;
    refused(
        "a transfer before the resale unlock",
        d.ctx(k0)
            .send(
                &[client::ix_transfer_ticket(
                    &h0,
                    &friend.pubkey(),
                    &event,
                    &m0,
                )],
                &[],
            )
            .await,
    )?;
    d.wait_until(t0 + 25).await?;
    let mut gate_list: Vec<(Keypair, Address)> = Vec::new();
    for (i, (h, m)) in tickets.iter().take(3).enumerate() {
        let k = holder_of(h).context("holder")?;
        let to = if i == 0 {
            friend.insecure_clone()
        } else {
            buyers[BUYERS - i].insecure_clone()
        };
        d.ctx(k)
            .send(
                &[client::ix_transfer_ticket(h, &to.pubkey(), &event, m)],
                &[],
            )
            .await?;
        say(format!(
            "ticket {m} transferred from {h} to {}",
            to.pubkey()
        ));
        gate_list.push((to, *m));
    }
    for (h, m) in tickets.iter().skip(3).take(2) {
        gate_list.push((holder_of(h).context("holder")?.insecure_clone(), *m));
    }

    // --- the door: QR codes from the API, verified by the API, checked in on chain ------------
    let door_token = d.token(&door).await?;
    for (holder, mint) in &gate_list {
        let t = client::ticket_pda(mint);
        let holder_token = d.token(holder).await?;
        // the mirror has the ticket with its current holder within a few slots
        let qr = d
            .api_until(&holder_token, &format!("/v1/tickets/{t}"), |v| {
                v["holder"].as_str() == Some(&holder.pubkey().to_string())
            })
            .await;
        qr?;
        let qr = d.api(&holder_token, &format!("/v1/tickets/{t}/qr")).await?;
        let payload = qr["payload"].as_str().context("QR payload")?.to_string();
        let decision = post(
            &d.http,
            &d.opts.api_url,
            &format!("/v1/organizers/{org}/gate/verify"),
            Some(&door_token),
            serde_json::json!({"payload": payload}),
        )
        .await?;
        if decision["admit"] != true {
            bail!("the gate refused a valid ticket: {decision}");
        }
        let b64 = decision["check_in"]["transaction"]
            .as_str()
            .context("check-in transaction")?;
        let mut tx: solana_transaction::Transaction = bincode::deserialize(
            &base64::Engine::decode(&base64::engine::general_purpose::STANDARD, b64)?,
        )?;
        let blockhash = tx.message.recent_blockhash;
        tx.try_partial_sign(&[&door, holder], blockhash)?;
        boss.rpc
            .send_and_confirm_transaction(&tx)
            .await
            .map_err(CliError::from)?;
        say(format!(
            "admitted {} with ticket {mint} (QR verified by the API, checked in on chain)",
            holder.pubkey()
        ));
        if mint == &gate_list[0].1 {
            // the same QR again: the API refuses it once the mirror has the check-in
            let again = d
                .api_until_post(
                    &door_token,
                    &format!("/v1/organizers/{org}/gate/verify"),
                    &payload,
                )
                .await?;
            say(format!(
                "refused: the same QR again: {}",
                again["reason"].as_str().unwrap_or("?")
            ));
            refused(
                "a second check-in on chain",
                d.ctx(&door)
                    .send(
                        &[client::ix_check_in(
                            &door.pubkey(),
                            &holder.pubkey(),
                            &org,
                            &event,
                            mint,
                        )],
                        &[holder],
                    )
                    .await,
            )?;
        }
    }

    // --- after the event: proceeds into the vault, out through the 2-of-3 -------------------
    d.wait_until(t0 + 56).await?;
    let swept = vault::sweep(&boss, &event, None).await?;
    say(swept.human.first().cloned().unwrap_or_default());
    let (index, _) = vault::propose(
        &ben_ctx,
        &org,
        ProposalAction::WithdrawSol {
            destination: me,
            amount: 3 * SOL,
        },
    )
    .await?;
    ben_ctx
        .send(
            &[client::ix_vote(&org, index, &ben.pubkey(), Vote::Approve)],
            &[],
        )
        .await?;
    d.ctx(&cleo)
        .send(
            &[client::ix_vote(&org, index, &cleo.pubkey(), Vote::Approve)],
            &[],
        )
        .await?;
    say(format!(
        "proposal {index}: withdraw 3 SOL to the creator, approved by ben and cleo (2 of 3)"
    ));
    refused(
        "executing before the time-lock",
        vault::execute(&ben_ctx, &org, index).await,
    )?;
    tokio::time::sleep(Duration::from_secs(u64::from(TIME_LOCK) + 1)).await;
    vault::execute(&ben_ctx, &org, index).await?;
    say(format!(
        "proposal {index} executed after its {TIME_LOCK} s time-lock"
    ));

    // --- what happened, as the API tells it -------------------------------------------------
    let token = d.token(&creator).await?;
    let shown = d
        .api_until(&token, &format!("/v1/events/{event}"), |v| {
            v["sales"]["swept_lamports"].as_i64() == Some((BUYERS as u64 * PRICE) as i64)
        })
        .await?;
    let sold = d
        .all(
            &token,
            &format!("/v1/organizers/{org}/events/{event}/tickets"),
        )
        .await?;
    if sold.len() != BUYERS {
        bail!(
            "the API lists {} tickets of the event, not {BUYERS}",
            sold.len()
        );
    }
    let checked: Vec<Value> = d
        .all(
            &token,
            &format!("/v1/organizers/{org}/check-ins?event={event}"),
        )
        .await?;
    let want = index.to_string();
    let vault_view = d
        .api_until(&token, &format!("/v1/organizers/{org}/proposals"), |v| {
            v["items"].as_array().is_some_and(|p| {
                p.iter().any(|p| {
                    p["index"].as_str() == Some(want.as_str()) && p["status"] == "executed"
                })
            })
        })
        .await?;
    let vault_now = d
        .api(&token, &format!("/v1/organizers/{org}/vault"))
        .await?;
    println!("what the API says:");
    say(format!(
        "event {:?}: {} sold, revenue {} SOL, swept {} SOL",
        shown["name"].as_str().unwrap_or("?"),
        shown["sales"]["sold"],
        sol(shown["sales"]["revenue_lamports"].as_u64().unwrap_or(0)),
        sol(shown["sales"]["swept_lamports"].as_u64().unwrap_or(0)),
    ));
    say(format!("tickets listed for the organizer: {}", sold.len()));
    say(format!("check-ins: {}", checked.len()));
    say(format!(
        "proposals: {}; vault {} SOL",
        vault_view["items"].as_array().map(Vec::len).unwrap_or(0),
        sol(vault_now["lamports"].as_u64().unwrap_or(0))
    ));
    println!("API: {}", d.opts.api_url);
    // a live admin token is a secret: into a file only its owner reads, never the log
    let url = format!(
        "{}/v1/organizers/{org}/events/{event}/tickets",
        d.opts.api_url
    );
    match std::env::var("BITTICKET_DEMO_TOKEN_FILE") {
        Ok(path) => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&path)
                .with_context(|| format!("writing the admin token to {path}"))?;
            f.write_all(token.as_bytes())?;
            println!("try: curl -s -H \"Authorization: Bearer $(cat {path})\" {url}");
        }
        Err(_) => println!("try: sign in (POST /v1/auth/nonce, /v1/auth/sign-in), then GET {url}"),
    }
    Ok(())
}

impl Demo {
    /// Posts the QR until the API refuses it (the mirror has caught up with the check-in).
    async fn api_until_post(&self, token: &str, path: &str, payload: &str) -> Result<Value> {
        for _ in 0..240 {
            let v = post(
                &self.http,
                &self.opts.api_url,
                path,
                Some(token),
                serde_json::json!({"payload": payload}),
            )
            .await?;
            if v["admit"] == false {
                return Ok(v);
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        bail!("the API still admits a checked-in ticket after 60 s")
    }
}
