//! `event tier` (a ticket tier with its sale phases, and its shards opened) and
//! `event allow-list` (a phase's Merkle root, and a wallet's proof, from a file of wallets).
use std::path::{Path, PathBuf};

use bitticket::allow_list;
use bitticket::state::{Event, Phase, Tier, TierConfig};
use bitticket_client as client;
use clap::Args;
use serde::Serialize;
use solana_address::Address;

use crate::args::{parse_address, parse_when};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::money::Money;
use crate::output::{b58, time, Landed, Render};

/// What `event tier` says of phases under its options.
pub const TIER_HELP: &str = "\
A phase (--phase, 1 to 4, in time order, inside the event's sale window, not overlapping):
  START,END,PRICE[,MAX_PER_WALLET[,ALLOW_LIST_FILE]]
Times: `now`, `+90s` / `+2h30m` (from the cluster's clock), unix seconds, or RFC 3339.
PRICE in SOL, or in the --currency mint's units (25 or 2.5). MAX_PER_WALLET defaults to the tier's. ALLOW_LIST_FILE: one wallet per line
(blank lines and lines starting with # are skipped); only those wallets may buy in that
phase, each with its proof (`event allow-list`, or `ticket buy --allow-list FILE`).
Example: --phase now,+1h,0.5,1,fans.txt --phase +1h,+1d,1";

#[derive(Args, Debug)]
pub struct TierArgs {
    #[arg(value_parser = crate::args::address("event"))]
    pub event: Address,
    /// The tier's name (1 to 32 bytes): GA, VIP, ...
    #[arg(long)]
    pub name: String,
    /// Tickets the tier sells, above the event's own supply.
    #[arg(long, value_name = "N")]
    pub supply: u32,
    /// Tickets one wallet may buy of this tier, over all its phases.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub max_per_wallet: u16,
    /// Shards of the tier (1 to 64, at most its supply), all opened here.
    #[arg(long, default_value_t = 1)]
    pub shards: u8,
    /// START,END,PRICE[,MAX_PER_WALLET[,ALLOW_LIST_FILE]]; repeat for each phase.
    #[arg(long = "phase", value_name = "PHASE", required = true)]
    pub phases: Vec<String>,
    /// The SPL mint the tier is priced in (SPL Token, or Token-2022 without fees or hooks);
    /// SOL without it. Each shard's till (its account in the mint) is opened with it.
    #[arg(long, value_name = "MINT", value_parser = crate::args::address("currency"))]
    pub currency: Option<Address>,
}

/// The wallets of an allow-list file, in file order (duplicates refused).
pub fn read_wallets(path: &Path) -> Result<Vec<Address>, CliError> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        CliError::Invalid(format!(
            "cannot read the allow-list {}: {e}",
            path.display()
        ))
    })?;
    let mut wallets = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let w = parse_address(&format!("{} line {}", path.display(), n + 1), line)?;
        if wallets.contains(&w) {
            return Err(CliError::Invalid(format!(
                "{} line {}: {w} is listed twice",
                path.display(),
                n + 1
            )));
        }
        wallets.push(w);
    }
    if wallets.is_empty() {
        return Err(CliError::Invalid(format!(
            "the allow-list {} names no wallet",
            path.display()
        )));
    }
    Ok(wallets)
}

fn leaves(event: &Address, tier: u8, phase: u8, wallets: &[Address]) -> Vec<[u8; 32]> {
    wallets
        .iter()
        .map(|w| allow_list::leaf(event, tier, phase, w))
        .collect()
}

/// The Merkle root of `wallets` for one phase of one tier.
pub fn root(
    event: &Address,
    tier: u8,
    phase: u8,
    wallets: &[Address],
) -> Result<[u8; 32], CliError> {
    allow_list::root(&leaves(event, tier, phase, wallets))
        .ok_or_else(|| CliError::Invalid("an allow-list needs at least one wallet".into()))
}

/// `wallet`'s proof in `wallets` for one phase of one tier.
pub fn proof(
    event: &Address,
    tier: u8,
    phase: u8,
    wallets: &[Address],
    wallet: &Address,
) -> Result<Vec<[u8; 32]>, CliError> {
    let i = wallets
        .iter()
        .position(|w| w == wallet)
        .ok_or_else(|| CliError::Invalid(format!("{wallet} is not on the allow-list")))?;
    allow_list::proof(&leaves(event, tier, phase, wallets), i)
        .ok_or_else(|| CliError::Invalid("no proof for that wallet".into()))
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// One `--phase`, its allow-list (if any) rooted for `tier`'s phase `index`.
fn phase(
    spec: &str,
    event: &Address,
    tier: u8,
    index: u8,
    tier_max: u16,
    now: i64,
    money: &Money,
) -> Result<Phase, CliError> {
    let parts: Vec<&str> = spec.split(',').map(str::trim).collect();
    if !(3..=5).contains(&parts.len()) {
        return Err(CliError::Invalid(format!(
            "--phase {spec:?}: expected START,END,PRICE[,MAX_PER_WALLET[,ALLOW_LIST_FILE]]"
        )));
    }
    let start = parse_when("phase start", parts[0])?.at("phase start", now)?;
    let end = parse_when("phase end", parts[1])?.at("phase end", now)?;
    let price = money.parse("phase price", parts[2])?;
    let max_per_wallet = match parts.get(3).filter(|s| !s.is_empty()) {
        Some(m) => m.parse().map_err(|_| {
            CliError::Invalid(format!(
                "--phase {spec:?}: MAX_PER_WALLET {m:?} is not a number"
            ))
        })?,
        None => tier_max,
    };
    let allow_list = match parts.get(4) {
        Some(file) => root(event, tier, index, &read_wallets(Path::new(file))?)?,
        None => [0; 32],
    };
    Ok(Phase {
        start,
        end,
        price,
        max_per_wallet,
        allow_list,
    })
}

#[derive(Debug, Serialize)]
pub struct TierCreated {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    #[serde(serialize_with = "b58")]
    pub tier: Address,
    pub index: u8,
    pub name: String,
    pub supply: u32,
    pub first_shard: u8,
    pub shards: u8,
    /// `SOL`, or the SPL mint its prices count in.
    pub currency: String,
    pub decimals: u8,
    pub phases: Vec<PhaseShown>,
}

#[derive(Debug, Serialize)]
pub struct PhaseShown {
    pub start: i64,
    pub end: i64,
    /// In the tier's currency's smallest unit (lamports for SOL).
    pub price: u64,
    #[serde(skip)]
    pub price_shown: String,
    pub max_per_wallet: u16,
    /// The allow-list's root in hex, for an allow-listed phase.
    pub allow_list: Option<String>,
}

impl PhaseShown {
    pub fn of(p: &Phase, money: &Money) -> Self {
        Self {
            start: p.start,
            end: p.end,
            price: p.price,
            price_shown: money.show(p.price),
            max_per_wallet: p.max_per_wallet,
            allow_list: p.is_allow_listed().then(|| hex(&p.allow_list)),
        }
    }

    pub fn line(&self, i: usize) -> String {
        format!(
            "  phase {i}: {} to {}, {}, at most {} per wallet{}",
            time(self.start),
            time(self.end),
            self.price_shown,
            self.max_per_wallet,
            if self.allow_list.is_some() {
                ", allow-list only"
            } else {
                ""
            }
        )
    }
}

impl Render for TierCreated {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "tier {} {:?} of event {}: {} tickets in {}, shards {}..{} opened",
            self.index,
            self.name,
            self.event,
            self.supply,
            self.currency,
            self.first_shard,
            u16::from(self.first_shard) + u16::from(self.shards)
        )];
        lines.extend(self.phases.iter().enumerate().map(|(i, p)| p.line(i)));
        lines
    }
}

pub async fn create(ctx: &Ctx, a: TierArgs) -> Result<Landed<TierCreated>, CliError> {
    let me = ctx.me()?;
    let e: Event = ctx.account("event", &a.event).await?;
    let now = ctx.now().await?;
    let index = e.tier_count;
    let money = match &a.currency {
        Some(mint) => Money::of(ctx, mint).await?,
        None => Money::sol(),
    };
    let phases = a
        .phases
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let i = u8::try_from(i).map_err(|_| CliError::Invalid("at most 4 phases".into()))?;
            phase(spec, &a.event, index, i, a.max_per_wallet, now, &money)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let config = TierConfig {
        name: a.name.clone(),
        supply: a.supply,
        max_per_wallet: a.max_per_wallet,
        phases,
    };
    let first_shard = e.shards_reserved;
    let mut ixs = vec![client::ix_create_tier_in(
        &e.organizer,
        &a.event,
        &me,
        index,
        config.clone(),
        a.shards,
        a.currency.as_ref(),
    )];
    // each shard, and for a token tier its till (the shard's account in the mint)
    let opens: Vec<_> = (0..a.shards)
        .flat_map(|k| {
            let shard = first_shard + k;
            let open = client::ix_open_tier_shard(&e.organizer, &a.event, &me, index, shard);
            let till = money.token.as_ref().map(|c| {
                client::ix_open_currency_account(&me, &client::shard_pda(&a.event, shard), c)
            });
            std::iter::once(open).chain(till)
        })
        .collect();
    let (first, rest) = opens.split_at(opens.len().min(3));
    ixs.extend_from_slice(first);
    let sent = ctx.send(&ixs, &[]).await.map_err(|err| {
        err.needs_role("event_manager")
            .explain("UnsupportedCurrency", || {
                "that mint could take a fee, call a hook or move tokens out of the tills: \
             price the tier in SOL or in a plain SPL Token / Token-2022 mint"
                    .into()
            })
            .explain("SaleStarted", || {
                "a tier is part of the sale's terms: add it before the sale starts".into()
            })
            .explain("MultisigRequired", || {
                "this organizer needs proposals and the event's terms are approved: tiers \
                 are set while its terms await approval, before the approving proposal \
                 (`vault propose ORG approve-event EVENT`) is made"
                    .into()
            })
    })?;
    for chunk in rest.chunks(6) {
        ctx.send(chunk, &[]).await?;
    }
    Ok(Landed::new(
        TierCreated {
            event: a.event,
            tier: client::tier_pda(&a.event, index),
            index,
            name: config.name,
            supply: config.supply,
            first_shard,
            shards: a.shards,
            currency: money.unit(),
            decimals: money.decimals,
            phases: config
                .phases
                .iter()
                .map(|p| PhaseShown::of(p, &money))
                .collect(),
        },
        sent,
    ))
}

#[derive(Args, Debug)]
pub struct AllowListArgs {
    #[arg(value_parser = crate::args::address("event"))]
    pub event: Address,
    /// The tier's index (0 for the event's first tier).
    #[arg(long)]
    pub tier: u8,
    /// The phase's index within the tier (0 for its first).
    #[arg(long)]
    pub phase: u8,
    /// One wallet per line.
    #[arg(long, value_name = "FILE")]
    pub wallets: PathBuf,
    /// Also print this wallet's proof.
    #[arg(long, value_parser = crate::args::address("wallet"))]
    pub wallet: Option<Address>,
}

#[derive(Debug, Serialize)]
pub struct AllowListShown {
    pub root: String,
    pub wallets: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proof: Option<Vec<String>>,
    /// Whether the root is the one the tier's phase holds on chain (None: no such tier).
    pub on_chain: Option<bool>,
}

impl Render for AllowListShown {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "root {} of {} wallet(s){}",
            self.root,
            self.wallets,
            match self.on_chain {
                Some(true) => ", as the chain holds it",
                Some(false) => ", NOT the root the chain holds for that phase",
                None => "",
            }
        )];
        if let Some(p) = &self.proof {
            lines.push(format!("proof: {}", p.join(",")));
        }
        lines
    }
}

pub async fn allow_list(ctx: &Ctx, a: AllowListArgs) -> Result<AllowListShown, CliError> {
    let wallets = read_wallets(&a.wallets)?;
    let r = root(&a.event, a.tier, a.phase, &wallets)?;
    let proof = a
        .wallet
        .map(|w| proof(&a.event, a.tier, a.phase, &wallets, &w))
        .transpose()?
        .map(|p| p.iter().map(|n| hex(n)).collect());
    let tier: Option<Tier> = ctx
        .accounts::<Tier>(&[client::tier_pda(&a.event, a.tier)])
        .await?
        .into_iter()
        .flatten()
        .next();
    let on_chain = tier.map(|t| {
        t.config
            .phases
            .get(usize::from(a.phase))
            .is_some_and(|p| p.allow_list == r)
    });
    Ok(AllowListShown {
        root: hex(&r),
        wallets: wallets.len(),
        proof,
        on_chain,
    })
}
