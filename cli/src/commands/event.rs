use bitticket::state::{Event, EventConfig, Shard};
use bitticket_client as client;
use clap::{Args, Subcommand};
use serde_json::json;
use solana_address::Address;

use super::{lamports, sent_report};
use crate::ctx::{parse_address, Ctx};
use crate::error::CliError;
use crate::output::{sol, time, Report};

/// Times: `now`, `+90s` / `+2h30m` (from the cluster's clock), unix seconds, or RFC 3339.
#[derive(Args, Debug, Default)]
pub struct ConfigArgs {
    /// Ticket price in SOL.
    #[arg(long)]
    pub price: Option<String>,
    #[arg(long)]
    pub supply: Option<u32>,
    #[arg(long)]
    pub sale_start: Option<String>,
    #[arg(long)]
    pub sale_end: Option<String>,
    /// Tickets can be transferred from then on.
    #[arg(long)]
    pub resale_unlock: Option<String>,
    #[arg(long)]
    pub max_per_wallet: Option<u16>,
    #[arg(long)]
    pub check_in_start: Option<String>,
    #[arg(long)]
    pub check_in_end: Option<String>,
    #[arg(long)]
    pub name: Option<String>,
    #[arg(long)]
    pub uri: Option<String>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Create an event and open its shards. Defaults: sale from now, check-in over the
    /// sale, resale from the sale's end, 10 tickets per wallet, 1 shard.
    Create {
        organizer: String,
        /// Shards spread concurrent purchases over several accounts (1 to 64).
        #[arg(long, default_value_t = 1)]
        shards: u8,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Change an event before its sale starts (only the options given).
    Update {
        event: String,
        #[command(flatten)]
        config: ConfigArgs,
    },
    /// Stop sales for now.
    Pause { event: String },
    /// Sell again.
    Resume { event: String },
    /// Cancel: holders can claim refunds.
    Cancel { event: String },
    /// The event's configuration and sales.
    Show { event: String },
}

/// A time as the options take it, against the cluster's clock `now`.
pub fn parse_time(what: &str, s: &str, now: i64) -> Result<i64, CliError> {
    let bad = |why: String| CliError::Invalid(format!("--{what} {s:?}: {why}"));
    if s == "now" {
        return Ok(now);
    }
    if let Some(rel) = s.strip_prefix('+') {
        let d = humantime::parse_duration(rel).map_err(|e| bad(e.to_string()))?;
        let secs = i64::try_from(d.as_secs()).map_err(|e| bad(e.to_string()))?;
        return now.checked_add(secs).ok_or_else(|| bad("too far".into()));
    }
    if let Ok(t) = s.parse::<i64>() {
        return Ok(t);
    }
    let t = humantime::parse_rfc3339_weak(s)
        .map_err(|_| bad("expected now, +DURATION (+2h), unix seconds or RFC 3339".into()))?;
    let secs = t
        .duration_since(std::time::UNIX_EPOCH)
        .map_err(|e| bad(e.to_string()))?
        .as_secs();
    i64::try_from(secs).map_err(|e| bad(e.to_string()))
}

impl ConfigArgs {
    /// `base` with the options given applied.
    pub fn apply(&self, mut c: EventConfig, now: i64) -> Result<EventConfig, CliError> {
        let t = |what: &str, v: &Option<String>| -> Result<Option<i64>, CliError> {
            v.as_deref().map(|s| parse_time(what, s, now)).transpose()
        };
        if let Some(p) = &self.price {
            c.price_lamports = lamports("--price", p)?;
        }
        if let Some(s) = self.supply {
            c.supply = s;
        }
        if let Some(v) = t("sale-start", &self.sale_start)? {
            c.sale_start = v;
        }
        if let Some(v) = t("sale-end", &self.sale_end)? {
            c.sale_end = v;
        }
        if let Some(v) = t("resale-unlock", &self.resale_unlock)? {
            c.resale_unlock = v;
        }
        if let Some(v) = self.max_per_wallet {
            c.max_per_wallet = v;
        }
        if let Some(v) = t("check-in-start", &self.check_in_start)? {
            c.check_in_start = v;
        }
        if let Some(v) = t("check-in-end", &self.check_in_end)? {
            c.check_in_end = v;
        }
        if let Some(v) = &self.name {
            c.name = v.clone();
        }
        if let Some(v) = &self.uri {
            c.uri = v.clone();
        }
        Ok(c)
    }

    /// A new event's configuration: required options, then the defaults.
    fn create(&self, now: i64) -> Result<EventConfig, CliError> {
        let need = |what: &str| CliError::Invalid(format!("event create needs --{what}"));
        let price = self.price.as_deref().ok_or_else(|| need("price"))?;
        let supply = self.supply.ok_or_else(|| need("supply"))?;
        let name = self.name.clone().ok_or_else(|| need("name"))?;
        let sale_start = parse_time(
            "sale-start",
            self.sale_start.as_deref().unwrap_or("now"),
            now,
        )?;
        let sale_end = parse_time(
            "sale-end",
            self.sale_end.as_deref().ok_or_else(|| need("sale-end"))?,
            now,
        )?;
        let check_in_end = match &self.check_in_end {
            Some(s) => parse_time("check-in-end", s, now)?,
            None => sale_end,
        };
        let base = EventConfig {
            price_lamports: lamports("--price", price)?,
            supply,
            sale_start,
            sale_end,
            resale_unlock: sale_end,
            max_per_wallet: 10,
            check_in_start: sale_start,
            check_in_end,
            name,
            uri: String::new(),
        };
        self.apply(base, now)
    }
}

pub fn config_json(c: &EventConfig) -> serde_json::Value {
    json!({
        "name": c.name, "uri": c.uri, "price_lamports": c.price_lamports, "supply": c.supply,
        "sale_start": c.sale_start, "sale_end": c.sale_end, "resale_unlock": c.resale_unlock,
        "max_per_wallet": c.max_per_wallet, "check_in_start": c.check_in_start,
        "check_in_end": c.check_in_end,
    })
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

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Report, CliError> {
    match cmd {
        Cmd::Create {
            organizer,
            shards,
            config,
        } => {
            let organizer = parse_address("organizer", &organizer)?;
            let me = ctx.me()?;
            let o: bitticket::state::Organizer = ctx.account("organizer", &organizer).await?;
            let now = ctx.now().await?;
            let cfg = config.create(now)?;
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
            let mut report = sent_report(
                format!(
                    "event {event} created with {shards} shard(s): {:?}",
                    cfg.name
                ),
                json!({"event": event.to_string(), "organizer": organizer.to_string(),
                       "shards": shards, "config": config_json(&cfg), "approved": !awaiting}),
                &sent,
            );
            if awaiting {
                report = report.line(format!(
                    "it sells nothing until the multisig approves its terms: \
                     bitticket vault propose {organizer} approve-event {event}"
                ));
            }
            Ok(report)
        }
        Cmd::Update { event, config } => {
            let event = parse_address("event", &event)?;
            let e: Event = ctx.account("event", &event).await?;
            let cfg = config.apply(e.config.clone(), ctx.now().await?)?;
            let sent = ctx
                .send(
                    &[client::ix_update_event(
                        &e.organizer,
                        &event,
                        &ctx.me()?,
                        cfg.clone(),
                    )],
                    &[],
                )
                .await?;
            Ok(sent_report(
                format!("event {event} updated"),
                json!({"event": event.to_string(), "config": config_json(&cfg)}),
                &sent,
            ))
        }
        Cmd::Pause { event } => set_paused(ctx, &event, true).await,
        Cmd::Resume { event } => set_paused(ctx, &event, false).await,
        Cmd::Cancel { event } => {
            let event = parse_address("event", &event)?;
            let e: Event = ctx.account("event", &event).await?;
            let sent = ctx
                .send(
                    &[client::ix_cancel_event(&e.organizer, &event, &ctx.me()?)],
                    &[],
                )
                .await?;
            Ok(sent_report(
                format!("event {event} cancelled: holders can claim refunds"),
                json!({"event": event.to_string(), "state": "cancelled"}),
                &sent,
            ))
        }
        Cmd::Show { event } => {
            let address = parse_address("event", &event)?;
            let (e, shards) = load(ctx, &address).await?;
            let sold: u64 = shards.iter().map(|s| u64::from(s.sold)).sum();
            let revenue: u64 = shards.iter().map(|s| s.revenue).sum();
            let refunded: u64 = shards.iter().map(|s| s.refunded).sum();
            let swept: u64 = shards.iter().map(|s| s.swept).sum();
            let c = &e.config;
            let state = if e.cancelled {
                "cancelled"
            } else if e.paused {
                "paused"
            } else if !e.approved {
                "awaiting the multisig's approval of its terms"
            } else {
                "active"
            };
            Ok(Report::new(json!({
                "event": address.to_string(), "organizer": e.organizer.to_string(),
                "id": e.event_id, "state": state, "approved": e.approved, "config": config_json(c),
                "shards": e.shard_count, "shards_opened": e.shards_opened,
                "sold": sold, "revenue_lamports": revenue, "refunded_lamports": refunded,
                "swept_lamports": swept,
            }))
            .line(format!("event {address}: {:?} ({state})", c.name))
            .line(format!("organizer {} (event {})", e.organizer, e.event_id))
            .line(format!(
                "price {} SOL, sold {sold} of {}, at most {} per wallet, {} shard(s)",
                sol(c.price_lamports),
                c.supply,
                c.max_per_wallet,
                e.shards_opened
            ))
            .line(format!(
                "sale      {} to {}",
                time(c.sale_start),
                time(c.sale_end)
            ))
            .line(format!("resale    from {}", time(c.resale_unlock)))
            .line(format!(
                "check-in  {} to {}",
                time(c.check_in_start),
                time(c.check_in_end)
            ))
            .line(format!(
                "revenue {} SOL, refunded {} SOL, swept to the vault {} SOL",
                sol(revenue),
                sol(refunded),
                sol(swept)
            )))
        }
    }
}

async fn set_paused(ctx: &Ctx, event: &str, paused: bool) -> Result<Report, CliError> {
    let event = parse_address("event", event)?;
    let e: Event = ctx.account("event", &event).await?;
    let sent = ctx
        .send(
            &[client::ix_set_paused(
                &e.organizer,
                &event,
                &ctx.me()?,
                paused,
            )],
            &[],
        )
        .await?;
    let state = if paused { "paused" } else { "active" };
    Ok(sent_report(
        format!(
            "event {event} {}",
            if paused { "paused" } else { "resumed" }
        ),
        json!({"event": event.to_string(), "state": state}),
        &sent,
    ))
}
