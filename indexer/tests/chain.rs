//! The indexer against a real validator and a real Postgres: the scripted sale mirrored
//! exactly, crashes, a live tail with a leader takeover.

use std::sync::Arc;

use bitticket_client::rpc::RpcSender;
use bitticket_indexer::source::{Policy, RpcPool};
use bitticket_indexer::{verify, Indexer};
use bitticket_testkit::chain::*;
use bitticket_testkit::mirror::*;

async fn assert_mirror_equals_chain(sink: &bitticket_indexer::Sink, url: &str) {
    let s = settings(url, 100);
    let rpc = RpcPool::new(&s.rpc_urls, s.rpc_timeout(), Policy::default());
    let mut diffs = verify::accounts(&rpc, sink, &s.program_id, "confirmed")
        .await
        .expect("verify accounts");
    diffs.extend(
        verify::events(&rpc, sink, &s.program_id, "confirmed", 8)
            .await
            .expect("verify events"),
    );
    let text: Vec<String> = diffs.iter().map(|d| d.to_string()).collect();
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        text.join("\n")
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scripted_sale_is_mirrored_exactly() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let expected = scripted_sale(&rpc, 12).await;
    let (sink, url) = fresh_db().await;
    let s = settings(&url, 7);
    let (mut indexer, _) = in_process(&s, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    let p = indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert!(p.transactions > 0);
    assert_mirror_equals_chain(&sink, &url).await;
    // this sale's rows (the chain may hold other tests' history too: at least these)
    for (table, n) in [
        ("purchases", expected.purchases),
        ("transfers", expected.transfers),
        ("check_ins", expected.check_ins),
        ("refunds", expected.refunds),
        ("sweeps", expected.sweeps),
        ("spending_limit_uses", expected.limit_uses),
        ("executions", expected.executions),
        (
            "resales",
            expected.listed + expected.resold + expected.delisted,
        ),
    ] {
        assert!(count(&sink, table).await >= n, "{table}: fewer than {n}");
    }
    // the sold and the delisted listings are closed in the mirror; the third stands
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM listings l JOIN events e ON e.pubkey = l.event
         WHERE e.organizer = $1 AND l.closed_slot IS NULL",
    )
    .bind(expected.organizer.to_string())
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_eq!(open, expected.listed - expected.resold - expected.delisted);
    // a ticket burned before the mirror first read it has no row: every live one is a
    // ticket that stands (`verify` above compared each with its account)
    let live: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM tickets t JOIN events e ON e.pubkey = t.event
         WHERE e.organizer = $1 AND t.closed_slot IS NULL",
    )
    .bind(expected.organizer.to_string())
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_eq!(live, expected.purchases - expected.burned);
    // every live shard names the manager who opened it (a shard closed before the mirror
    // first read it has no row)
    let unnamed: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM shards sh JOIN events e ON e.pubkey = sh.event
         WHERE e.organizer = $1 AND sh.closed_slot IS NULL AND sh.opened_by = ''",
    )
    .bind(expected.organizer.to_string())
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_eq!(unnamed, 0);
    let royalty: Option<String> = sqlx::query_scalar(
        "SELECT royalty::text FROM resales r JOIN events e ON e.pubkey = r.event
         WHERE e.organizer = $1 AND r.kind = 'sold'",
    )
    .bind(expected.organizer.to_string())
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert!(royalty.is_some_and(|r| r != "0"), "a royalty was paid");
    // the USDC tier and its shard: its currency, and its books in the currency's units
    // (bought at 25 USDC, refunded in full)
    let usdc: (String, i32, String, String, String) = sqlx::query_as(
        "SELECT t.currency, t.currency_decimals, sh.currency, sh.revenue::text, sh.refunded::text
         FROM tiers t JOIN shards sh ON sh.event = t.event AND sh.tier = t.index
         WHERE t.event = $1 AND t.index = 1",
    )
    .bind(expected.events[1].to_string())
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_ne!(usdc.0, bitticket::constants::SOL_CURRENCY.to_string());
    assert_eq!(usdc.1, 6);
    assert_eq!(usdc.2, usdc.0);
    assert_eq!((usdc.3.as_str(), usdc.4.as_str()), ("25000000", "25000000"));
    // nothing doubled: one row per (signature, event index) and per transaction
    let dup: i64 = sqlx::query_scalar(
        "SELECT count(*) - count(DISTINCT (signature, event_index)) FROM event_log",
    )
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_eq!(dup, 0);
    assert_eq!(count(&sink, "ingest_errors").await, 0);
    // a second catch-up finds nothing new and changes nothing
    let again = indexer.catch_up(&|_, _| {}).await.expect("catch up again");
    assert_eq!(again.transactions, 0);

    // a fork: a slot the cluster never finalized wrote a transfer and a ticket holder
    // (newer by slot than the truth); once the finalized root passes it, it is undone
    let ticket: String = sqlx::query_scalar("SELECT pubkey FROM tickets LIMIT 1")
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    let ticket: solana_address::Address = ticket.parse().unwrap();
    let root = bitticket_indexer::source::slot(&indexer.rpc, "finalized")
        .await
        .unwrap();
    let thief = solana_address::Address::new_unique();
    let dead = unused_slot_after(&sink, root).await;
    let fake_signature = solana_signature::Signature::from([7u8; 64]).to_string();
    let mut forked = tx(&fake_signature, dead, thief, &[]);
    forked.accounts = vec![thief, ticket];
    let mut t: bitticket::state::Ticket = rpc.account(&ticket).await.unwrap();
    t.holder = thief;
    sink.write(&bitticket_indexer::sink::Batch {
        txs: vec![forked],
        accounts: vec![update(
            ticket,
            dead + 1_000_000,
            bitticket_indexer::decode::ProgramAccount::Ticket(Box::new(t)),
        )],
        ..Default::default()
    })
    .await
    .unwrap();
    let mut undone = 0;
    for _ in 0..200 {
        let (_, dead_slots) = indexer.finalize_step().await.expect("finalize step");
        undone += dead_slots;
        if undone > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(undone, 1, "the forked slot was not undone");
    let holder: String = sqlx::query_scalar("SELECT holder FROM tickets WHERE pubkey = $1")
        .bind(ticket.to_string())
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_ne!(holder, thief.to_string());
    // every real slot below the root is final now
    let open: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM purchases JOIN slots USING (slot) WHERE status <> 'finalized'",
    )
    .fetch_one(&sink.pool)
    .await
    .unwrap();
    assert_eq!(open, 0);
    assert_mirror_equals_chain(&sink, &url).await;
}

/// `n` purchases by fresh wallets, sent without waiting, then confirmed.
async fn many_purchases(rpc: &RpcSender, s: &Sale, n: usize) {
    let mut sigs = Vec::new();
    for i in 0..n {
        let b = wallet(rpc, SOL / 2).await;
        let mint = bitticket_client::ticket_mint(&solana_signer::Signer::pubkey(&b));
        let ix = bitticket_client::ix_purchase(
            &solana_signer::Signer::pubkey(&b),
            &s.event,
            (i % s.shards as usize) as u8,
            &solana_signer::Signer::pubkey(&mint),
        );
        sigs.push(
            rpc.send_only(&[ix], &[&b, &mint])
                .await
                .expect("send purchase"),
        );
    }
    for sig in sigs {
        let sig: solana_signature::Signature = sig.parse().expect("signature");
        loop {
            if rpc.client.confirm_transaction(&sig).await.expect("confirm") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}

/// An indexer process, killed (SIGKILL) and reaped when dropped: by the test, or by the
/// unwinding of a failed assertion, so no process outlives its test.
struct Process(std::process::Child);

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn indexer(url: &str, command: &str, batch: usize) -> Process {
    indexer_with(url, command, batch, &ws_url())
}

fn indexer_with(url: &str, command: &str, batch: usize, ws: &str) -> Process {
    Process(
        std::process::Command::new(env!("CARGO_BIN_EXE_bitticket-indexer"))
            .arg(command)
            .env("DATABASE_URL", url)
            .env("BITTICKET_RPC_URLS", rpc_url())
            .env("BITTICKET_WS_URLS", ws)
            .env("BITTICKET_BATCH_SIZE", batch.to_string())
            .env("BITTICKET_FETCH_CONCURRENCY", "2")
            .env("BITTICKET_POLL_MS", "200")
            .env("BITTICKET_METRICS_ADDR", "")
            .env("RUST_LOG", "warn")
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("start the indexer"),
    )
}

fn random_ms(lo: u64, hi: u64) -> std::time::Duration {
    use rand::Rng;
    std::time::Duration::from_millis(rand::rng().random_range(lo..hi))
}

async fn no_duplicates(sink: &bitticket_indexer::Sink) {
    for (table, key) in [
        ("event_log", "(signature, event_index)"),
        ("purchases", "(signature, event_index)"),
        ("transactions", "signature"),
    ] {
        let dup: i64 = sqlx::query_scalar(&format!(
            "SELECT count(*) - count(DISTINCT {key}) FROM {table}"
        ))
        .fetch_one(&sink.pool)
        .await
        .unwrap();
        assert_eq!(dup, 0, "{table}");
    }
}

/// Waits until the mirror's checkpoint is the program's newest signature.
/// A slot past the finalized `root` where the mirror holds no transaction: forging one
/// there fakes a fork's block without sharing a slot with a real transaction (a real
/// block's slot is final, a forged signature in it would make the whole slot dropped).
async fn unused_slot_after(sink: &bitticket_indexer::Sink, root: u64) -> u64 {
    let mut slot = root + 1;
    loop {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions WHERE slot = $1")
            .bind(slot as i64)
            .fetch_one(&sink.pool)
            .await
            .expect("count");
        if n == 0 {
            return slot;
        }
        slot += 1;
    }
}

async fn caught_up(sink: &bitticket_indexer::Sink) {
    let rpc = RpcPool::new(
        &[rpc_url()],
        std::time::Duration::from_secs(10),
        Policy::default(),
    );
    let newest =
        bitticket_indexer::source::signatures_since(&rpc, &bitticket::ID, None, 0, "confirmed")
            .await
            .expect("signatures")
            .pop()
            .map(|s| s.signature);
    for _ in 0..300 {
        if sink.checkpoint().await.unwrap().and_then(|c| c.signature) == newest {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the indexer did not catch up within 30 s");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_at_random_points_the_indexer_resumes_with_nothing_lost_or_doubled() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 200, 2, 2, 3, 3_600).await;
    wait_until(&rpc, s.config.sale_start).await;
    many_purchases(&rpc, &s, 20).await;
    let (sink, url) = fresh_db().await;
    // a backfill of the whole program history, killed again and again
    for _ in 0..6 {
        let child = indexer(&url, "backfill", 3);
        tokio::time::sleep(random_ms(100, 1_500)).await;
        drop(child); // SIGKILL
    }
    // a live tail, killed while purchases land
    let buying = {
        let url = rpc_url();
        let event = s.event;
        let shards = s.shards;
        let admin = s.admin.insecure_clone();
        tokio::spawn(async move {
            let rpc = RpcSender::new(&url);
            let s = Sale {
                admin,
                organizer: s.organizer,
                event,
                config: s.config.clone(),
                shards,
            };
            many_purchases(&rpc, &s, 15).await;
        })
    };
    for _ in 0..5 {
        let child = indexer(&url, "run", 2);
        tokio::time::sleep(random_ms(300, 2_000)).await;
        drop(child);
    }
    buying.await.expect("purchases");
    let child = indexer(&url, "run", 50);
    caught_up(&sink).await;
    drop(child);
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_standby_takes_over_when_the_writer_dies() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 1, 2, 3, 3_600).await;
    wait_until(&rpc, s.config.sale_start).await;
    let (sink, url) = fresh_db().await;
    let writer = indexer(&url, "run", 20);
    // the writer holds the lock before the standby starts
    for _ in 0..100 {
        let held: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted",
        )
        .fetch_one(&sink.pool)
        .await
        .unwrap();
        if held == 1 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    // the standby has no websocket (a closed port): it tails by polling
    let standby = indexer_with(&url, "run", 20, "ws://127.0.0.1:1");
    many_purchases(&rpc, &s, 5).await;
    caught_up(&sink).await;
    drop(writer);
    many_purchases(&rpc, &s, 5).await;
    caught_up(&sink).await;
    drop(standby);
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_faulty_endpoint_the_indexer_fails_over_and_stays_exact() {
    use bitticket_testkit::proxy::{Odds, Proxy};
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 2, 2, 3, 3_600).await;
    wait_until(&rpc, s.config.sale_start).await;
    many_purchases(&rpc, &s, 10).await;
    let bad = Odds {
        http_500: 0.2,
        http_429: 0.15,
        behind: 0.1,
        hang: 0.05,
        drop: 0.1,
    };
    // the first endpoint fails half the time; the second only now and then
    // it starts dead: as the first endpoint it is tried first, fails, and its health
    // score sends the next calls to the second
    let flaky = Proxy::start(
        rpc_url(),
        Odds {
            drop: 1.0,
            ..Odds::default()
        },
    )
    .await;
    let mostly = Proxy::start(
        rpc_url(),
        Odds {
            http_500: 0.05,
            drop: 0.05,
            ..Odds::default()
        },
    )
    .await;
    let (sink, url) = fresh_db().await;
    let mut cfg = settings(&url, 5);
    cfg.rpc_urls = vec![flaky.url.clone(), mostly.url.clone()];
    cfg.rpc_timeout_ms = 1_000;
    let policy = Policy {
        max_attempts: 40,
        ..Policy::default()
    };
    let pool = Arc::new(RpcPool::new(&cfg.rpc_urls, cfg.rpc_timeout(), policy));
    let mut indexer = Indexer::new(&cfg, pool.clone(), sink.clone())
        .await
        .expect("indexer");
    indexer.snapshot().await.expect("snapshot through faults");
    let opened = flaky.faults.load(std::sync::atomic::Ordering::Relaxed);
    assert!(opened >= 1, "the dead endpoint was never tried");
    flaky.set(bad);
    indexer
        .catch_up(&|_, _| {})
        .await
        .expect("catch up through faults");
    // the first endpoint goes down completely, mid-way; new purchases still arrive
    flaky.set(Odds {
        drop: 1.0,
        ..Odds::default()
    });
    many_purchases(&rpc, &s, 5).await;
    indexer
        .catch_up(&|_, _| {})
        .await
        .expect("catch up with one endpoint down");
    let faults = flaky.faults.load(std::sync::atomic::Ordering::Relaxed)
        + mostly.faults.load(std::sync::atomic::Ordering::Relaxed);
    assert!(faults >= 1, "the proxies injected no fault");
    assert!(
        mostly.passed.load(std::sync::atomic::Ordering::Relaxed) > 0,
        "no failover happened"
    );
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_forged_by_another_program_are_ignored() {
    use anchor_lang::{Event as _, InstructionData, ToAccountMetas};
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 10, 1, 60, 61, 3_600).await;
    let fake_ticket = solana_address::Address::new_unique();
    let forged = bitticket::events::TicketPurchased {
        event: s.event,
        shard: bitticket_client::shard_pda(&s.event, 0),
        ticket: fake_ticket,
        mint: solana_address::Address::new_unique(),
        buyer: solana_signer::Signer::pubkey(&s.admin),
        serial: 0,
        price_lamports: 1,
        shard_sold: 1,
        tier: bitticket::constants::NO_TIER,
        phase: 0,
        shard_revenue: 1,
    }
    .data();
    // the forged line in the same transaction as a real instruction of ours, and again
    // in a transaction that only names our program as an account
    let mut metas = forger::accounts::Forge {}.to_account_metas(None);
    metas.push(solana_instruction::AccountMeta::new_readonly(
        bitticket::ID,
        false,
    ));
    let forge = solana_instruction::Instruction {
        program_id: forger::ID,
        accounts: metas,
        data: forger::instruction::Forge { data: forged }.data(),
    };
    let admin = solana_signer::Signer::pubkey(&s.admin);
    let with_ours = send(
        &rpc,
        "forge beside a real instruction",
        &[
            forge.clone(),
            bitticket_client::ix_set_paused(&s.organizer, &s.event, &admin, true),
        ],
        &[&s.admin],
    )
    .await;
    let alone = send(&rpc, "forge alone", &[forge], &[&s.admin]).await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM event_log WHERE signature = ANY($1) ORDER BY kind")
            .bind(vec![with_ours.clone(), alone.clone()])
            .fetch_all(&sink.pool)
            .await
            .unwrap();
    assert_eq!(
        kinds,
        vec!["EventPauseChanged"],
        "only our program's own event counts"
    );
    let fake: i64 = sqlx::query_scalar("SELECT count(*) FROM purchases WHERE ticket = $1")
        .bind(fake_ticket.to_string())
        .fetch_one(&sink.pool)
        .await
        .unwrap();
    assert_eq!(fake, 0);
    // the transaction our program ran in is in the raw log, with its signer; the one
    // that only names our program as an account is not the program's history
    let stored: Vec<(String, String)> =
        sqlx::query_as("SELECT signature, signer FROM transactions WHERE signature = ANY($1)")
            .bind(vec![with_ours.clone(), alone])
            .fetch_all(&sink.pool)
            .await
            .unwrap();
    assert_eq!(stored, vec![(with_ours, admin.to_string())]);
    assert_mirror_equals_chain(&sink, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_websocket_is_resubscribed_and_nothing_is_missed() {
    use bitticket_testkit::proxy::Relay;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 2, 2, 3, 3_600).await;
    wait_until(&rpc, s.config.sale_start).await;
    let ws = ws_url();
    let relay = Relay::start(ws.trim_start_matches("ws://").to_string()).await;
    let (sink, url) = fresh_db().await;
    let mut cfg = settings(&url, 20);
    cfg.ws_urls = vec![relay.url.clone()];
    // a slow timer: between wake-ups the tail waits 3 s, so the socket matters
    cfg.poll_ms = 3_000;
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    let stop = Arc::new(tokio::sync::Notify::new());
    let tail = {
        let (ws, poll, stop) = (cfg.ws_urls.clone(), cfg.poll_interval(), stop.clone());
        tokio::spawn(async move { indexer.run(ws, poll, stop).await })
    };
    for _ in 0..3 {
        many_purchases(&rpc, &s, 4).await;
        relay.drop_all();
    }
    many_purchases(&rpc, &s, 4).await;
    caught_up(&sink).await;
    stop.notify_one();
    tail.await.expect("tail task").expect("tail");
    assert!(
        relay.connections.load(std::sync::atomic::Ordering::Relaxed) >= 3,
        "the indexer did not resubscribe after the drops"
    );
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_endpoint_opens_its_breaker_and_a_probe_closes_it() {
    use bitticket_indexer::source::Breaker;
    use bitticket_testkit::proxy::{Odds, Proxy};
    let _chain = CHAIN.lock().await;
    let dead = Proxy::start(
        rpc_url(),
        Odds {
            http_500: 1.0,
            ..Odds::default()
        },
    )
    .await;
    let policy = Policy {
        max_attempts: 4,
        open_for: std::time::Duration::from_millis(300),
        ..Policy::default()
    };
    let pool = RpcPool::new(
        std::slice::from_ref(&dead.url),
        std::time::Duration::from_secs(2),
        policy,
    );
    let r = bitticket_indexer::source::slot(&pool, "confirmed").await;
    assert!(r.is_err(), "every attempt should have failed");
    assert_eq!(pool.breakers()[0].1, Breaker::Open);
    // the failures that opened it
    let before = dead.faults.load(std::sync::atomic::Ordering::Relaxed);
    assert!(before >= 3, "{before} failures before the breaker opened");
    // the node recovers; after `open_for` one probe goes through and closes the breaker
    dead.set(Odds::default());
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    assert_eq!(pool.breakers()[0].1, Breaker::HalfOpen);
    bitticket_indexer::source::slot(&pool, "confirmed")
        .await
        .expect("the probe succeeds");
    assert_eq!(pool.breakers()[0].1, Breaker::Closed);
}

/// A burst of purchases lands several to a slot: such a slot is read with one getBlock
/// (counted at a proxy), and what the block gives equals each transaction read alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dense_slot_is_read_with_one_get_block() {
    use bitticket_indexer::pipeline::BLOCK_FETCH_MIN;
    use bitticket_indexer::source;
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 200, 4, 0, 1, 3_600).await;
    let direct = RpcPool::new(
        &[rpc_url()],
        std::time::Duration::from_secs(10),
        Policy::default(),
    );
    // up to three bursts, until one slot holds BLOCK_FETCH_MIN of them
    let mut dense = None;
    for _ in 0..3 {
        let buyers: Vec<_> =
            futures::future::join_all((0..2 * BLOCK_FETCH_MIN).map(|_| wallet(&rpc, SOL / 2)))
                .await;
        let txs: Vec<_> = buyers
            .iter()
            .enumerate()
            .map(|(i, b)| {
                let mint = bitticket_client::ticket_mint(&b.pubkey());
                let ix = bitticket_client::ix_purchase(
                    &b.pubkey(),
                    &s.event,
                    (i % 4) as u8,
                    &mint.pubkey(),
                );
                (ix, b, mint)
            })
            .collect();
        let sigs: Vec<String> = futures::future::join_all(txs.iter().map(|(ix, b, mint)| {
            let rpc = &rpc;
            async move { rpc.send_only(std::slice::from_ref(ix), &[*b, mint]).await }
        }))
        .await
        .into_iter()
        .map(|r| r.expect("send purchase"))
        .collect();
        let mut slots = std::collections::HashMap::<u64, Vec<String>>::new();
        for _ in 0..100 {
            let st = source::signature_statuses(&direct, &sigs)
                .await
                .expect("statuses");
            if st
                .iter()
                .all(|s| s.as_ref().is_some_and(|s| s.confirmation_status.is_some()))
            {
                for (sig, st) in sigs.iter().zip(st) {
                    slots
                        .entry(st.expect("status").slot)
                        .or_default()
                        .push(sig.clone());
                }
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        dense = slots.into_iter().find(|(_, v)| v.len() >= BLOCK_FETCH_MIN);
        if dense.is_some() {
            break;
        }
    }
    let (slot, sigs) = dense.expect("no slot held BLOCK_FETCH_MIN of a burst in three tries");
    // the block's view of these transactions equals getTransaction's, field by field
    let wanted: std::collections::HashSet<&str> = sigs.iter().map(String::as_str).collect();
    let from_block = source::fetch_block(&direct, slot, &wanted, "confirmed")
        .await
        .expect("getBlock");
    assert_eq!(from_block.len(), sigs.len());
    for t in &from_block {
        let alone = source::fetch_transaction(&direct, &t.signature, "confirmed")
            .await
            .expect("getTransaction");
        assert_eq!(t, &alone);
        assert!(t.err.is_none() && t.logs.is_some());
    }
    // the indexer behind a counting proxy: one getBlock per dense slot, one
    // getTransaction for each of the other transactions
    let history = source::signatures_since(&direct, &bitticket::ID, None, 0, "confirmed")
        .await
        .expect("history");
    let dense_slots: Vec<usize> = history
        .chunk_by(|a, b| a.slot == b.slot)
        .map(|g| g.len())
        .filter(|n| *n >= BLOCK_FETCH_MIN)
        .collect();
    let proxy = bitticket_testkit::proxy::Proxy::start(
        rpc_url(),
        bitticket_testkit::proxy::Odds::default(),
    )
    .await;
    let (sink, url) = fresh_db().await;
    let mut cfg = settings(&url, 500);
    cfg.rpc_urls = vec![proxy.url.clone()];
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    let p = indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert_eq!(p.transactions, history.len());
    assert_eq!(proxy.calls("getBlock"), dense_slots.len() as u64);
    assert_eq!(
        proxy.calls("getTransaction"),
        (history.len() - dense_slots.iter().sum::<usize>()) as u64
    );
    indexer.snapshot().await.expect("snapshot");
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
    // on a quiet chain the checkpoint stays on the last transaction, but the mirror is
    // known current up to the tip the last catch-up listed from
    let checkpoint = sink.checkpoint().await.expect("checkpoint").expect("some");
    let tip = source::slot(&direct, "confirmed").await.expect("slot");
    assert!(tip > checkpoint.slot);
    let p = indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert_eq!(p.transactions, 0);
    assert_eq!(
        sink.checkpoint().await.expect("checkpoint"),
        Some(checkpoint)
    );
    let synced = sink.synced_slot().await.expect("synced").expect("some");
    assert!(synced >= tip, "synced {synced} < tip {tip}");
}

/// A fork undone while the tail runs, with purchases landing: the writer drops what was
/// built before the undo, the tail lists again from the checkpoint, nothing is lost.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fork_undone_while_tailing_loses_nothing() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 2, 0, 1, 3_600).await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, pool) = in_process(&cfg, &sink).await;
    let stop = Arc::new(tokio::sync::Notify::new());
    let tail = {
        let stop = stop.clone();
        let ws = cfg.ws_urls.clone();
        tokio::spawn(async move {
            indexer
                .run(ws, std::time::Duration::from_millis(200), stop)
                .await
                .expect("run");
            indexer
        })
    };
    many_purchases(&rpc, &s, 4).await;
    caught_up(&sink).await;
    // a transaction of a slot the cluster never finalized, as if ingested from a fork
    let root = bitticket_indexer::source::slot(&pool, "finalized")
        .await
        .expect("root");
    let fake = solana_signature::Signature::from([9u8; 64]).to_string();
    let buyer = solana_address::Address::new_unique();
    sink.write(&bitticket_indexer::sink::Batch {
        txs: vec![tx(&fake, unused_slot_after(&sink, root).await, buyer, &[])],
        ..Default::default()
    })
    .await
    .expect("forged write");
    let buying = {
        let url = rpc_url();
        let (event, organizer, config, shards) = (s.event, s.organizer, s.config.clone(), s.shards);
        let admin = s.admin.insecure_clone();
        tokio::spawn(async move {
            let rpc = RpcSender::new(&url);
            let s = Sale {
                admin,
                organizer,
                event,
                config,
                shards,
            };
            many_purchases(&rpc, &s, 6).await;
        })
    };
    let mut gone = false;
    for _ in 0..300 {
        let n: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions WHERE signature = $1")
            .bind(&fake)
            .fetch_one(&sink.pool)
            .await
            .expect("count");
        if n == 0 {
            gone = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(gone, "the forked transaction was not undone");
    buying.await.expect("purchases");
    caught_up(&sink).await;
    stop.notify_one();
    let indexer = tail.await.expect("tail");
    assert!(indexer.epoch() >= 1, "the undo did not move the epoch");
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

/// A slot is final only when every transaction the mirror holds for it is: one the
/// cluster does not know (a second version of the slot's block, forged here) makes the
/// whole slot dropped, even beside a real finalized transaction. The undo takes the slot
/// out; the next catch-up brings its real transaction back.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slot_is_final_only_when_all_its_transactions_are() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 2, 0, 1, 3_600).await;
    many_purchases(&rpc, &s, 3).await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let (slot, real): (i64, String) = sqlx::query_as(
        "SELECT slot, signature FROM transactions ORDER BY slot DESC, signature LIMIT 1",
    )
    .fetch_one(&sink.pool)
    .await
    .expect("newest transaction");
    let fake = solana_signature::Signature::from([5u8; 64]).to_string();
    sink.write(&bitticket_indexer::sink::Batch {
        txs: vec![tx(
            &fake,
            slot as u64,
            solana_address::Address::new_unique(),
            &[],
        )],
        ..Default::default()
    })
    .await
    .expect("forged write");
    let mut undone = 0;
    for _ in 0..200 {
        let (_, dead) = indexer.finalize_step().await.expect("finalize step");
        undone += dead;
        if undone > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    assert_eq!(undone, 1, "the slot was not dropped");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM transactions WHERE slot = $1")
        .bind(slot)
        .fetch_one(&sink.pool)
        .await
        .expect("count");
    assert_eq!(
        left, 0,
        "the whole slot is undone, its real transaction too"
    );
    let checkpoint = sink.checkpoint().await.expect("checkpoint").expect("some");
    assert!(checkpoint.slot < slot as u64);
    // the next catch-up lists again from the rewound checkpoint
    let p = indexer.catch_up(&|_, _| {}).await.expect("catch up again");
    assert!(p.transactions >= 1);
    let back: Vec<String> =
        sqlx::query_scalar("SELECT signature FROM transactions WHERE slot = $1 ORDER BY 1")
            .bind(slot)
            .fetch_all(&sink.pool)
            .await
            .expect("slot");
    assert!(back.contains(&real) && !back.contains(&fake), "{back:?}");
    let (finalized, dead) = indexer.finalize_step().await.expect("finalize step");
    assert_eq!(dead, 0);
    assert!(finalized >= 1);
    let status: String = sqlx::query_scalar("SELECT status FROM slots WHERE slot = $1")
        .bind(slot)
        .fetch_one(&sink.pool)
        .await
        .expect("status");
    assert_eq!(status, "finalized");
    no_duplicates(&sink).await;
    assert_mirror_equals_chain(&sink, &url).await;
}

/// `backfill` and `rebuild` finish what they report: `finalize_all` takes every slot at or
/// below the finalized root, however many steps of `finalize_chunk` slots that needs (one
/// step stopped at 256 before).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn finalize_all_leaves_nothing_pending_below_the_root() {
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 100, 2, 0, 1, 3_600).await;
    many_purchases(&rpc, &s, 3).await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let newest: i64 = sqlx::query_scalar("SELECT max(slot) FROM slots")
        .fetch_one(&sink.pool)
        .await
        .expect("newest slot");
    for _ in 0..240 {
        let root = bitticket_indexer::source::slot(&indexer.rpc, "finalized")
            .await
            .expect("root");
        if root >= newest as u64 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    let slots = count(&sink, "slots").await;
    assert!(slots >= 2, "the sale spans {slots} slot(s)");
    indexer.finalize_chunk = 1;
    let (finalized, undone) = indexer.finalize_all().await.expect("finalize all");
    assert_eq!(undone, 0);
    assert_eq!(finalized as i64, slots);
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM slots WHERE status <> 'finalized'")
        .fetch_one(&sink.pool)
        .await
        .expect("pending");
    assert_eq!(pending, 0);
}

/// An event priced past i64 (any u64 is a valid price) is mirrored whole, and `verify`
/// compares the converted columns with the chain's values as decoded, not through the
/// sink's own conversions: a clamped price in the mirror is reported.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_price_past_i64_is_mirrored_whole_and_verify_reads_it_independently() {
    use bitticket_client::{event_pda, ix_create_event, ix_create_organizer, organizer_pda};
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let admin = wallet(&rpc, 10 * SOL).await;
    let organizer = organizer_pda(&admin.pubkey(), 1);
    let event = event_pda(&organizer, 0);
    let now = rpc.now().await.expect("clock");
    let mut c = config(now, 10, 0, 1, 3_600);
    c.price_lamports = 10_000_000_000_000_000_000;
    send(
        &rpc,
        "an event priced at 10^19 lamports",
        &[
            ix_create_organizer(&admin.pubkey(), 1),
            ix_create_event(&organizer, &event, &admin.pubkey(), c, 1),
        ],
        &[&admin],
    )
    .await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let price: String =
        sqlx::query_scalar("SELECT price_lamports::text FROM events WHERE pubkey = $1")
            .bind(event.to_string())
            .fetch_one(&sink.pool)
            .await
            .expect("price");
    assert_eq!(price, "10000000000000000000");
    assert_mirror_equals_chain(&sink, &url).await;
    // the clamp of old, put back by hand: verify names the column
    sqlx::query("UPDATE events SET price_lamports = 9223372036854775807 WHERE pubkey = $1")
        .bind(event.to_string())
        .execute(&sink.pool)
        .await
        .expect("clamp");
    let s = settings(&url, 100);
    let pool = RpcPool::new(&s.rpc_urls, s.rpc_timeout(), Policy::default());
    let diffs = verify::accounts(&pool, &sink, &s.program_id, "confirmed")
        .await
        .expect("verify");
    let named = diffs.iter().find(|d| d.table == "events.price_lamports");
    let named = named.unwrap_or_else(|| panic!("not reported: {diffs:?}"));
    assert_eq!(named.key, event.to_string());
    assert_eq!(named.chain.as_deref(), Some("10000000000000000000"));
    assert_eq!(named.mirror.as_deref(), Some("9223372036854775807"));
}

/// SOL sent straight to a shard or a vault (a plain transfer: no program transaction
/// records it) reaches the mirror through the balance refresh, and the mirror equals the
/// chain again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sol_sent_straight_to_a_shard_or_a_vault_is_mirrored() {
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 10, 1, 0, 1, 3_600).await;
    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert_eq!(indexer.refresh_balances().await.expect("refresh"), 0);
    let shard = bitticket_client::shard_pda(&s.event, 0);
    let vault = bitticket_client::vault_pda(&s.organizer);
    let before: i64 = sqlx::query_scalar("SELECT lamports FROM shards WHERE pubkey = $1")
        .bind(shard.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect("shard");
    let payer = wallet(&rpc, SOL).await;
    send(
        &rpc,
        "plain transfers",
        &[
            solana_system_interface::instruction::transfer(&payer.pubkey(), &shard, 12_345),
            solana_system_interface::instruction::transfer(&payer.pubkey(), &vault, 2_000_000),
        ],
        &[&payer],
    )
    .await;
    assert_eq!(indexer.refresh_balances().await.expect("refresh"), 2);
    // the client library reads a typed account only from its owner: the vault (a system
    // account) is refused as such before any decoding
    let read = rpc.account::<bitticket::state::Shard>(&vault).await;
    assert!(
        matches!(
            read,
            Err(bitticket_client::rpc::RpcSendError::WrongOwner { .. })
        ),
        "{read:?}"
    );
    let after: i64 = sqlx::query_scalar("SELECT lamports FROM shards WHERE pubkey = $1")
        .bind(shard.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect("shard");
    assert_eq!(after, before + 12_345);
    let held: i64 = sqlx::query_scalar("SELECT lamports FROM vaults WHERE address = $1")
        .bind(vault.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect("the vault is mirrored from its first lamport");
    assert!(held >= 2_000_000, "{held}");
    assert_mirror_equals_chain(&sink, &url).await;
}

/// The second review's state on a real validator: a spending limit frozen by one key, an
/// outflow cap replaced (its carried room), an event awaiting the multisig's approval, and
/// proposals closed before and after the indexer started. The mirror keeps closed
/// proposals as history (`closed_slot`), and equals the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn frozen_limits_carried_caps_unapproved_events_and_closed_proposals_are_mirrored() {
    use bitticket::state::{Period, ProposalAction};
    use bitticket_client::{
        event_pda, ix_close_proposal, ix_create_event, ix_create_organizer,
        ix_freeze_spending_limit, organizer_pda, proposal_pda, Outflow,
    };
    use solana_address::Address;
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let admin = wallet(&rpc, 10 * SOL).await;
    let me = admin.pubkey();
    let org = organizer_pda(&me, 3);
    send(&rpc, "organizer", &[ix_create_organizer(&me, 3)], &[&admin]).await;
    let cap = |amount, period| ProposalAction::SetOutflowCap {
        mint: Address::default(),
        amount,
        period,
    };
    let none = Outflow::default;
    pass(&rpc, &org, cap(3 * SOL, Period::Month), &[&admin], none()).await;
    let limit = bitticket_testkit::builders::sol_limit(1, SOL, Period::Day, &[me]);
    pass(
        &rpc,
        &org,
        ProposalAction::AddSpendingLimit { limit },
        &[&admin],
        none(),
    )
    .await;
    pass(&rpc, &org, cap(2 * SOL, Period::Week), &[&admin], none()).await;
    send(
        &rpc,
        "freeze",
        &[ix_freeze_spending_limit(&org, &me, 1)],
        &[&admin],
    )
    .await;
    // a time-lock puts the organizer's events behind proposals: this one waits
    pass(
        &rpc,
        &org,
        ProposalAction::SetTimeLock { seconds: 1 },
        &[&admin],
        none(),
    )
    .await;
    let event = event_pda(&org, 0);
    let now = rpc.now().await.expect("clock");
    send(
        &rpc,
        "an event awaiting approval",
        &[ix_create_event(
            &org,
            &event,
            &me,
            config(now, 10, 600, 700, 3_600),
            1,
        )],
        &[&admin],
    )
    .await;
    send(
        &rpc,
        "close 1",
        &[ix_close_proposal(&org, 1, &me)],
        &[&admin],
    )
    .await;

    let (sink, url) = fresh_db().await;
    let cfg = settings(&url, 50);
    let (mut indexer, _) = in_process(&cfg, &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert_mirror_equals_chain(&sink, &url).await;
    send(
        &rpc,
        "close 2",
        &[ix_close_proposal(&org, 2, &me)],
        &[&admin],
    )
    .await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert_mirror_equals_chain(&sink, &url).await;

    let frozen: bool =
        sqlx::query_scalar("SELECT frozen FROM spending_limits WHERE organizer = $1")
            .bind(org.to_string())
            .fetch_one(&sink.pool)
            .await
            .expect("limit");
    assert!(frozen);
    let (period, carry_room, carry_until): (String, String, i64) = sqlx::query_as(
        "SELECT period, carry_room::text, carry_until FROM outflow_caps WHERE organizer = $1",
    )
    .bind(org.to_string())
    .fetch_one(&sink.pool)
    .await
    .expect("cap");
    assert_eq!(
        (period.as_str(), carry_room.as_str()),
        ("week", "3000000000")
    );
    assert!(carry_until > now, "{carry_until}");
    let approved: bool = sqlx::query_scalar("SELECT approved FROM events WHERE pubkey = $1")
        .bind(event.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect("event");
    assert!(!approved);
    // proposal 2 was mirrored live, then closed: kept, marked, and no longer on chain
    let closed: Option<i64> =
        sqlx::query_scalar("SELECT closed_slot FROM proposals WHERE pubkey = $1")
            .bind(proposal_pda(&org, 2).to_string())
            .fetch_one(&sink.pool)
            .await
            .expect("proposal 2 stays as history");
    assert!(closed.is_some());
    assert!(rpc
        .account::<bitticket::state::Proposal>(&proposal_pda(&org, 2))
        .await
        .is_err());
    let closed_log: i64 =
        sqlx::query_scalar("SELECT count(*) FROM event_log WHERE kind = 'ProposalClosed'")
            .fetch_one(&sink.pool)
            .await
            .expect("event log");
    assert_eq!(closed_log, 2);
}

/// A ticket and a buyer record mirrored live, then burned and closed (the cancelled
/// event's refunded ticket burns at once): both rows stay as history, marked closed, and
/// the mirror still equals the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_burned_ticket_and_a_closed_record_stay_as_history_marked_closed() {
    use bitticket_client::*;
    use solana_address::Address;
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 10, 1, 2, 4, 600).await;
    wait_until(&rpc, s.config.sale_start).await;
    let t = buy(&rpc, &s, wallet(&rpc, SOL).await, 0).await;
    let holder = t.holder.pubkey();
    send(
        &rpc,
        "cancel and refund",
        &[
            ix_cancel_event(&s.organizer, &s.event, &s.admin.pubkey()),
            ix_claim_refund(&holder, &s.event, 0, &t.mint),
        ],
        &[&s.admin, &t.holder],
    )
    .await;
    let (sink, url) = fresh_db().await;
    let (mut indexer, _) = in_process(&settings(&url, 50), &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let closed = |table: &'static str, key: Address| {
        let pool = sink.pool.clone();
        async move {
            sqlx::query_scalar::<_, Option<i64>>(&format!(
                "SELECT closed_slot FROM {table} WHERE pubkey = $1"
            ))
            .bind(key.to_string())
            .fetch_one(&pool)
            .await
            .expect("the row")
        }
    };
    let (ticket, record) = (ticket_pda(&t.mint), buyer_pda(&s.event, &holder));
    assert_eq!(closed("tickets", ticket).await, None);
    assert_eq!(closed("buyer_records", record).await, None);
    send(
        &rpc,
        "burn and close",
        &[
            ix_burn_ticket(&holder, &s.event, &t.mint),
            ix_close_buyer_record(&s.event, &holder),
        ],
        &[&t.holder],
    )
    .await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    assert!(closed("tickets", ticket).await.is_some());
    assert!(closed("buyer_records", record).await.is_some());
    assert_mirror_equals_chain(&sink, &url).await;
}

/// A shard mirrored live with its opener, then swept and closed after its event: its row
/// stays as history, marked closed, the sales figures still count what it sold, and the
/// mirror still equals the chain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_closed_shard_stays_as_history_marked_closed() {
    use bitticket_client::*;
    use solana_signer::Signer;
    let _chain = CHAIN.lock().await;
    let rpc = RpcSender::new(&rpc_url());
    let s = sale(&rpc, 10, 1, 2, 4, 10).await;
    wait_until(&rpc, s.config.sale_start).await;
    buy(&rpc, &s, wallet(&rpc, SOL).await, 0).await;
    wait_until(&rpc, s.config.check_in_end + 1).await;
    let bob = wallet(&rpc, SOL).await;
    send(
        &rpc,
        "sweep",
        &[ix_sweep_shard(&s.organizer, &s.event, 0)],
        &[&bob],
    )
    .await;
    let (sink, url) = fresh_db().await;
    let (mut indexer, _) = in_process(&settings(&url, 50), &sink).await;
    indexer.snapshot().await.expect("snapshot");
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let shard = shard_pda(&s.event, 0).to_string();
    let row = || {
        let (pool, shard) = (sink.pool.clone(), shard.clone());
        async move {
            sqlx::query_as::<_, (String, Option<i64>, i64)>(
                "SELECT opened_by, closed_slot, sold FROM shards WHERE pubkey = $1",
            )
            .bind(shard)
            .fetch_one(&pool)
            .await
            .expect("the shard's row")
        }
    };
    let admin = s.admin.pubkey().to_string();
    assert_eq!(row().await, (admin.clone(), None, 1));
    send(
        &rpc,
        "close the shard",
        &[ix_close_shard(
            &s.organizer,
            &s.event,
            0,
            &s.admin.pubkey(),
            None,
        )],
        &[&bob],
    )
    .await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let (opened_by, closed, sold) = row().await;
    assert_eq!((opened_by, sold), (admin, 1));
    assert!(closed.is_some(), "the closed shard is marked");
    let sold: i64 = sqlx::query_scalar("SELECT sold::bigint FROM catalogue WHERE pubkey = $1")
        .bind(s.event.to_string())
        .fetch_one(&sink.pool)
        .await
        .expect("the event's figures");
    assert_eq!(sold, 1, "the sales figures still count the closed shard");
    assert_mirror_equals_chain(&sink, &url).await;
}
