//! The main job's demo: a whole sale on a local validator through this library, with
//! what happened read back from the API. `scripts/run.sh` starts everything and runs it.
//! One function per act, in the order they play: the organizer and its vault, the event
//! and its approval, the VIP presale (one purchase through the purchase link), the sale,
//! the resale, the door, the proceeds, the API's account, and the rent back after the
//! event.
mod api;
mod box_office;
mod door;
mod event;
mod organizer;
mod proceeds;
mod rent;
mod report;
mod resale;
mod sale;

use anyhow::{bail, Result};
use bitticket_client as client;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::error::CliError;
use crate::{Ctx, Settings};

const SOL: u64 = 1_000_000_000;
const BUYERS: usize = 50;
const PRICE: u64 = SOL / 10;
/// The event's resale market: at most 120% of face value, 10% royalty; one ticket resold
/// at the cap.
const RESALE: bitticket::state::ResaleTerms = bitticket::state::ResaleTerms {
    cap_bps: 12_000,
    royalty_bps: 1_000,
    transfers_locked: false,
};
const RESALE_PRICE: u64 = PRICE * 12 / 10;
const ROYALTY: u64 = RESALE_PRICE / 10;
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

/// The organizer's people: its creator (every role), the door's gatekeeper, and the two
/// other voters of its 2-of-3.
struct Cast {
    creator: Keypair,
    door: Keypair,
    ben: Keypair,
    cleo: Keypair,
    org: Address,
}

fn say(what: impl AsRef<str>) {
    println!("  {}", what.as_ref());
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
            sigs.push(ctx.chain.request_airdrop(&k.pubkey(), lamports).await?);
        }
        for sig in sigs {
            ctx.chain.wait_for_signature(&sig).await?;
        }
        Ok(keys)
    }

    /// Until the chain's clock reaches `t`.
    async fn wait_until(&self, t: i64) -> Result<()> {
        let ctx = Ctx::new(settings(&self.opts.rpc_url));
        Ok(ctx.chain.wait_until(t).await?)
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
    let cast = organizer::act(&d).await?;
    let (sale, buyers) = event::act(&d, &cast).await?;
    box_office::act(&d, &cast, &sale).await?;
    let tickets = sale::act(&d, &sale, &buyers).await?;
    let gate_list = resale::act(&d, &sale, &buyers, &tickets).await?;
    door::act(&d, &cast, &sale, &gate_list).await?;
    let withdrawal = proceeds::act(&d, &cast, &sale).await?;
    report::act(&d, &cast, &sale, withdrawal).await?;
    rent::act(&d, &cast, &sale, &buyers, &tickets).await
}
