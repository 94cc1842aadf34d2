use bitticket::state::{Event, Ticket};
use bitticket_client as client;
use clap::Subcommand;
use serde_json::json;
use solana_address::Address;
use solana_signer::Signer;

use super::{event, lamports, sent_report};
use crate::ctx::{parse_address, Ctx};
use crate::error::CliError;
use crate::output::{sol, time, Report};

/// Where a ticket's holder sits in the account: discriminator, event, mint, then holder.
const HOLDER_OFFSET: usize = client::offsets::TICKET_HOLDER;

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Buy a ticket: you sign, you receive the NFT.
    Buy {
        event: String,
        /// The most you agree to pay in SOL (default: the price now).
        #[arg(long)]
        max_price: Option<String>,
    },
    /// Give a ticket to another wallet (after the event's resale unlock).
    Transfer { mint: String, recipient: String },
    /// One ticket.
    Show { mint: String },
    /// A wallet's tickets (default: yours).
    List {
        #[arg(long)]
        owner: Option<String>,
    },
    /// Claim the price back for a ticket of a cancelled event.
    Refund { mint: String },
}

fn state(t: &Ticket) -> &'static str {
    client::names::Named::name(t.state)
}

pub fn ticket_json(address: &Address, t: &Ticket) -> serde_json::Value {
    json!({
        "ticket": address.to_string(), "mint": t.mint.to_string(), "event": t.event.to_string(),
        "holder": t.holder.to_string(), "serial": t.serial, "shard": t.shard_index,
        "price_paid_lamports": t.price_paid, "state": state(t),
        "checked_in_at": (t.checked_in_at != 0).then_some(t.checked_in_at),
    })
}

/// A shard with tickets left, starting from one picked by the buyer's address so that
/// buyers spread over the shards; `None` when every ticket is sold.
pub fn pick_shard(e: &Event, sold: &[u32], buyer: &Address) -> Option<u8> {
    let n = sold.len();
    if n == 0 {
        return None;
    }
    let start = usize::from(buyer.as_ref()[0]) % n;
    (0..n).map(|i| (start + i) % n).find_map(|i| {
        let serial = u64::from(sold[i]) * u64::from(e.shard_count) + i as u64;
        (serial < u64::from(e.config.supply)).then_some(i as u8)
    })
}

/// Buys one ticket of `event` for the context's signer; returns the mint and the report.
/// When another buyer takes a shard's last ticket first (`ShardSoldOut`), it reads the
/// shards again and tries another, until every shard is sold out.
pub async fn buy(
    ctx: &Ctx,
    event_address: &Address,
    max_price: Option<u64>,
) -> Result<(Address, Report), CliError> {
    let buyer = ctx.me()?;
    loop {
        let (e, shards) = event::load(ctx, event_address).await?;
        let sold: Vec<u32> = shards.iter().map(|s| s.sold).collect();
        let shard = pick_shard(&e, &sold, &buyer).ok_or(CliError::SoldOut {
            event: event_address.to_string(),
            supply: e.config.supply,
        })?;
        let mint = client::ticket_mint(&buyer);
        let max = max_price.unwrap_or(e.config.price_lamports);
        let ix = client::ix_purchase_at_most(&buyer, event_address, shard, &mint.pubkey(), max);
        let sent = match ctx.send(&[ix], &[&mint]).await {
            Err(CliError::Program { name, .. }) if name == "ShardSoldOut" => continue,
            other => other?,
        };
        let m = mint.pubkey();
        return Ok((
            m,
            sent_report(
                format!(
                    "ticket {m} bought for {} SOL ({:?}, shard {shard})",
                    sol(e.config.price_lamports),
                    e.config.name
                ),
                json!({"mint": m.to_string(), "ticket": client::ticket_pda(&m).to_string(),
                       "event": event_address.to_string(), "shard": shard,
                       "price_lamports": e.config.price_lamports}),
                &sent,
            ),
        ));
    }
}

async fn ticket(ctx: &Ctx, mint: &Address) -> Result<Ticket, CliError> {
    ctx.account("ticket", &client::ticket_pda(mint)).await
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Report, CliError> {
    match cmd {
        Cmd::Buy { event, max_price } => {
            let event = parse_address("event", &event)?;
            let max = max_price
                .as_deref()
                .map(|p| lamports("--max-price", p))
                .transpose()?;
            Ok(buy(ctx, &event, max).await?.1)
        }
        Cmd::Transfer { mint, recipient } => {
            let mint = parse_address("mint", &mint)?;
            let recipient = parse_address("recipient", &recipient)?;
            let t = ticket(ctx, &mint).await?;
            let ix = client::ix_transfer_ticket(&ctx.me()?, &recipient, &t.event, &mint);
            let sent = ctx.send(&[ix], &[]).await?;
            Ok(sent_report(
                format!("ticket {mint} transferred to {recipient}"),
                json!({"mint": mint.to_string(), "recipient": recipient.to_string()}),
                &sent,
            ))
        }
        Cmd::Show { mint } => {
            let mint = parse_address("mint", &mint)?;
            let address = client::ticket_pda(&mint);
            let t = ticket(ctx, &mint).await?;
            let mut r = Report::new(ticket_json(&address, &t))
                .line(format!(
                    "ticket {mint} (#{} of event {})",
                    t.serial, t.event
                ))
                .line(format!("holder {}", t.holder))
                .line(format!("paid   {} SOL", sol(t.price_paid)))
                .line(format!("state  {}", state(&t)));
            if t.checked_in_at != 0 {
                r = r.line(format!("checked in at {}", time(t.checked_in_at)));
            }
            Ok(r)
        }
        Cmd::List { owner } => {
            let owner = match owner {
                Some(o) => parse_address("owner", &o)?,
                None => ctx.me()?,
            };
            let mut found = ctx.find::<Ticket>(HOLDER_OFFSET, owner.as_ref()).await?;
            found.sort_by_key(|(_, t)| (t.event.to_string(), t.serial));
            let mut r = Report::new(json!({
                "owner": owner.to_string(),
                "tickets": found.iter().map(|(a, t)| ticket_json(a, t)).collect::<Vec<_>>(),
            }))
            .line(format!("{} ticket(s) held by {owner}", found.len()));
            for (_, t) in &found {
                r = r.line(format!(
                    "  {} #{} of {} ({})",
                    t.mint,
                    t.serial,
                    t.event,
                    state(t)
                ));
            }
            Ok(r)
        }
        Cmd::Refund { mint } => {
            let mint = parse_address("mint", &mint)?;
            let t = ticket(ctx, &mint).await?;
            let ix = client::ix_claim_refund(&ctx.me()?, &t.event, t.shard_index, &mint);
            let sent = ctx.send(&[ix], &[]).await?;
            Ok(sent_report(
                format!("ticket {mint} refunded: {} SOL back", sol(t.price_paid)),
                json!({"mint": mint.to_string(), "refunded_lamports": t.price_paid}),
                &sent,
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shard_with_tickets_left_is_picked_and_none_when_sold_out() {
        let mut e: Event = Event {
            version: bitticket::constants::ACCOUNT_VERSION,
            approved: true,
            organizer: Address::default(),
            event_id: 0,
            bump: 0,
            shard_count: 2,
            shards_opened: 2,
            paused: false,
            cancelled: false,
            config: bitticket::state::EventConfig {
                price_lamports: 1,
                supply: 5,
                sale_start: 0,
                sale_end: 1,
                resale_unlock: 1,
                max_per_wallet: 1,
                check_in_start: 0,
                check_in_end: 1,
                name: "x".into(),
                uri: String::new(),
            },
            cancelled_at: 0,
        };
        let buyer = Address::new_from_array([1; 32]);
        // serials: shard 0 gives 0, 2, 4; shard 1 gives 1, 3
        assert_eq!(pick_shard(&e, &[3, 1], &buyer), Some(1));
        assert_eq!(pick_shard(&e, &[2, 2], &buyer), Some(0));
        assert_eq!(pick_shard(&e, &[3, 2], &buyer), None);
        e.config.supply = 6;
        assert_eq!(pick_shard(&e, &[3, 2], &buyer), Some(1));
    }
}
