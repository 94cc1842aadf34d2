//! Act 8: what happened, as the API tells it; where to look next (the admin token into a
//! file only its owner reads, never the log).
use anyhow::{bail, Context, Result};
use serde_json::Value;

use super::box_office::{dusd, VIP_PRESALE, VIP_SOLD};
use super::event::Sale;
use super::{say, Cast, Demo, BUYERS, PRICE, ROYALTY};
use crate::output::sol;

pub(super) async fn act(d: &Demo, cast: &Cast, sale: &Sale, withdrawal: u64) -> Result<()> {
    let (org, event) = (cast.org, sale.event);
    let token = d.token(&cast.creator).await?;
    let shown = d
        .api_until(&token, &format!("/v1/events/{event}"), |v| {
            // in SOL, the tickets' price and the resale's royalty; in dUSD, the VIP tier's
            v["sales"]["swept_lamports"].as_u64() == Some(BUYERS as u64 * PRICE + ROYALTY)
                && v["tiers"][0]["sales"]["swept"].as_u64() == Some(VIP_SOLD as u64 * VIP_PRESALE)
        })
        .await?;
    let sold = d
        .all(
            &token,
            &format!("/v1/organizers/{org}/events/{event}/tickets"),
        )
        .await?;
    if sold.len() != BUYERS + VIP_SOLD {
        bail!(
            "the API lists {} tickets of the event, not {}",
            sold.len(),
            BUYERS + VIP_SOLD
        );
    }
    let checked: Vec<Value> = d
        .all(
            &token,
            &format!("/v1/organizers/{org}/check-ins?event={event}"),
        )
        .await?;
    let want = withdrawal.to_string();
    let vault_view = d
        .api_until(&token, &format!("/v1/organizers/{org}/proposals"), |v| {
            v["items"].as_array().is_some_and(|p| {
                p.iter().any(|p| {
                    p["index"].as_str() == Some(want.as_str()) && p["status"] == "executed"
                })
            })
        })
        .await?;
    let vault_now = d
        .api(&token, &format!("/v1/organizers/{org}/vault"))
        .await?;
    println!("what the API says:");
    say(format!(
        "event {:?}: {} sold, revenue {} SOL, swept {} SOL; VIP swept {}",
        shown["name"].as_str().unwrap_or("?"),
        shown["sales"]["sold"],
        sol(shown["sales"]["revenue_lamports"].as_u64().unwrap_or(0)),
        sol(shown["sales"]["swept_lamports"].as_u64().unwrap_or(0)),
        dusd(&sale.usd).show(shown["tiers"][0]["sales"]["swept"].as_u64().unwrap_or(0)),
    ));
    say(format!("tickets listed for the organizer: {}", sold.len()));
    say(format!("check-ins: {}", checked.len()));
    say(format!(
        "proposals: {}; vault {} SOL",
        vault_view["items"].as_array().map(Vec::len).unwrap_or(0),
        sol(vault_now["lamports"].as_u64().unwrap_or(0))
    ));
    println!("API: {}", d.opts.api_url);
    // a live admin token is a secret: into a file only its owner reads, never the log
    let url = format!(
        "{}/v1/organizers/{org}/events/{event}/tickets",
        d.opts.api_url
    );
    match std::env::var("BITTICKET_DEMO_TOKEN_FILE") {
        Ok(path) => {
            use std::io::Write;
            use std::os::unix::fs::OpenOptionsExt;
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(&path)
                .with_context(|| format!("writing the admin token to {path}"))?;
            f.write_all(token.as_bytes())?;
            println!("try: curl -s -H \"Authorization: Bearer $(cat {path})\" {url}");
        }
        Err(_) => println!("try: sign in (POST /v1/auth/nonce, /v1/auth/sign-in), then GET {url}"),
    }
    Ok(())
}
