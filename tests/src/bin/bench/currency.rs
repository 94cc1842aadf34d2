//! The token purchase's CU distribution: a tier priced in a USDC-like mint (classic SPL
//! Token, then Token-2022), 200 fresh buyers each holding the currency, through the tier's
//! 16 shards whose tills are their associated token accounts.
use anyhow::{anyhow, Result};
use bitticket::state::{Phase, TierConfig};
use bitticket_tests::currency::{fund, new_currency, open_account, Ext};
use bitticket_tests::TOKEN_2022;
use bitticket_tests::*;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

use crate::{stats, write_set};

type Stats = (u64, u64, u64, u64);

/// 25 units of a 6-decimal currency.
const PRICE: u64 = 25_000_000;
const SHARDS: u8 = 16;

/// For a new event `id` of `org` with one tier in a new currency under `program`: the CU of
/// purchase_tier over 200 fresh buyers, and the instruction's write set.
pub(crate) fn token_purchase_sample(
    h: &mut Harness,
    admin: &Keypair,
    org: &Address,
    id: u64,
    program: Address,
) -> Result<(Stats, String)> {
    let a = admin.pubkey();
    let event = event_pda(org, id);
    let c = new_currency(h, program, Ext::None);
    h.set_time(T0);
    let send = |h: &mut Harness, ixs: &[solana_instruction::Instruction]| {
        h.send(ixs, &[admin])
            .map(|_| ())
            .map_err(|e| anyhow!("{:?}\n{}", e.err, e.meta.logs.join("\n")))
    };
    let tier = TierConfig {
        name: "VIP".into(),
        supply: 1_000,
        max_per_wallet: 4,
        phases: vec![Phase {
            start: T0 + 100,
            end: T0 + 10_000,
            price: PRICE,
            max_per_wallet: 4,
            allow_list: [0; 32],
        }],
    };
    send(
        h,
        &[
            ix_create_event(org, &event, &a, config(10, SOL / 10, 4), 1),
            ix_open_shard(org, &event, &a, 0),
            ix_create_tier_in(org, &event, &a, 0, tier, SHARDS, Some(&c.mint)),
        ],
    )?;
    for i in 1..=SHARDS {
        send(h, &[ix_open_tier_shard(org, &event, &a, 0, i)])?;
        open_account(h, &c, &shard_pda(&event, i));
    }
    h.set_time(T0 + 100);
    let mut samples = Vec::new();
    for i in 0..200usize {
        let buyer = Keypair::new();
        h.svm
            .airdrop(&buyer.pubkey(), SOL)
            .map_err(|e| anyhow!("airdrop: {e:?}"))?;
        fund(h, &c, &buyer.pubkey(), PRICE);
        let mint = ticket_mint(&buyer.pubkey());
        let shard = 1 + (i % usize::from(SHARDS)) as u8;
        let ix = ix_purchase_tier_in(
            &buyer.pubkey(),
            &event,
            0,
            shard,
            &mint.pubkey(),
            PRICE,
            vec![],
            Some(c),
        );
        let meta = h
            .send(&[ix], &[&buyer, &mint])
            .map_err(|e| anyhow!("purchase_tier: {:?}\n{}", e.err, e.meta.logs.join("\n")))?;
        if i == 0 && std::env::var_os("BENCH_LOGS").is_some() {
            for l in meta.logs.iter().filter(|l| l.contains("consum")) {
                println!("      {l}");
            }
        }
        samples.push(meta.compute_units_consumed);
    }
    let sample = ix_purchase_tier_in(
        &Keypair::new().pubkey(),
        &event,
        0,
        1,
        &Keypair::new().pubkey(),
        PRICE,
        vec![],
        Some(c),
    );
    let writes = write_set(
        "purchase_tier_token",
        &sample,
        &[event, tier_pda(&event, 0)],
    )?;
    Ok((stats(samples), writes))
}

/// Prints the token purchase's figures for both token programs; returns the classic
/// Token median.
pub(crate) fn token_figures(h: &mut Harness, admin: &Keypair, org: &Address) -> Result<u64> {
    let (classic, writes) = token_purchase_sample(h, admin, org, 3, TOKEN)?;
    let (t22, _) = token_purchase_sample(h, admin, org, 4, TOKEN_2022)?;
    println!("purchase_tier in a token currency, 200 fresh buyers (min, median, p95, max CU):");
    for (name, s) in [("SPL Token (USDC-like)", classic), ("Token-2022", t22)] {
        println!("  {name:<40} {:>6} {:>6} {:>6} {:>6}", s.0, s.1, s.2, s.3);
    }
    println!("purchase_tier in a token currency, write set: {writes}");
    Ok(classic.1)
}
