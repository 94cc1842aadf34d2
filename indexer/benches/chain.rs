//! Chain figures, printed (needs the validator and Postgres of `scripts/bench-indexer.sh`):
//!   * a backfill of at least BENCH_PURCHASES (10,000) purchases from the validator:
//!     transactions and events per second, end to end (RPC fetch, decode, sink);
//!   * lag while live tailing a sustained sale: chain tip (confirmed) minus the slot the
//!     mirror is complete through (`synced_slot`), sampled every 100 ms once the tail's
//!     first round has closed the gap the backfill left, p50/p99/max, in slots and
//!     seconds (400 ms); that start-up gap is printed on its own.
use std::sync::Arc;
use std::time::{Duration, Instant};

use bitticket::state::EventConfig;
use bitticket_client::rpc::RpcSender;
use bitticket_client::*;
use bitticket_indexer::source::{self, Policy, RpcPool};
use bitticket_indexer::{Indexer, Settings, Sink};
use futures::StreamExt;
use solana_keypair::Keypair;
use solana_signer::Signer;
use sqlx::postgres::PgPoolOptions;

const SOL: u64 = 1_000_000_000;

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        eprintln!("chain bench: {name} is not set; run scripts/bench-indexer.sh");
        std::process::exit(2)
    })
}

struct Sale {
    event: solana_address::Address,
    shards: u8,
}

async fn setup(rpc: &RpcSender, supply: u32, shards: u8) -> Sale {
    let admin = Keypair::new();
    rpc.airdrop(&admin.pubkey(), 100 * SOL)
        .await
        .expect("airdrop");
    let org = organizer_pda(&admin.pubkey(), 1);
    let event = event_pda(&org, 0);
    let now = rpc.now().await.expect("clock");
    let config = EventConfig {
        price_lamports: 1_000,
        supply,
        sale_start: now + 2,
        sale_end: now + 7_200,
        resale_unlock: now + 7_200,
        max_per_wallet: u16::MAX,
        check_in_start: now + 2,
        check_in_end: now + 7_200,
        name: "Bench".into(),
        uri: String::new(),
    };
    let mut ixs = vec![
        ix_create_organizer(&admin.pubkey(), 1),
        ix_create_event(&org, &event, &admin.pubkey(), config, shards),
    ];
    ixs.extend((0..shards).map(|i| ix_open_shard(&org, &event, &admin.pubkey(), i)));
    for chunk in ixs.chunks(6) {
        rpc.send(chunk, &[&admin]).await.expect("set up");
    }
    while rpc.now().await.expect("clock") < now + 2 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Sale { event, shards }
}

/// Sends `n` purchases from `buyers` (64 in flight), returns their signatures.
async fn purchases(rpc: &RpcSender, sale: &Sale, buyers: &[Keypair], n: usize) -> Vec<String> {
    let rpc = &rpc;
    futures::stream::iter(0..n)
        .map(|i| async move {
            let b = &buyers[i % buyers.len()];
            let mint = ticket_mint(&b.pubkey());
            let ix = ix_purchase(
                &b.pubkey(),
                &sale.event,
                (i % sale.shards as usize) as u8,
                &mint.pubkey(),
            );
            loop {
                match rpc.send_only(std::slice::from_ref(&ix), &[b, &mint]).await {
                    Ok(sig) => return sig,
                    Err(e) => {
                        eprintln!("resend after: {e}");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                    }
                }
            }
        })
        .buffer_unordered(64)
        .collect()
        .await
}

async fn confirmed(pool: &RpcPool, sigs: &[String]) -> usize {
    let mut pending: Vec<String> = sigs.to_vec();
    let mut ok = 0;
    for _ in 0..600 {
        let statuses = source::signature_statuses(pool, &pending)
            .await
            .expect("statuses");
        let mut still = Vec::new();
        for (s, st) in pending.iter().zip(statuses) {
            match st {
                Some(st) if st.confirmation_status.is_some() => ok += 1,
                _ => still.push(s.clone()),
            }
        }
        pending = still;
        if pending.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    ok
}

fn pct(v: &mut [u64], p: f64) -> u64 {
    v.sort_unstable();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

#[tokio::main]
async fn main() {
    let admin_pg = env("BITTICKET_TEST_PG");
    let rpc_url = env("BITTICKET_TEST_RPC");
    let n: usize = std::env::var("BENCH_PURCHASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let rpc = RpcSender::new(&rpc_url);
    let pool = Arc::new(RpcPool::new(
        std::slice::from_ref(&rpc_url),
        Duration::from_secs(10),
        Policy::default(),
    ));
    let sale = setup(&rpc, (2 * n + 10_000) as u32, 8).await;
    let mut buyers = Vec::new();
    for _ in 0..32 {
        let b = Keypair::new();
        rpc.airdrop(&b.pubkey(), 400 * SOL).await.expect("airdrop");
        buyers.push(b);
    }
    let t0 = Instant::now();
    let sigs = purchases(&rpc, &sale, &buyers, n).await;
    let ok = confirmed(&pool, &sigs).await;
    let sale_s = t0.elapsed().as_secs_f64();

    let pg = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin_pg)
        .await
        .expect("pg");
    sqlx::query("DROP DATABASE IF EXISTS bench_chain")
        .execute(&pg)
        .await
        .expect("drop");
    sqlx::query("CREATE DATABASE bench_chain")
        .execute(&pg)
        .await
        .expect("create");
    let url = format!("{}/bench_chain", admin_pg.rsplit_once('/').expect("url").0);
    let sink = Sink::new(
        PgPoolOptions::new()
            .max_connections(8)
            .connect(&url)
            .await
            .expect("pg"),
    );
    sink.migrate().await.expect("migrate");
    let settings = Settings {
        rpc_urls: vec![rpc_url.clone()],
        ws_urls: vec![env("BITTICKET_TEST_WS")],
        database_url: url,
        program_id: bitticket::ID,
        commitment: "confirmed".into(),
        batch_size: 500,
        fetch_concurrency: 32,
        rpc_timeout_ms: 10_000,
        poll_ms: 100,
        balance_ms: 5_000,
        metrics_addr: String::new(),
    };
    let mut indexer = Indexer::new(&settings, pool.clone(), sink.clone())
        .await
        .expect("indexer");
    let t0 = Instant::now();
    indexer.snapshot().await.expect("snapshot");
    let snap_s = t0.elapsed().as_secs_f64();
    let t0 = Instant::now();
    let p = indexer.catch_up(&|_, _| {}).await.expect("backfill");
    let back_s = t0.elapsed().as_secs_f64();
    // the backfill's mark is the tip it listed from: as old as the backfill by now
    let backfilled = sink.synced_slot().await.expect("synced").unwrap_or(0);

    // live tail during a sustained sale
    let stop = Arc::new(tokio::sync::Notify::new());
    let tail = indexer.run(
        settings.ws_urls.clone(),
        Duration::from_millis(100),
        stop.clone(),
    );
    let sustained = n / 2;
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampling = {
        let sink = sink.clone();
        let pool = pool.clone();
        let done = done.clone();
        tokio::spawn(async move {
            // (steady-state lags, the gap the tail's first round closed)
            let mut lags = Vec::new();
            let mut start_gap = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                tokio::time::sleep(Duration::from_millis(100)).await;
                let tip = source::slot(&pool, "confirmed").await.unwrap_or(0);
                if let Ok(Some(synced)) = sink.synced_slot().await {
                    if synced == backfilled {
                        start_gap = tip.saturating_sub(synced);
                    } else {
                        lags.push(tip.saturating_sub(synced));
                    }
                }
            }
            (lags, start_gap)
        })
    };
    let drive = async {
        let t0 = Instant::now();
        let live = purchases(&rpc, &sale, &buyers, sustained).await;
        let live_ok = confirmed(&pool, &live).await;
        let live_s = t0.elapsed().as_secs_f64();
        tokio::time::sleep(Duration::from_secs(2)).await;
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        let (lags, start_gap) = sampling.await.expect("sampler");
        if std::env::var("BENCH_LAG_SERIES").is_ok() {
            eprintln!("lag series: {lags:?}");
        }
        stop.notify_one();
        (live_ok, live_s, lags, start_gap)
    };
    let (tailed, (live_ok, live_s, mut lags, start_gap)) = tokio::join!(tail, drive);
    tailed.expect("tail");
    println!("indexer chain bench (validator on loopback, 2 cores shared by validator, indexer, Postgres)");
    println!(
        "  sale: {ok}/{n} purchases confirmed in {sale_s:.1} s ({:.0}/s sent and confirmed)",
        ok as f64 / sale_s
    );
    println!("  snapshot: {snap_s:.2} s");
    println!(
        "  backfill: {} transactions, {} events in {back_s:.1} s: {:.0} transactions/s, {:.0} events/s end to end",
        p.transactions, p.events, p.transactions as f64 / back_s, p.events as f64 / back_s
    );
    println!("  sustained sale while tailing: {live_ok}/{sustained} purchases in {live_s:.1} s ({:.0}/s)", live_ok as f64 / live_s);
    if !lags.is_empty() {
        let (p50, p99, max) = (
            pct(&mut lags, 0.5),
            pct(&mut lags, 0.99),
            pct(&mut lags, 1.0),
        );
        println!(
            "  lag (confirmed tip - synced slot) once tailing, {} samples every 100 ms: p50 {p50} slots ({:.1} s), p99 {p99} slots ({:.1} s), max {max} slots",
            lags.len(), p50 as f64 * 0.4, p99 as f64 * 0.4
        );
        println!("  start-up: the tail's first round closed a gap of {start_gap} slots (the backfill's age)");
    }
}
