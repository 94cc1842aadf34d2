//! `bitticket ticket`: buy, transfer, show, list a wallet's and refund tickets; resell them
//! on the event's capped market. A ticket is named by
//! its mint or its ticket account, either (`id`).
pub mod id;
mod market;
mod views;

use bitticket::state::{Event, Ticket, Tier};
use bitticket_client as client;
use clap::Subcommand;
use client::rpc::Memcmp;
use solana_address::Address;
use solana_signer::Signer;

pub use views::{Bought, Burned, Listed, PassShown, Refunded, TicketView, Transferred};

use super::event;
use crate::args::{address, duration};
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::money::{Amount, Money};
use crate::output::{span, time, Landed, Output};

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Buy a ticket: you sign, you receive the NFT.
    Buy {
        #[arg(value_parser = address("event"))]
        event: Address,
        /// The most you agree to pay, in SOL or the tier's mint (default: the price now).
        #[arg(long, value_name = "AMOUNT")]
        max_price: Option<String>,
        /// A ticket of this tier (its index), in the phase open now.
        #[arg(long)]
        tier: Option<u8>,
        /// The open phase's allow-list (one wallet per line), for your proof.
        #[arg(long, value_name = "FILE", requires = "tier")]
        allow_list: Option<std::path::PathBuf>,
    },
    /// Give a ticket to another wallet (after the event's resale unlock).
    Transfer {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
        #[arg(value_parser = address("recipient"))]
        recipient: Address,
    },
    /// One ticket.
    Show {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
    },
    /// A wallet's tickets (default: yours).
    Mine {
        #[arg(long, value_parser = address("owner"))]
        owner: Option<Address>,
    },
    /// Offer a ticket you hold on the event's resale market (after its resale unlock), at
    /// most at the organizer's cap; listing again changes the price.
    List {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
        /// What a buyer pays, in SOL or the ticket's tier's mint, the organizer's royalty
        /// included.
        #[arg(long, value_name = "AMOUNT")]
        price: String,
    },
    /// Take a listing down: yours, or anyone's once void (its rent goes to its seller).
    Delist {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
    },
    /// Buy a listed ticket.
    BuyListing {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
        /// The most you agree to pay, in SOL or the ticket's tier's mint (default: the
        /// listing's price now).
        #[arg(long, value_name = "AMOUNT")]
        max_price: Option<String>,
    },
    /// An event's resale listings, cheapest first.
    Listings {
        #[arg(value_parser = address("event"))]
        event: Address,
    },
    /// Sign a check-in pass for a ticket you hold: the door checks it in with the pass,
    /// signing alone (`bitticket gate check-in PASS`). Show it as a QR code, or get one
    /// from the API (`POST /v1/tickets/{ticket}/qr`).
    Pass {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
        /// How long the pass is valid, by the cluster's clock (at most 10m).
        #[arg(long, default_value = "2m", value_parser = duration("valid-for"))]
        valid_for: u64,
    },
    /// Claim the price back for a ticket of a cancelled event.
    Refund {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
    },
    /// After the event (or at once for a cancelled one, once its refund is claimed): burn
    /// a ticket you hold and take back the rent of its mint, token account and record.
    Burn {
        #[arg(value_name = "TICKET", help = id::HELP, value_parser = address("ticket"))]
        ticket: Address,
    },
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
    max_price: Option<Amount<'_>>,
) -> Result<Landed<Bought>, CliError> {
    let buyer = ctx.me()?;
    let money = Money::sol();
    let max_price = max_price
        .map(|m| m.units(&money, "--max-price"))
        .transpose()?;
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
            Ok(sent) => sent,
            Err(err) if err.is("ShardSoldOut") => continue,
            Err(err) if err.is("SaleNotStarted") || err.is("SaleEnded") => {
                return Err(sale_window(err, &e, ctx.now().await?))
            }
            Err(err) => {
                return Err(err.explain("WalletLimitReached", || {
                    format!(
                        "at most {} ticket(s) per wallet for this event",
                        e.config.max_per_wallet
                    )
                }))
            }
        };
        let m = mint.pubkey();
        let bought = Bought {
            mint: m,
            ticket: client::ticket_pda(&m),
            event: *event_address,
            shard,
            price: e.config.price_lamports,
            currency: money.unit(),
            money,
            name: e.config.name,
        };
        return Ok(Landed::new(bought, sent));
    }
}

/// Buys one ticket of `tier` of `event` in the phase open now, with the buyer's proof from
/// `allow_list` when that phase has one; on `ShardSoldOut` it tries the tier's next shard.
pub async fn buy_tier(
    ctx: &Ctx,
    event_address: &Address,
    tier_index: u8,
    max_price: Option<Amount<'_>>,
    allow_list: Option<&std::path::Path>,
) -> Result<Landed<Bought>, CliError> {
    let buyer = ctx.me()?;
    let e: Event = ctx.account("event", event_address).await?;
    let tier: Tier = ctx
        .account("tier", &client::tier_pda(event_address, tier_index))
        .await?;
    // a token tier is paid from the buyer's account in its mint
    let money = Money::of(ctx, &tier.currency).await?;
    let max_price = max_price
        .map(|m| m.units(&money, "--max-price"))
        .transpose()?;
    let now = ctx.now().await?;
    let (phase_index, phase) = match tier.config.phase_at(now) {
        Ok((i, p)) => (i, *p),
        Err(_) => {
            let p = &tier.config.phases;
            let next = p.iter().find(|p| now < p.start);
            return Err(CliError::Refused(match next {
                Some(n) => format!(
                    "no phase of tier {:?} is open: the next opens at {}, in {}",
                    tier.config.name,
                    time(n.start),
                    span(n.start - now)
                ),
                None => format!("the sale of tier {:?} is over", tier.config.name),
            }));
        }
    };
    let proof = match (phase.is_allow_listed(), allow_list) {
        (false, _) => Vec::new(),
        (true, None) => {
            return Err(CliError::Invalid(format!(
                "phase {phase_index} of tier {:?} is for its allow-list: pass --allow-list FILE",
                tier.config.name
            )))
        }
        (true, Some(file)) => {
            let wallets = event::tier::read_wallets(file)?;
            event::tier::proof(event_address, tier_index, phase_index, &wallets, &buyer)?
        }
    };
    let max = max_price.unwrap_or(phase.price);
    if let Some(c) = &money.token {
        // the token program would refuse a missing or short account without a word of why
        let held = ctx.token_balance(&c.account(&buyer)).await?;
        match held {
            None => {
                return Err(CliError::Refused(format!(
                    "this wallet has no account in {} to pay from",
                    money.unit()
                )))
            }
            Some(held) if held < phase.price => {
                return Err(CliError::Refused(format!(
                    "this wallet holds {}, the price is {}",
                    money.show(held),
                    money.show(phase.price)
                )))
            }
            Some(_) => {}
        }
    }
    let first = tier.first_shard;
    let start = usize::from(buyer.as_ref()[0]) % usize::from(tier.shards_opened.max(1));
    for k in 0..tier.shards_opened {
        let shard = first + ((start as u8 + k) % tier.shards_opened);
        let mint = client::ticket_mint(&buyer);
        let ix = client::ix_purchase_tier_in(
            &buyer,
            event_address,
            tier_index,
            shard,
            &mint.pubkey(),
            max,
            proof.clone(),
            money.token,
        );
        match ctx.send(&[ix], &[&mint]).await {
            Ok(sent) => {
                let m = mint.pubkey();
                let bought = Bought {
                    mint: m,
                    ticket: client::ticket_pda(&m),
                    event: *event_address,
                    shard,
                    price: phase.price,
                    currency: money.unit(),
                    money: money.clone(),
                    name: format!("{} ({})", e.config.name, tier.config.name),
                };
                return Ok(Landed::new(bought, sent));
            }
            Err(err) if err.is("ShardSoldOut") => continue,
            Err(err) => {
                return Err(err
                    .explain("NotAllowListed", || {
                        "this wallet is not on the phase's allow-list".into()
                    })
                    .explain("PhaseLimitReached", || {
                        format!("at most {} per wallet in this phase", phase.max_per_wallet)
                    })
                    .explain("TierLimitReached", || {
                        format!(
                            "at most {} per wallet of tier {:?}",
                            tier.config.max_per_wallet, tier.config.name
                        )
                    })
                    .explain("WalletLimitReached", || {
                        format!(
                            "at most {} ticket(s) per wallet for this event",
                            e.config.max_per_wallet
                        )
                    }))
            }
        }
    }
    Err(CliError::Refused(format!(
        "tier {:?} is sold out (or has no shard open)",
        tier.config.name
    )))
}

/// A purchase outside the sale's window, said with the window and the cluster's clock.
fn sale_window(err: CliError, e: &Event, now: i64) -> CliError {
    let (start, end) = (e.config.sale_start, e.config.sale_end);
    err.explain("SaleNotStarted", || {
        format!("it opens at {}, in {}", time(start), span(start - now))
    })
    .explain("SaleEnded", || {
        format!("it closed at {}, {} ago", time(end), span(now - end))
    })
}

/// A pass for the ticket `id` signed by the context's signer, who must hold it, valid for
/// `valid_for` seconds from the cluster's clock.
pub async fn pass(ctx: &Ctx, id: &Address, valid_for: u64) -> Result<PassShown, CliError> {
    let max = client::pass::PASS_MAX_VALIDITY;
    let secs = i64::try_from(valid_for)
        .ok()
        .filter(|s| (1..=max).contains(s))
        .ok_or_else(|| CliError::Invalid(format!("--valid-for: between 1s and {max}s (10m)")))?;
    let t = id::find(ctx, id).await?;
    let me = ctx.signer()?;
    if t.state.holder != me.pubkey() {
        return Err(CliError::Invalid(format!(
            "ticket {} is held by {}, not by your wallet {}",
            t.ticket,
            t.state.holder,
            me.pubkey()
        )));
    }
    let expires_at = ctx.now().await?.saturating_add(secs);
    let pass = client::pass::Pass::sign(me, &t.mint, expires_at);
    Ok(PassShown {
        pass: pass.encode(),
        mint: t.mint,
        ticket: t.ticket,
        holder: pass.holder,
        expires_at,
    })
}

pub async fn run(ctx: &Ctx, cmd: Cmd) -> Result<Box<dyn Output>, CliError> {
    Ok(match cmd {
        Cmd::Buy {
            event,
            max_price,
            tier: None,
            ..
        } => Box::new(buy(ctx, &event, max_price.as_deref().map(Amount::Typed)).await?),
        Cmd::Buy {
            event,
            max_price,
            tier: Some(tier),
            allow_list,
        } => Box::new(
            buy_tier(
                ctx,
                &event,
                tier,
                max_price.as_deref().map(Amount::Typed),
                allow_list.as_deref(),
            )
            .await?,
        ),
        Cmd::Transfer { ticket, recipient } => {
            let t = id::find(ctx, &ticket).await?;
            let ix = client::ix_transfer_ticket(&ctx.me()?, &recipient, &t.state.event, &t.mint);
            let sent = match ctx.send(&[ix], &[]).await {
                Ok(sent) => sent,
                Err(err) if err.is("TransfersLocked") => {
                    return Err(err.explain("TransfersLocked", || {
                        "list it instead: bitticket ticket list TICKET --price SOL".into()
                    }))
                }
                Err(err) if err.is("ResaleLocked") => {
                    let e: Event = ctx.account("event", &t.state.event).await?;
                    let (unlock, now) = (e.config.resale_unlock, ctx.now().await?);
                    return Err(err.explain("ResaleLocked", || {
                        format!(
                            "transfers open at {}, in {}",
                            time(unlock),
                            span(unlock - now)
                        )
                    }));
                }
                Err(err) => return Err(err),
            };
            Box::new(Landed::new(
                Transferred {
                    mint: t.mint,
                    ticket: t.ticket,
                    recipient,
                },
                sent,
            ))
        }
        Cmd::Show { ticket } => {
            let t = id::find(ctx, &ticket).await?;
            Box::new(TicketView::of(t.ticket, &t.state))
        }
        Cmd::List { ticket, price } => {
            Box::new(market::list(ctx, &ticket, Amount::Typed(&price)).await?)
        }
        Cmd::Delist { ticket } => Box::new(market::delist(ctx, &ticket).await?),
        Cmd::BuyListing { ticket, max_price } => {
            Box::new(market::buy(ctx, &ticket, max_price.as_deref().map(Amount::Typed)).await?)
        }
        Cmd::Listings { event } => Box::new(market::listings(ctx, &event).await?),
        Cmd::Mine { owner } => {
            let owner = match owner {
                Some(o) => o,
                None => ctx.me()?,
            };
            let mut found = ctx.find::<Ticket>(Memcmp::ticket_holder(&owner)).await?;
            found.sort_by_key(|(_, t)| (t.event.to_string(), t.serial));
            let tickets = found.iter().map(|(a, t)| TicketView::of(*a, t)).collect();
            Box::new(Listed { owner, tickets })
        }
        Cmd::Pass { ticket, valid_for } => Box::new(pass(ctx, &ticket, valid_for).await?),
        Cmd::Refund { ticket } => {
            let t = id::find(ctx, &ticket).await?;
            // a token tier's price comes back from the shard's till in its mint
            let money = market::money_of(ctx, &t.state).await?;
            let ix = client::ix_claim_refund_in(
                &ctx.me()?,
                &t.state.event,
                t.state.shard_index,
                &t.mint,
                money.token,
            );
            let sent = ctx.send(&[ix], &[]).await?;
            Box::new(Landed::new(
                Refunded {
                    mint: t.mint,
                    ticket: t.ticket,
                    refunded: t.state.price_paid,
                    currency: money.unit(),
                    money,
                },
                sent,
            ))
        }
        Cmd::Burn { ticket } => {
            let t = id::find(ctx, &ticket).await?;
            let me = ctx.me()?;
            let closed = client::burn_closes(&me, &t.mint);
            let rent = ctx
                .raw_accounts(&closed)
                .await?
                .iter()
                .flatten()
                .map(|a| a.lamports)
                .sum();
            let ix = client::ix_burn_ticket(&me, &t.state.event, &t.mint);
            let sent = ctx.send(&[ix], &[]).await.map_err(|err| {
                err.explain("TicketListed", || {
                    format!("it is listed: `bitticket ticket delist {ticket}` first")
                })
                .explain("RefundStillOwed", || {
                    format!("its event was cancelled: `bitticket ticket refund {ticket}` first")
                })
            })?;
            Box::new(Landed::new(
                Burned {
                    mint: t.mint,
                    ticket: t.ticket,
                    rent,
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
            tier_count: 0,
            shards_reserved: 1,
            tier_serial_start: 0,
            tier_serial_end: 0,
            tiers_changed_at_proposal: 0,
            resale: Default::default(),
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
