//! Act 3: the box office's VIP tier, priced in a USDC-like mint the demo makes (`dUSD`, 6
//! decimals), in its presale for two fans' allow-list: the first
//! fan buys with the CLI and the list's proof, a stranger is refused by the chain, and the
//! second fan buys through the event's purchase link (Solana Actions) as a wallet opens
//! it: the rule file, the action's buttons, the transaction for its account, signed in the
//! wallet and sent.
use anyhow::{bail, Context, Result};
use base64::Engine;
use bitticket::allow_list;
use bitticket::state::{Phase, TierConfig};
use bitticket_client as client;
use serde_json::json;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

use super::event::Sale;
use super::{refused, say, Cast, Demo, SOL};
use crate::api::request;
use crate::commands::ticket;
use crate::money::Money;

/// The VIP tier's currency: 6 decimals, like USDC.
const DECIMALS: u8 = 6;
/// One whole dUSD in its smallest unit.
const USD: u64 = 1_000_000;
/// The VIP tier: 4 tickets, one per wallet; 20 dUSD in the fans' presale, then 25.
pub(super) const VIP_PRESALE: u64 = 20 * USD;
const VIP_PUBLIC: u64 = 25 * USD;
/// What the issuer mints to each wallet that pays in dUSD.
const FUNDS: u64 = 100 * USD;

/// The demo's USDC-like mint, made by `issuer` (its mint authority), with `FUNDS` minted to
/// each of `holders`.
pub(super) async fn currency(
    d: &Demo,
    issuer: &Keypair,
    holders: &[&Keypair],
) -> Result<client::TokenCurrency> {
    let mint = Keypair::new();
    let usd = client::TokenCurrency {
        mint: mint.pubkey(),
        program: client::TOKEN,
    };
    let ctx = d.ctx(issuer);
    let rent = ctx
        .chain
        .client
        .get_minimum_balance_for_rent_exemption(client::MINT_LEN as usize)
        .await?;
    let ixs =
        client::ixs_create_currency(&issuer.pubkey(), &usd, DECIMALS, &issuer.pubkey(), rent)?;
    ctx.send(&ixs, &[&mint]).await?;
    fund(d, issuer, &usd, holders).await?;
    Ok(usd)
}

/// `FUNDS` of `usd` minted to each of `holders` (their accounts opened).
async fn fund(
    d: &Demo,
    issuer: &Keypair,
    usd: &client::TokenCurrency,
    holders: &[&Keypair],
) -> Result<()> {
    let mut ixs = Vec::with_capacity(2 * holders.len());
    for h in holders {
        ixs.push(client::ix_open_currency_account(
            &issuer.pubkey(),
            &h.pubkey(),
            usd,
        ));
        ixs.push(client::ix_mint_currency(
            usd,
            &h.pubkey(),
            &issuer.pubkey(),
            FUNDS,
        )?);
    }
    d.ctx(issuer).send(&ixs, &[]).await?;
    Ok(())
}

/// Amounts of `usd` as people read them.
pub(super) fn dusd(usd: &client::TokenCurrency) -> Money {
    Money {
        token: Some(*usd),
        decimals: DECIMALS,
        symbol: Some("dUSD".into()),
    }
}
/// The tier's first shard: after the event's own 4.
pub(super) const VIP_SHARD: u8 = 4;
/// VIP tickets the demo sells (both in the presale).
pub(super) const VIP_SOLD: usize = 2;

/// The tier's terms, its presale for `fans` from the sale's start `t0` for 20 s.
pub(super) fn vip(t0: i64, event: &Address, fans: &[Keypair]) -> Result<TierConfig> {
    let leaves: Vec<[u8; 32]> = fans
        .iter()
        .map(|f| allow_list::leaf(event, 0, 0, &f.pubkey()))
        .collect();
    let root = allow_list::root(&leaves).context("the fans' allow-list")?;
    Ok(TierConfig {
        name: "VIP".into(),
        supply: 4,
        max_per_wallet: 1,
        phases: vec![
            Phase {
                start: t0,
                end: t0 + 20,
                price: VIP_PRESALE,
                max_per_wallet: 1,
                allow_list: root,
            },
            Phase {
                start: t0 + 20,
                end: t0 + 45,
                price: VIP_PUBLIC,
                max_per_wallet: 1,
                allow_list: [0; 32],
            },
        ],
    })
}

pub(super) async fn act(d: &Demo, cast: &Cast, sale: &Sale) -> Result<()> {
    let event = sale.event;
    let [a, b] = &sale.fans[..] else {
        bail!("the demo has two fans");
    };
    // the allow-list as the organizer hands it out: one wallet per line
    let file = std::env::temp_dir().join(format!("bitticket-demo-vip-{event}.txt"));
    let wallets: Vec<String> = sale.fans.iter().map(|f| f.pubkey().to_string()).collect();
    std::fs::write(&file, wallets.join("\n")).context("writing the allow-list")?;
    let bought = ticket::buy_tier(&d.ctx(a), &event, 0, None, Some(&file)).await;
    let _ = std::fs::remove_file(&file);
    let bought = bought?;
    say(format!(
        "VIP presale: {} bought ticket {} for {} with its proof from the allow-list",
        a.pubkey(),
        bought.what.mint,
        dusd(&sale.usd).show(VIP_PRESALE)
    ));
    // a stranger with dUSD to pay, but on no list
    let stranger = d.wallets(1, SOL).await?.pop().context("wallet")?;
    fund(d, &cast.creator, &sale.usd, &[&stranger]).await?;
    let mint = client::ticket_mint(&stranger.pubkey());
    let no_proof = client::ix_purchase_tier_in(
        &stranger.pubkey(),
        &event,
        0,
        VIP_SHARD,
        &mint.pubkey(),
        VIP_PRESALE,
        Vec::new(),
        Some(sale.usd),
    );
    refused(
        "a presale purchase by a wallet not on the allow-list",
        d.ctx(&stranger).send(&[no_proof], &[&mint]).await,
    )?;

    // the organizer uploads the list, so that the API serves each fan its proof
    let token = d.token(&cast.creator).await?;
    d.api_until(&token, &format!("/v1/events/{event}"), |v| {
        v["tiers"][0]["name"] == "VIP"
    })
    .await?;
    let api = d.opts.api_url.as_str();
    let upload = format!("/v1/organizers/{}/events/{event}/allow-lists/0/0", cast.org);
    let saved = request(
        &d.http,
        reqwest::Method::PUT,
        api,
        &upload,
        Some(&token),
        Some(json!({ "wallets": wallets })),
    )
    .await?;
    if saved["on_chain"] != true {
        bail!("the uploaded list's root is not the tier's: {saved}");
    }

    // the purchase link, as a wallet opens it: no token, only the wallet's signature
    let rules = request(
        &d.http,
        reqwest::Method::GET,
        api,
        "/actions.json",
        None,
        None,
    )
    .await?;
    let action = request(
        &d.http,
        reqwest::Method::GET,
        api,
        &format!("/v1/actions/events/{event}"),
        None,
        None,
    )
    .await?;
    let button = action["links"]["actions"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["href"].as_str().is_some_and(|h| h.ends_with("?tier=0")))
        .with_context(|| format!("no VIP button in the action: {action}"))?;
    let href = button["href"].as_str().context("href")?;
    let built = request(
        &d.http,
        reqwest::Method::POST,
        api,
        href,
        None,
        Some(json!({ "account": b.pubkey().to_string() })),
    )
    .await?;
    let mut tx: Transaction = base64::engine::general_purpose::STANDARD
        .decode(built["transaction"].as_str().context("transaction")?)
        .ok()
        .and_then(|bytes| bincode::deserialize(&bytes).ok())
        .context("the action's transaction does not decode")?;
    let blockhash = tx.message.recent_blockhash;
    tx.try_partial_sign(&[b], blockhash)?;
    d.ctx(b).send_signed(&tx).await?;
    say(format!(
        "VIP through the purchase link ({} rule(s) in actions.json): {} pressed {:?} and signed in its wallet",
        rules["rules"].as_array().map_or(0, Vec::len),
        b.pubkey(),
        button["label"].as_str().unwrap_or("?"),
    ));
    Ok(())
}

/// Both fans' wallets, funded.
pub(super) async fn fans(d: &Demo) -> Result<Vec<Keypair>> {
    d.wallets(2, SOL).await.context("funding the fans")
}
