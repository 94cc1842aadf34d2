//! Act 5: resale: a transfer before the unlock is refused; after it, three tickets change
//! hands, and one is sold on the capped market (a listing above the cap refused; the
//! royalty to the event's proceeds). The door's list: the three with their new holders, two
//! with their buyers.
use anyhow::{Context, Result};
use bitticket_client as client;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::event::Sale;
use super::{refused, say, Demo, BUYERS, RESALE_PRICE, ROYALTY, SOL};
use crate::output::sol;

/// Who comes to the door with which ticket: (holder, mint) each.
pub(super) async fn act(
    d: &Demo,
    sale: &Sale,
    buyers: &[Keypair],
    tickets: &[(Address, Address)],
) -> Result<Vec<(Keypair, Address)>> {
    let event = sale.event;
    let holder_of = |a: &Address| buyers.iter().find(|k| k.pubkey() == *a);
    let (h0, m0) = tickets[0];
    let k0 = holder_of(&h0).context("holder")?;
    let friend = d.wallets(1, SOL).await?.pop().context("wallet")?;
    let early = client::ix_transfer_ticket(&h0, &friend.pubkey(), &event, &m0);
    refused(
        "a transfer before the resale unlock",
        d.ctx(k0).send(&[early], &[]).await,
    )?;
    d.wait_until(sale.t0 + 25).await?;
    let mut gate_list: Vec<(Keypair, Address)> = Vec::new();
    for (i, (h, m)) in tickets.iter().take(3).enumerate() {
        let k = holder_of(h).context("holder")?;
        let to = if i == 0 {
            friend.insecure_clone()
        } else {
            buyers[BUYERS - i].insecure_clone()
        };
        d.ctx(k)
            .send(
                &[client::ix_transfer_ticket(h, &to.pubkey(), &event, m)],
                &[],
            )
            .await?;
        say(format!(
            "ticket {m} transferred from {h} to {}",
            to.pubkey()
        ));
        gate_list.push((to, *m));
    }
    // the market: above the cap refused, at the cap bought by a newcomer
    let (h, m) = tickets[5];
    let seller = d.ctx(holder_of(&h).context("holder")?);
    refused(
        "a listing above the resale cap",
        seller
            .send(
                &[client::ix_list_ticket(&h, &event, &m, RESALE_PRICE + 1)],
                &[],
            )
            .await,
    )?;
    seller
        .send(&[client::ix_list_ticket(&h, &event, &m, RESALE_PRICE)], &[])
        .await?;
    let newcomer = d.wallets(1, SOL).await?.pop().context("wallet")?;
    let sold: bitticket::state::Ticket = seller.account("ticket", &client::ticket_pda(&m)).await?;
    let shard = sold.shard_index;
    d.ctx(&newcomer)
        .send(
            &[client::ix_buy_listing(
                &newcomer.pubkey(),
                &h,
                &event,
                &m,
                shard,
                RESALE_PRICE,
            )],
            &[],
        )
        .await?;
    say(format!(
        "ticket {m} resold on the market to {} for {} SOL: {} SOL royalty to the event's proceeds",
        newcomer.pubkey(),
        sol(RESALE_PRICE),
        sol(ROYALTY)
    ));
    for (h, m) in tickets.iter().skip(3).take(2) {
        gate_list.push((holder_of(h).context("holder")?.insecure_clone(), *m));
    }
    Ok(gate_list)
}
