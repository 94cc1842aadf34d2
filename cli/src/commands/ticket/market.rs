//! `bitticket ticket list / delist / buy-listing / listings`: the event's capped resale
//! market. A listing is priced in its ticket's currency (its tier's: SOL or an SPL mint), the
//! royalty included; the cap is a share of the
//! ticket's face value (what its first buyer paid), set by the organizer
//! (`bitticket event resale`).
use bitticket::state::{Event, Listing, Shard, Ticket};
use bitticket_client as client;
use client::rpc::Memcmp;
use serde::Serialize;
use solana_address::Address;

use super::id;
use crate::ctx::Ctx;
use crate::error::CliError;
use crate::money::{Amount, Money};
use crate::output::{b58, time, Landed, Render};

/// The currency a ticket was sold in, and resells and refunds in: its shard's.
pub async fn money_of(ctx: &Ctx, t: &Ticket) -> Result<Money, CliError> {
    let shard: Shard = ctx
        .account("shard", &client::shard_pda(&t.event, t.shard_index))
        .await?;
    Money::of(ctx, &shard.currency).await
}

/// A listing as the market commands tell it.
#[derive(Debug, Serialize)]
pub struct ListingView {
    #[serde(serialize_with = "b58")]
    pub listing: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub seller: Address,
    /// In `currency`'s smallest unit, the royalty included.
    pub price: u64,
    /// `SOL`, or the ticket's tier's SPL mint.
    pub currency: String,
    #[serde(skip)]
    pub money: Money,
    pub listed_at: i64,
    /// Whether it can be bought: its seller still holds the valid ticket of an event not
    /// cancelled (a void one waits to be taken down, by anyone).
    pub stands: bool,
}

impl ListingView {
    fn of(address: Address, l: &Listing, stands: bool, money: Money) -> Self {
        Self {
            listing: address,
            ticket: l.ticket,
            mint: l.mint,
            seller: l.seller,
            price: l.price,
            currency: money.unit(),
            money,
            listed_at: l.listed_at,
            stands,
        }
    }
}

impl Render for ListingView {
    fn human(&self) -> Vec<String> {
        vec![
            format!(
                "listing {} at {}{}",
                self.listing,
                self.money.show(self.price),
                if self.stands { "" } else { " (void)" }
            ),
            format!("mint    {}", self.mint),
            format!("ticket  {}", self.ticket),
            format!("seller  {}", self.seller),
            format!("listed  {}", time(self.listed_at)),
        ]
    }
}

/// A listing taken down.
#[derive(Debug, Serialize)]
pub struct Delisted {
    #[serde(serialize_with = "b58")]
    pub listing: Address,
    #[serde(serialize_with = "b58")]
    pub mint: Address,
}

impl Render for Delisted {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "listing {} of {} taken down",
            self.listing, self.mint
        )]
    }
}

/// A listing bought.
#[derive(Debug, Serialize)]
pub struct BoughtListing {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub seller: Address,
    /// In `currency`'s smallest unit.
    pub paid: u64,
    pub royalty: u64,
    pub currency: String,
    #[serde(skip)]
    pub money: Money,
}

impl Render for BoughtListing {
    fn human(&self) -> Vec<String> {
        vec![
            format!("bought ticket {} (mint {})", self.ticket, self.mint),
            format!(
                "paid {} to {}, {} of it the organizer's royalty",
                self.money.show(self.paid),
                self.seller,
                self.money.show(self.royalty)
            ),
        ]
    }
}

/// An event's listings.
#[derive(Debug, Serialize)]
pub struct Listings {
    #[serde(serialize_with = "b58")]
    pub event: Address,
    pub listings: Vec<ListingView>,
}

impl Render for Listings {
    fn human(&self) -> Vec<String> {
        let standing = self.listings.iter().filter(|l| l.stands).count();
        let mut lines = vec![format!(
            "{standing} listing(s) of event {} for sale",
            self.event
        )];
        lines.extend(self.listings.iter().map(|l| {
            format!(
                "  {}  mint {} seller {}{}",
                l.money.show(l.price),
                l.mint,
                l.seller,
                if l.stands { "" } else { " (void)" }
            )
        }));
        lines
    }
}

/// Lists a ticket you hold at `price` (whole units of its currency); a listing already at
/// its address (yours, whose price this replaces, or a void one) is taken down in the same
/// transaction.
pub async fn list(
    ctx: &Ctx,
    ticket: &Address,
    price: Amount<'_>,
) -> Result<Landed<ListingView>, CliError> {
    let t = id::find(ctx, ticket).await?;
    let money = money_of(ctx, &t.state).await?;
    let price = price.units(&money, "--price")?;
    let me = ctx.me()?;
    let e: Event = ctx.account("event", &t.state.event).await?;
    let listing = client::listing_pda(&t.ticket);
    let mut ixs = Vec::with_capacity(2);
    if let [Some(open)] = ctx.accounts::<Listing>(&[listing]).await?.as_slice() {
        ixs.push(client::ix_delist_ticket(
            &me,
            &open.seller,
            &t.state.event,
            &t.mint,
        ));
    }
    ixs.push(client::ix_list_ticket(&me, &t.state.event, &t.mint, price));
    let sent = ctx.send(&ixs, &[]).await.map_err(|err| {
        err.explain("AboveResaleCap", || {
            format!(
                "this ticket, bought at {}, may be listed for at most {}",
                money.show(t.state.price_paid),
                money.show(e.resale.cap(t.state.price_paid).unwrap_or(0))
            )
        })
        .explain("ResaleLocked", || {
            format!("the market opens at {}", time(e.config.resale_unlock))
        })
    })?;
    let l: Listing = ctx.account("listing", &listing).await?;
    Ok(Landed::new(ListingView::of(listing, &l, true, money), sent))
}

/// Takes down the listing of a ticket: yours, or anyone's once void.
pub async fn delist(ctx: &Ctx, ticket: &Address) -> Result<Landed<Delisted>, CliError> {
    let t = id::find(ctx, ticket).await?;
    let listing = client::listing_pda(&t.ticket);
    let l: Listing = ctx.account("listing", &listing).await?;
    let ix = client::ix_delist_ticket(&ctx.me()?, &l.seller, &t.state.event, &t.mint);
    let sent = ctx.send(&[ix], &[]).await?;
    Ok(Landed::new(
        Delisted {
            listing,
            mint: t.mint,
        },
        sent,
    ))
}

/// Buys the listing of a ticket, paying at most `max_price` (default: its price now).
pub async fn buy(
    ctx: &Ctx,
    ticket: &Address,
    max_price: Option<Amount<'_>>,
) -> Result<Landed<BoughtListing>, CliError> {
    let t = id::find(ctx, ticket).await?;
    let listing = client::listing_pda(&t.ticket);
    let l: Listing = ctx.account("listing", &listing).await?;
    let e: Event = ctx.account("event", &t.state.event).await?;
    let money = money_of(ctx, &t.state).await?;
    let max_price = max_price
        .map(|m| m.units(&money, "--max-price"))
        .transpose()?;
    let ix = client::ix_buy_listing_in(
        &ctx.me()?,
        &l.seller,
        &t.state.event,
        &t.mint,
        t.state.shard_index,
        max_price.unwrap_or(l.price),
        money.token,
    );
    let sent = ctx.send(&[ix], &[]).await.map_err(|err| {
        err.explain("PriceAboveMaximum", || {
            format!("the listing's price is {}", money.show(l.price))
        })
    })?;
    let royalty = e.resale.royalty(l.price);
    Ok(Landed::new(
        BoughtListing {
            mint: t.mint,
            ticket: t.ticket,
            seller: l.seller,
            paid: l.price,
            royalty,
            currency: money.unit(),
            money,
        },
        sent,
    ))
}

/// An event's listings, cheapest first, each said to stand or be void.
pub async fn listings(ctx: &Ctx, event: &Address) -> Result<Listings, CliError> {
    let e: Event = ctx.account("event", event).await?;
    let mut found = ctx.find::<Listing>(Memcmp::listing_event(event)).await?;
    found.sort_by_key(|(a, l)| (l.price, a.to_string()));
    let tickets: Vec<Address> = found.iter().map(|(_, l)| l.ticket).collect();
    let states = ctx.accounts::<Ticket>(&tickets).await?;
    // each listing in its ticket's currency: the shards' currencies, each read once
    let mut shards: Vec<u8> = states.iter().flatten().map(|t| t.shard_index).collect();
    shards.sort_unstable();
    shards.dedup();
    let keys: Vec<Address> = shards
        .iter()
        .map(|i| client::shard_pda(event, *i))
        .collect();
    let mut moneys: Vec<(u8, Money)> = Vec::with_capacity(shards.len());
    for (i, shard) in shards.iter().zip(ctx.accounts::<Shard>(&keys).await?) {
        let currency = shard.map(|s| s.currency).unwrap_or_default();
        moneys.push((*i, Money::of(ctx, &currency).await?));
    }
    let money = |t: &Option<Ticket>| {
        t.as_ref()
            .and_then(|t| moneys.iter().find(|(i, _)| *i == t.shard_index))
            .map_or_else(Money::sol, |(_, m)| m.clone())
    };
    let listings = found
        .iter()
        .zip(states)
        .map(|((a, l), t)| {
            let stands = t.as_ref().is_some_and(|t| l.stands(&e, t));
            ListingView::of(*a, l, stands, money(&t))
        })
        .collect();
    Ok(Listings {
        event: *event,
        listings,
    })
}
