//! `bitticket ticket`: buy, transfer, show, list and refund tickets.
use bitticket::state::{Event, Ticket};
use bitticket_client as client;
use clap::Subcommand;
use client::names::Named;
use client::rpc::Memcmp;
use serde::Serialize;
use solana_address::Address;
use solana_signer::Signer;

use super::event;
use crate::args::{address, sol as sol_arg};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::output::{b58, sol, time, Landed, Output, Render};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Buy a ticket: you sign, you receive the NFT.
    Buy {
        #[arg(value_parser = address("event"))]
        event: Address,
        /// The most you agree to pay in SOL (default: the price now).
        #[arg(long, value_parser = sol_arg("--max-price"))]
        max_price: Option<u64>,
    },
    /// Give a ticket to another wallet (after the event's resale unlock).
    Transfer {
        #[arg(value_parser = address("mint"))]
        mint: Address,
        #[arg(value_parser = address("recipient"))]
        recipient: Address,
    },
    /// One ticket.
    Show {
        #[arg(value_parser = address("mint"))]
        mint: Address,
    },
    /// A wallet's tickets (default: yours).
    List {
        #[arg(long, value_parser = address("owner"))]
        owner: Option<Address>,
    },
    /// Claim the price back for a ticket of a cancelled event.
    Refund {
        #[arg(value_parser = address("mint"))]
        mint: Address,
    },
}

/// A ticket as `ticket show` and `ticket list` tell it.
#[derive(Debug, Serialize)]
pub struct TicketView {
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub event: Address,
    #[serde(serialize_with = "b58")]
    pub holder: Address,
    pub serial: u32,
    pub shard: u8,
    pub price_paid_lamports: u64,
    pub state: &'static str,
    pub checked_in_at: Option<i64>,
}

impl TicketView {
    pub fn of(address: Address, t: &Ticket) -> Self {
        Self {
            ticket: address,
            mint: t.mint,
            event: t.event,
            holder: t.holder,
            serial: t.serial,
            shard: t.shard_index,
            price_paid_lamports: t.price_paid,
            state: t.state.name(),
            checked_in_at: (t.checked_in_at != 0).then_some(t.checked_in_at),
        }
    }
}

impl Render for TicketView {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![
            format!(
                "ticket {} (#{} of event {})",
                self.mint, self.serial, self.event
            ),
            format!("holder {}", self.holder),
            format!("paid   {} SOL", sol(self.price_paid_lamports)),
            format!("state  {}", self.state),
        ];
        lines.extend(
            self.checked_in_at
                .map(|t| format!("checked in at {}", time(t))),
        );
        lines
    }
}

/// A wallet's tickets.
#[derive(Debug, Serialize)]
pub struct Listed {
    #[serde(serialize_with = "b58")]
    pub owner: Address,
    pub tickets: Vec<TicketView>,
}

impl Render for Listed {
    fn human(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "{} ticket(s) held by {}",
            self.tickets.len(),
            self.owner
        )];
        lines.extend(
            self.tickets
                .iter()
                .map(|t| format!("  {} #{} of {} ({})", t.mint, t.serial, t.event, t.state)),
        );
        lines
    }
}

#[derive(Debug, Serialize)]
pub struct Bought {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub shard: u8,
    pub price_lamports: u64,
    #[serde(skip)]
    pub name: String,
}

impl Render for Bought {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} bought for {} SOL ({:?}, shard {})",
            self.mint,
            sol(self.price_lamports),
            self.name,
            self.shard
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Transferred {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub recipient: Address,
}

impl Render for Transferred {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} transferred to {}",
            self.mint, self.recipient
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Refunded {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    pub refunded_lamports: u64,
}

impl Render for Refunded {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} refunded: {} SOL back",
            self.mint,
            sol(self.refunded_lamports)
        )]
    }
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

/// Buys one ticket of `event` for the context's signer. When another buyer takes a
/// shard's last ticket first (`ShardSoldOut`), it reads the shards again and tries
/// another, until every shard is sold out.
pub async fn buy(
    ctx: &Ctx,
    event_address: &Address,
    max_price: Option<u64>,
) -> Result<Landed<Bought>, CliError> {
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
        let bought = Bought {
            mint: m,
            ticket: client::ticket_pda(&m),
            event: *event_address,
            shard,
            price_lamports: e.config.price_lamports,
            name: e.config.name,
        };
        return Ok(Landed::new(bought, sent));
    }
}

async fn ticket(ctx: &Ctx, mint: &Address) -> Result<Ticket, CliError> {
    ctx.account("ticket", &client::ticket_pda(mint)).await
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Buy { event, max_price } => Box::new(buy(ctx, &event, max_price).await?),
        Cmd::Transfer { mint, recipient } => {
            let t = ticket(ctx, &mint).await?;
            let ix = client::ix_transfer_ticket(&ctx.me()?, &recipient, &t.event, &mint);
            let sent = ctx.send(&[ix], &[]).await?;
            Box::new(Landed::new(Transferred { mint, recipient }, sent))
        }
        Cmd::Show { mint } => {
            let t = ticket(ctx, &mint).await?;
            Box::new(TicketView::of(client::ticket_pda(&mint), &t))
        }
        Cmd::List { owner } => {
            let owner = match owner {
                Some(o) => o,
                None => ctx.me()?,
            };
            let mut found = ctx.find::<Ticket>(Memcmp::ticket_holder(&owner)).await?;
            found.sort_by_key(|(_, t)| (t.event.to_string(), t.serial));
            let tickets = found.iter().map(|(a, t)| TicketView::of(*a, t)).collect();
            Box::new(Listed { owner, tickets })
        }
        Cmd::Refund { mint } => {
            let t = ticket(ctx, &mint).await?;
            let ix = client::ix_claim_refund(&ctx.me()?, &t.event, t.shard_index, &mint);
            let sent = ctx.send(&[ix], &[]).await?;
            let refunded_lamports = t.price_paid;
            Box::new(Landed::new(
                Refunded {
                    mint,
                    refunded_lamports,
                },
                sent,
            ))
        }
    })
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
