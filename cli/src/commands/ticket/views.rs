//! What the ticket commands print: a ticket (by both its mint and its ticket account), a
//! wallet's tickets, a purchase, a transfer, a refund.
use bitticket::state::Ticket;
use bitticket_client::names::Named;
use serde::Serialize;
use solana_address::Address;

use crate::money::Money;
use crate::output::{b58, sol, time, Render};

/// A ticket as `ticket show` and `ticket mine` tell it.
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
            format!("ticket #{} of event {}", self.serial, self.event),
            format!("mint   {}", self.mint),
            format!("ticket {} (the ticket account)", self.ticket),
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
        lines.extend(self.tickets.iter().map(|t| {
            format!(
                "  mint {} ticket {} #{} of {} ({})",
                t.mint, t.ticket, t.serial, t.event, t.state
            )
        }));
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
    /// In `currency`'s smallest unit (lamports for SOL).
    pub price: u64,
    /// `SOL`, or the tier's SPL mint.
    pub currency: String,
    #[serde(skip)]
    pub money: Money,
    #[serde(skip)]
    pub name: String,
}

impl Render for Bought {
    fn human(&self) -> Vec<String> {
        vec![
            format!(
                "ticket bought for {} ({:?}, shard {})",
                self.money.show(self.price),
                self.name,
                self.shard
            ),
            format!("mint   {}", self.mint),
            format!("ticket {} (the ticket account)", self.ticket),
        ]
    }
}

#[derive(Debug, Serialize)]
pub struct Transferred {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub recipient: Address,
}

impl Render for Transferred {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} (mint {}) transferred to {}",
            self.ticket, self.mint, self.recipient
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Refunded {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    /// In `currency`'s smallest unit (lamports for SOL).
    pub refunded: u64,
    pub currency: String,
    #[serde(skip)]
    pub money: Money,
}

impl Render for Refunded {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} (mint {}) refunded: {} back",
            self.ticket,
            self.mint,
            self.money.show(self.refunded)
        )]
    }
}

#[derive(Debug, Serialize)]
pub struct Burned {
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    /// Lamports of rent given back: the mint's, the token account's and the record's.
    pub rent: u64,
}

impl Render for Burned {
    fn human(&self) -> Vec<String> {
        vec![format!(
            "ticket {} (mint {}) burned: {} of rent back",
            self.ticket,
            self.mint,
            crate::money::Money::sol().show(self.rent)
        )]
    }
}

/// A holder's check-in pass, to show as a QR code or give to the door as text.
#[derive(Debug, Serialize)]
pub struct PassShown {
    pub pass: String,
    #[serde(serialize_with = "b58")]
    pub mint: Address,
    #[serde(serialize_with = "b58")]
    pub ticket: Address,
    #[serde(serialize_with = "b58")]
    pub holder: Address,
    pub expires_at: i64,
}

impl Render for PassShown {
    fn human(&self) -> Vec<String> {
        vec![
            format!(
                "pass for ticket {} (mint {}), valid until {}:",
                self.ticket,
                self.mint,
                crate::output::time(self.expires_at)
            ),
            self.pass.clone(),
        ]
    }
}
