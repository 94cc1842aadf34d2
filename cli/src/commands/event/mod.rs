//! `bitticket event`: create, change, pause, resume, cancel and show events; add ticket
//! tiers with their sale phases, and build a phase's allow-list.
mod config;
pub mod tier;

use bitticket::state::{Event, Organizer, Shard};
use bitticket_client as client;
use clap::Subcommand;
use serde::Serialize;
use solana_address::Address;

pub use config::{ConfigArgs, ConfigView, CHECK_IN_AFTER_SALE};

use crate::args::address;
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, sol, time, Landed, Output, Render};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create an event and open its shards (--name, --price, --supply and --sale-end are
    /// required; times and defaults below).
    #[command(
        after_help = config::CREATE_HELP,
        mut_arg("name", |a| a.required(true)),
        mut_arg("price", |a| a.required(true)),
        mut_arg("supply", |a| a.required(true)),
        mut_arg("sale_end", |a| a.required(true))
    )]
    Create {
        #[arg(value_parser = address("organizer"))]
        organizer: Address,
        /// Shards spread concurrent purchases over several accounts (1 to 64).
        #[arg(long, default_value_t = 1)]
        shards: u8,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Change an event before its sale starts (only the options given). Once the
    /// organizer needs proposals, changing its terms is a proposal:
    /// `vault propose ORG update-event EVENT [options]`.
    #[command(
        after_help = "Times (TIME): `now`, `+90s` / `+2h30m` (from the cluster's clock), unix seconds, or RFC 3339."
    )]
    Update {
        #[arg(value_parser = address("event"))]
        event: Address,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Set the event's resale market before its sale starts (under a multisig, while its
    /// terms await approval): tickets listed at most at --cap of their face value, --royalty
    /// of each resale to the event's proceeds; --lock-transfers leaves the market as the
    /// only way a ticket moves.
    Resale {
        #[arg(value_parser = address("event"))]
        event: Address,
        /// Percent of a ticket's face value (`120`, `100`, up to `500`); `0` closes the
        /// market.
        #[arg(long, value_parser = percent_bps)]
        cap: u32,
        /// Percent of each resale's price (`10`, `2.5`, up to `50`).
        #[arg(long, value_parser = percent_bps, default_value = "0")]
        royalty: u32,
        /// No free transfers: tickets change hands only through the market.
        #[arg(long)]
        lock_transfers: bool,
    },
    /// Stop sales for now.
    Pause {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Sell again.
    Resume {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// After the event (or once cancelled): close every buyer record of it, each one's rent
    /// going back to its buyer; then, once nothing can be owed from them (after the event,
    /// or the refund period of a cancelled one), sweep what its shards still hold into the
    /// vault and close them, each one's rent (and its till's) going back to the manager who
    /// opened it. Anyone may. Holders burn their own tickets (`ticket burn`).
    Close {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Cancel: holders can claim refunds. Once the organizer needs proposals and the sale
    /// has started, this is a proposal: `vault propose ORG cancel-event EVENT`.
    Cancel {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// The event's configuration and sales.
    Show {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Add a ticket tier (VIP, GA, ...) with 1 to 4 sale phases, each with its own window,
    /// price, wallet limit and optional allow-list, and open its shards; before the sale
    /// starts.
    #[command(after_help = tier::TIER_HELP)]
    Tier(tier::TierArgs),
    /// A phase's allow-list from a file of wallets: its Merkle root (what the chain holds)
    /// and, with --wallet, that wallet's proof.
    AllowList(tier::AllowListArgs),
}

#[derive(Debug, Serialize)]
pub struct Created {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    pub shards: u8,
    pub config: ConfigView,
    pub approved: bool,
}

impl Render for Created {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "event {} created with {} shard(s): {:?}",
            self.event, self.shards, self.config.0.name
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Updated {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub config: ConfigView,
}

impl Render for Updated {
    fn human(&self) -> Vec<String> {
        vec![format!("event {} updated", self.event)]
    }
}

/// An event paused, resumed or cancelled: its state now.
/// An event's buyer records and shards closed after it, and the rent they gave back.
#[derive(Debug, Serialize)]
pub struct Closed {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub records: usize,
    /// Lamports back to their buyers, all together.
    pub rent: u64,
    /// Shards closed, and how many of them were swept first.
    pub shards: usize,
    pub swept: usize,
    /// Lamports back to the shards' openers (with their tills'), all together.
    pub shard_rent: u64,
    /// Why the shards were left open (the event is not over, or its refund period is not).
    pub shards_wait: Option<String>,
    /// The last transaction's signature (none when nothing was left to close).
    pub signature: Option<String>,
}

impl Render for Closed {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "event {}: {} buyer records closed, {} SOL of rent back to their buyers",
            self.event,
            self.records,
            sol(self.rent)
        )];
        lines.push(match &self.shards_wait {
            Some(why) => format!("shards left open: {why}"),
            None => format!(
                "{} shards closed ({} swept into the vault first), {} SOL of rent back to the managers who opened them",
                self.shards,
                self.swept,
                sol(self.shard_rent)
            ),
        });
        lines
    }
}

/// Closes every buyer record of `event`, ten a transaction.
pub async fn close(ctx: &Ctx, event: Address) -> Result<Closed, CliError> {
    use bitticket::state::BuyerRecord;
    use client::rpc::Memcmp;
    let records = ctx
        .find::<BuyerRecord>(Memcmp::buyer_record_event(&event))
        .await?;
    let keys: Vec<Address> = records.iter().map(|(k, _)| *k).collect();
    let rent = ctx
        .raw_accounts(&keys)
        .await?
        .iter()
        .flatten()
        .map(|a| a.lamports)
        .sum();
    let ixs: Vec<_> = records
        .iter()
        .map(|(_, r)| client::ix_close_buyer_record(&event, &r.buyer))
        .collect();
    let mut signature = None;
    for chunk in ixs.chunks(10) {
        let sent = ctx.send(chunk, &[]).await.map_err(|err| {
            err.explain("EventNotOver", || {
                "records close once its check-in has ended (or it was cancelled)".into()
            })
        })?;
        signature = Some(sent.signature);
    }
    let mut closed = Closed {
        event,
        records: records.len(),
        rent,
        shards: 0,
        swept: 0,
        shard_rent: 0,
        shards_wait: None,
        signature,
    };
    close_shards(ctx, &mut closed).await?;
    Ok(closed)
}

/// Sweeps and closes every shard of `closed.event` still open, once nothing can be owed
/// from them; otherwise says until when they wait.
async fn close_shards(ctx: &Ctx, closed: &mut Closed) -> Result<(), CliError> {
    let event: Event = ctx.account("event", &closed.event).await?;
    let until = event.sweepable_at();
    if ctx.now().await? < until {
        closed.shards_wait = Some(format!(
            "nothing may be owed from them until {} ({}), then run this again",
            time(until),
            if event.cancelled {
                "the end of the refund period"
            } else {
                "the end of the event's sale and check-in"
            }
        ));
        return Ok(());
    }
    let keys: Vec<Address> = (0..event.shards_reserved)
        .map(|i| client::shard_pda(&closed.event, i))
        .collect();
    let shards: Vec<(Address, Shard)> = keys
        .iter()
        .zip(ctx.accounts::<Shard>(&keys).await?)
        .filter_map(|(k, s)| Some((*k, s?)))
        .collect();
    // each currency's mint read once, then every shard's and till's lamports in one read
    let mut moneys: Vec<(Address, Option<client::TokenCurrency>)> = Vec::new();
    for (_, s) in &shards {
        if !moneys.iter().any(|(c, _)| *c == s.currency) {
            let token = crate::money::Money::of(ctx, &s.currency).await?.token;
            moneys.push((s.currency, token));
        }
    }
    let currency_of = |s: &Shard| {
        moneys
            .iter()
            .find(|(c, _)| *c == s.currency)
            .and_then(|(_, t)| *t)
    };
    let tills: Vec<Option<Address>> = shards
        .iter()
        .map(|(k, s)| currency_of(s).map(|c| c.account(k)))
        .collect();
    let held: Vec<Address> = shards
        .iter()
        .map(|(k, _)| *k)
        .chain(tills.iter().flatten().copied())
        .collect();
    let lamports: u64 = ctx
        .raw_accounts(&held)
        .await?
        .iter()
        .flatten()
        .map(|a| a.lamports)
        .sum();
    // what the closes give back: all those lamports once the sweeps took the SOL proceeds
    let swept_out: u64 = shards
        .iter()
        .filter(|(_, s)| s.is_sol())
        .map(|(_, s)| s.held())
        .sum();
    closed.shard_rent = lamports.saturating_sub(swept_out);
    let vault = client::vault_pda(&event.organizer);
    for (_, shard) in &shards {
        let currency = currency_of(shard);
        let mut ixs = Vec::new();
        if let Some(c) = &currency {
            // the vault's account in the currency, where the sweep and any stray token go
            ixs.push(client::ix_open_currency_account(&ctx.me()?, &vault, c));
        }
        if shard.held() > 0 {
            ixs.push(client::ix_sweep_shard_in(
                &event.organizer,
                &closed.event,
                shard.index,
                currency,
            ));
            closed.swept += 1;
        }
        ixs.push(client::ix_close_shard(
            &event.organizer,
            &closed.event,
            shard.index,
            &shard.opened_by,
            currency,
        ));
        let sent = ctx.send(&ixs, &[]).await?;
        closed.signature = Some(sent.signature);
        closed.shards += 1;
    }
    Ok(())
}

#[derive(Debug, Serialize)]
pub struct StateSet {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub state: &'static str,
    #[serde(skip)]
    pub line: String,
}

impl Render for StateSet {
    fn human(&self) -> Vec<String> {
        vec![self.line.clone()]
    }
}

/// An event and its sales as `event show` tells them.
#[derive(Debug, Serialize)]
pub struct Shown {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    #[serde(serialize_with = "b58")]
    pub organizer: Address,
    pub id: u64,
    pub state: &'static str,
    pub approved: bool,
    pub config: ConfigView,
    pub shards: u8,
    pub shards_opened: u8,
    pub sold: u64,
    pub revenue_lamports: u64,
    pub refunded_lamports: u64,
    pub swept_lamports: u64,
}

/// What an event is doing, in words.
fn state(e: &Event) -> &'static str {
    if e.cancelled {
        "cancelled"
    } else if e.paused {
        "paused"
    } else if !e.approved {
        "awaiting the multisig's approval of its terms"
    } else {
        "active"
    }
}

impl Shown {
    fn of(address: Address, e: &Event, shards: &[Shard]) -> Self {
        Self {
            event: address,
            organizer: e.organizer,
            id: e.event_id,
            state: state(e),
            approved: e.approved,
            config: ConfigView(e.config.clone()),
            shards: e.shard_count,
            shards_opened: e.shards_opened,
            sold: shards.iter().map(|s| u64::from(s.sold)).sum(),
            revenue_lamports: shards.iter().map(|s| s.revenue).sum(),
            refunded_lamports: shards.iter().map(|s| s.refunded).sum(),
            swept_lamports: shards.iter().map(|s| s.swept).sum(),
        }
    }
}

impl Render for Shown {
    fn human(&self) -> Vec<String> {
        let c = &self.config.0;
        vec![
            format!("event {}: {:?} ({})", self.event, c.name, self.state),
            format!("organizer {} (event {})", self.organizer, self.id),
            format!(
                "price {} SOL, sold {} of {}, at most {} per wallet, {} shard(s)",
                sol(c.price_lamports),
                self.sold,
                c.supply,
                c.max_per_wallet,
                self.shards_opened
            ),
            format!("sale      {} to {}", time(c.sale_start), time(c.sale_end)),
            format!("resale    from {}", time(c.resale_unlock)),
            format!(
                "check-in  {} to {}",
                time(c.check_in_start),
                time(c.check_in_end)
            ),
            format!(
                "revenue {} SOL, refunded {} SOL, swept to the vault {} SOL",
                sol(self.revenue_lamports),
                sol(self.refunded_lamports),
                sol(self.swept_lamports)
            ),
        ]
    }
}

/// The event and its opened shards.
pub async fn load(ctx: &Ctx, event: &Address) -> Result<(Event, Vec<Shard>), CliError> {
    let e: Event = ctx.account("event", event).await?;
    let keys: Vec<_> = (0..e.shards_opened)
        .map(|i| client::shard_pda(event, i))
        .collect();
    let shards = ctx
        .accounts::<Shard>(&keys)
        .await?
        .into_iter()
        .flatten()
        .collect();
    Ok((e, shards))
}

async fn create(
    ctx: &Ctx,
    organizer: Address,
    shards: u8,
    config: ConfigArgs,
) -> Result<Landed<Created>, CliError> {
    let me = ctx.me()?;
    let o: Organizer = ctx.account("organizer", &organizer).await?;
    let cfg = config.create(ctx.now().await?)?;
    let event = client::event_pda(&organizer, o.next_event_id);
    if shards == 0 {
        return Err(CliError::Invalid("--shards must be at least 1".into()));
    }
    // shards open in index order: three with the event, then six a transaction
    let opens: Vec<_> = (0..shards)
        .map(|i| client::ix_open_shard(&organizer, &event, &me, i))
        .collect();
    let (first, rest) = opens.split_at(opens.len().min(3));
    let mut ixs = vec![client::ix_create_event(
        &organizer,
        &event,
        &me,
        cfg.clone(),
        shards,
    )];
    ixs.extend_from_slice(first);
    let sent = ctx.send(&ixs, &[]).await?;
    for chunk in rest.chunks(6) {
        ctx.send(chunk, &[]).await?;
    }
    let awaiting = o.needs_proposals();
    let mut landed = Landed::new(
        Created {
            event,
            organizer,
            shards,
            config: ConfigView(cfg),
            approved: !awaiting,
        },
        sent,
    );
    if awaiting {
        landed.note = Some(format!(
            "it sells nothing until the multisig approves its terms: \
             bitticket vault propose {organizer} approve-event {event}"
        ));
    }
    Ok(landed)
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Create {
            organizer,
            shards,
            config,
        } => Box::new(
            create(ctx, organizer, shards, config)
                .await
                .map_err(|e| e.needs_role("event_manager"))?,
        ),
        Cmd::Update { event, config } => {
            let e: Event = ctx.account("event", &event).await?;
            let cfg = config.apply(e.config.clone(), ctx.now().await?)?;
            let ix = client::ix_update_event(&e.organizer, &event, &ctx.me()?, cfg.clone());
            let sent = ctx.send(&[ix], &[]).await.map_err(|err| {
                err.needs_role("event_manager")
                    .explain("MultisigRequired", || {
                        format!(
                            "propose it instead: `bitticket vault propose {} update-event {event}` \
                             with the same options, then approve and execute it",
                            e.organizer
                        )
                    })
            })?;
            let config = ConfigView(cfg);
            Box::new(Landed::new(Updated { event, config }, sent))
        }
        Cmd::Resale {
            event,
            cap,
            royalty,
            lock_transfers,
        } => {
            let e: Event = ctx.account("event", &event).await?;
            let terms = bitticket::state::ResaleTerms {
                cap_bps: cap,
                royalty_bps: u16::try_from(royalty)
                    .map_err(|_| CliError::Invalid("--royalty: at most 50%".into()))?,
                transfers_locked: lock_transfers,
            };
            let ix = client::ix_set_resale_terms(&e.organizer, &event, &ctx.me()?, terms);
            let sent = ctx.send(&[ix], &[]).await.map_err(|err| {
                err.needs_role("event_manager")
                    .explain("InvalidResaleTerms", || {
                        "--cap at most 500%, --royalty at most 50%".into()
                    })
            })?;
            Box::new(Landed::new(
                ResaleSet {
                    event,
                    cap_bps: terms.cap_bps,
                    royalty_bps: terms.royalty_bps,
                    transfers_locked: terms.transfers_locked,
                },
                sent,
            ))
        }
        Cmd::Pause { event } => Box::new(set_paused(ctx, event, true).await?),
        Cmd::Resume { event } => Box::new(set_paused(ctx, event, false).await?),
        Cmd::Cancel { event } => {
            let e: Event = ctx.account("event", &event).await?;
            let ix = client::ix_cancel_event(&e.organizer, &event, &ctx.me()?);
            let sent = ctx.send(&[ix], &[]).await.map_err(|err| {
                err.needs_role("event_manager")
                    .explain("MultisigRequired", || {
                        format!(
                            "its sale has started: propose it instead: `bitticket vault propose {} \
                             cancel-event {event}`, then approve and execute it",
                            e.organizer
                        )
                    })
            })?;
            let line = format!("event {event} cancelled: holders can claim refunds");
            let state = "cancelled";
            Box::new(Landed::new(StateSet { event, state, line }, sent))
        }
        Cmd::Close { event } => Box::new(close(ctx, event).await?),
        Cmd::Show { event } => {
            let (e, shards) = load(ctx, &event).await?;
            Box::new(Shown::of(event, &e, &shards))
        }
        Cmd::Tier(args) => Box::new(tier::create(ctx, args).await?),
        Cmd::AllowList(args) => Box::new(tier::allow_list(ctx, args).await?),
    })
}

async fn set_paused(ctx: &Ctx, event: Address, paused: bool) -> Result<Landed<StateSet>, CliError> {
    let e: Event = ctx.account("event", &event).await?;
    let ix = client::ix_set_paused(&e.organizer, &event, &ctx.me()?, paused);
    let sent = ctx
        .send(&[ix], &[])
        .await
        .map_err(|err| err.needs_role("event_manager"))?;
    let (state, verb) = if paused {
        ("paused", "paused")
    } else {
        ("active", "resumed")
    };
    let line = format!("event {event} {verb}");
    Ok(Landed::new(StateSet { event, state, line }, sent))
}

/// A percentage as typed (`120`, `2.5`, `10%`) to basis points (at most two decimals).
fn percent_bps(s: &str) -> Result<u32, CliError> {
    let bad = || CliError::Invalid(format!("{s:?} is not a percentage (`120`, `2.5`)"));
    let t = s.trim().trim_end_matches('%');
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if frac.len() > 2 || whole.is_empty() {
        return Err(bad());
    }
    let whole: u32 = whole.parse().map_err(|_| bad())?;
    let frac: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(bad)
}

/// An event's resale terms, as set.
#[derive(Debug, Serialize)]
pub struct ResaleSet {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub cap_bps: u32,
    pub royalty_bps: u16,
    pub transfers_locked: bool,
}

impl Render for ResaleSet {
    fn human(&self) -> Vec<String> {
        let pct = |bps: u32| format!("{}.{:02}%", bps / 100, bps % 100);
        vec![
            format!(
                "event {}: resale at most {} of face value, royalty {}",
                self.event,
                pct(self.cap_bps),
                pct(u32::from(self.royalty_bps))
            ),
            if self.transfers_locked {
                "tickets move only through the market".into()
            } else {
                "free transfers stay open after the resale unlock".into()
            },
        ]
    }
}

#[cfg(test)]
mod percent_tests {
    #[test]
    fn percentages_become_basis_points() {
        assert_eq!(super::percent_bps("120").unwrap(), 12_000);
        assert_eq!(super::percent_bps("2.5").unwrap(), 250);
        assert_eq!(super::percent_bps("10%").unwrap(), 1_000);
        assert_eq!(super::percent_bps("0.05").unwrap(), 5);
        for bad in ["", "x", "1.234", "-3", ".5"] {
            assert!(super::percent_bps(bad).is_err(), "{bad}");
        }
    }
}
