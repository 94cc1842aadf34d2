//! Act 4: fifty wallets buy, each signing its own purchase, eight at a time; a 51st buyer
//! and a purchase sent to a full shard are refused.
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use bitticket_client as client;
use indicatif::{ProgressBar, ProgressStyle};
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use tokio::sync::Semaphore;

use super::event::Sale;
use super::{refused, say, Demo, BUYERS, PRICE};
use crate::commands::ticket;
use crate::money::Amount;

/// The tickets bought: (holder, mint) each.
pub(super) async fn act(
    d: &Demo,
    sale: &Sale,
    buyers: &[Keypair],
) -> Result<Vec<(Address, Address)>> {
    let event = sale.event;
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
            let r = ticket::buy(&ctx, &event, Some(Amount::Units(PRICE)))
                .await
                .map(|bought| (ctx.me().ok(), bought.what.mint));
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
    Ok(tickets)
}
