//! Act 2: the event, whose terms the 2-of-3 approves after its time-lock before it sells.
use anyhow::{Context, Result};
use bitticket::state::{EventConfig, Proposal, ProposalAction, ProposalStatus, Vote};
use bitticket_client as client;
use solana_address::Address;
use solana_signer::Signer;

use super::{box_office, say, Cast, Demo, BUYERS, PRICE, RESALE, SOL, TIME_LOCK};
use crate::commands::vault;
use crate::output::sol;

/// The event on sale: its address, the chain time its sale opened, and the two fans on
/// its VIP presale's allow-list.
pub(super) struct Sale {
    pub event: Address,
    pub t0: i64,
    pub fans: Vec<solana_keypair::Keypair>,
    /// The VIP tier's currency: the demo's USDC-like mint.
    pub usd: client::TokenCurrency,
}

pub(super) async fn act(d: &Demo, cast: &Cast) -> Result<(Sale, Vec<solana_keypair::Keypair>)> {
    let (boss, ben_ctx, org, me) = (
        d.ctx(&cast.creator),
        d.ctx(&cast.ben),
        cast.org,
        cast.creator.pubkey(),
    );
    let buyers = d
        .wallets(BUYERS + 1, SOL)
        .await
        .context("funding the buyers")?;
    // the sale opens once the multisig has approved the event's terms (a proposal and its
    // time-lock: an event manager alone cannot set what a sale charges)
    let t0 = boss.now().await? + i64::from(TIME_LOCK) + 30;
    let config = EventConfig {
        price_lamports: PRICE,
        supply: BUYERS as u32,
        sale_start: t0,
        sale_end: t0 + 45,
        resale_unlock: t0 + 25,
        max_per_wallet: 2,
        check_in_start: t0,
        check_in_end: t0 + 55,
        name: "BitTicket launch night".into(),
        // its tickets' metadata URIs: this followed by each serial, served by the API
        uri: format!(
            "{}/v1/metadata/{}/",
            d.opts.api_url.trim_end_matches('/'),
            client::event_pda(&org, 0)
        ),
    };
    let event = client::event_pda(&org, 0);
    let mut ixs = vec![client::ix_create_event(
        &org,
        &event,
        &me,
        config.clone(),
        4,
    )];
    ixs.extend((0..4).map(|i| client::ix_open_shard(&org, &event, &me, i)));
    // its resale market is a sale term too: set before the multisig approves them
    ixs.push(client::ix_set_resale_terms(&org, &event, &me, RESALE));
    boss.send(&ixs, &[]).await?;
    // its VIP tier, a sale term as well: a presale for two fans' allow-list, then anyone
    // priced in the demo's USDC-like mint, which the fans hold
    let fans = box_office::fans(d).await?;
    let usd = box_office::currency(d, &cast.creator, &fans.iter().collect::<Vec<_>>()).await?;
    let vip = box_office::vip(t0, &event, &fans)?;
    let till = client::shard_pda(&event, box_office::VIP_SHARD);
    boss.send(
        &[
            client::ix_create_tier_in(&org, &event, &me, 0, vip, 1, Some(&usd.mint)),
            client::ix_open_tier_shard(&org, &event, &me, 0, box_office::VIP_SHARD),
            client::ix_open_currency_account(&me, &till, &usd),
        ],
        &[],
    )
    .await?;
    println!(
        "event {event}: {:?}, {BUYERS} tickets at {} SOL in 4 shards; resale at most 120% of face value, 10% royalty",
        config.name,
        sol(PRICE)
    );
    say(format!(
        "tier VIP: 4 tickets in dUSD (a USDC-like mint made here, {}), 20 in a 20 s presale for two fans' allow-list, then 25 for anyone",
        usd.mint
    ));
    let approve = ProposalAction::UpdateEvent {
        event,
        config: config.clone(),
    };
    let index = vault::propose(&boss, &org, approve).await?.what.index;
    for (ctx, key) in [(&boss, me), (&ben_ctx, cast.ben.pubkey())] {
        ctx.send(&[client::ix_vote(&org, index, &key, Vote::Approve)], &[])
            .await?;
    }
    // the time-lock runs on the chain's clock, which may lag the wall clock
    let p: Proposal = boss
        .account("proposal", &client::proposal_pda(&org, index))
        .await?;
    if let ProposalStatus::Approved { at } = p.status {
        d.wait_until(at + i64::from(TIME_LOCK)).await?;
    }
    vault::execute(&boss, &org, index).await?;
    say(format!(
        "proposal {index}: the event's terms approved by the creator and ben (2 of 3), after the time-lock"
    ));
    d.wait_until(t0).await?;
    say("sale open for 45 s, resale from 25 s, check-in until 55 s (by the chain's clock)");
    Ok((
        Sale {
            event,
            t0,
            fans,
            usd,
        },
        buyers,
    ))
}
