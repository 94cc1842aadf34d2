//! Act 9: after the event. A holder's ticket as a wallet reads it (its Token-2022 mint's
//! metadata, and the JSON its URI names, served by the API), then burned: the rent of its
//! mint, token account and record comes back to the holder, and the API's JSON says
//! "burned"; the event's buyer records close, each one's rent back to its buyer, and its
//! swept shards close, their rent back to the manager who opened them.
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::Mint;
use anchor_spl::token_2022_extensions::spl_token_metadata_interface::state::TokenMetadata;
use anyhow::{bail, Context, Result};
use bitticket::state::Ticket;
use bitticket_client as client;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use super::event::Sale;
use super::{say, Cast, Demo};
use crate::output::sol;

/// The fee of a transaction with one signature.
const FEE: u64 = 5_000;

pub(super) async fn act(
    d: &Demo,
    cast: &Cast,
    sale: &Sale,
    buyers: &[Keypair],
    tickets: &[(Address, Address)],
) -> Result<()> {
    println!("after the event: a ticket as a wallet shows it, burned, and the rent back");
    let ctx = d.ctx(&cast.creator);
    // a ticket its buyer still holds (one was resold)
    let mut found = None;
    for (holder, mint) in tickets {
        let t: Ticket = ctx.account("ticket", &client::ticket_pda(mint)).await?;
        if t.holder == *holder {
            if let Some(k) = buyers.iter().find(|k| k.pubkey() == *holder) {
                found = Some((k, *mint, t));
                break;
            }
        }
    }
    let (holder, mint, ticket) = found.context("a ticket its buyer still holds")?;
    let me = holder.pubkey();
    let closed = client::burn_closes(&me, &mint);
    let held = ctx.raw_accounts(&closed).await?;
    let mint_account = held[0].as_ref().context("the ticket's mint")?;
    if mint_account.owner != client::TICKET_TOKEN {
        bail!("the ticket's mint is not a Token-2022 mint");
    }
    let state = StateWithExtensions::<Mint>::unpack(&mint_account.data)
        .map_err(|e| anyhow::anyhow!("the ticket's mint: {e}"))?;
    let meta = state
        .get_variable_len_extension::<TokenMetadata>()
        .map_err(|e| anyhow::anyhow!("the ticket's metadata: {e}"))?;
    say(format!(
        "the wallet reads {:?} ({}), metadata at {}",
        meta.name, meta.symbol, meta.uri
    ));
    let path = meta
        .uri
        .strip_prefix(d.opts.api_url.trim_end_matches('/'))
        .context("the ticket's URI names the API")?;
    let token = d.token(&cast.creator).await?;
    let json = d.api(&token, path).await?;
    if json["name"].as_str() != Some(meta.name.as_str()) {
        bail!("the API's JSON names {} for {:?}", json["name"], meta.name);
    }
    say(format!(
        "the API's JSON: {}, image {}",
        json["name"],
        json["image"].as_str().unwrap_or("?")
    ));

    let rent: u64 = held.iter().flatten().map(|a| a.lamports).sum();
    let before = ctx.balance(&me).await?;
    d.ctx(holder)
        .send(&[client::ix_burn_ticket(&me, &sale.event, &mint)], &[])
        .await?;
    let after = ctx.balance(&me).await?;
    if after + FEE != before + rent {
        bail!(
            "the burn gave back {} lamports, not the {rent} the ticket held",
            after + FEE - before
        );
    }
    say(format!(
        "ticket #{} burned by its holder: {} SOL of rent back (mint, token account and record)",
        ticket.serial,
        sol(rent)
    ));
    d.api_until(&token, path, |v| {
        v["attributes"].as_array().is_some_and(|a| {
            a.iter()
                .any(|t| t["trait_type"] == "State" && t["value"] == "burned")
        })
    })
    .await?;
    say("the API's JSON follows: State burned");
    let records = crate::commands::event::close(&ctx, sale.event).await?;
    say(format!(
        "{} buyer records closed: {} SOL back to their buyers",
        records.records,
        sol(records.rent)
    ));
    if let Some(why) = &records.shards_wait {
        bail!("the shards stayed open: {why}");
    }
    say(format!(
        "{} shards closed (the VIP tier's till with its shard): {} SOL back to the manager who opened them",
        records.shards,
        sol(records.shard_rent)
    ));
    Ok(())
}
