//! Sink figures, printed (run with a Postgres: `scripts/bench-indexer.sh`, or
//! BITTICKET_TEST_PG set): the same purchase transactions written
//!   1. by our sink (UNNEST batches, the checkpoint in each batch's transaction),
//!   2. per row, `INSERT ... ON CONFLICT DO NOTHING` one statement per row (Carbon's way),
//!      in one transaction per batch (kinder to it than autocommit),
//!   3. by raw `COPY` of the same rows (the floor: no conflict handling, no checkpoint).
//!
//! And the decode -> sink path from log lines to rows, in purchases per second.
use std::time::Instant;

use anchor_lang::Event as _;
use base64::Engine;
use bitticket::events::TicketPurchased;
use bitticket_indexer::decode::{decode_transaction, DecodedTx, ProgramAccount, RawTx};
use bitticket_indexer::sink::{AccountKind, AccountUpdate, Batch, Checkpoint, Sink};
use solana_address::Address;
use sqlx::postgres::PgPoolOptions;

const N: usize = 20_000;
const BATCH: usize = 1_000;
/// Purchases written one autocommitted statement at a time (every commit waits for its WAL flush).
const AUTOCOMMIT: usize = 2_000;

fn raw(i: usize, event: Address, logs_for: &[u8]) -> RawTx {
    let program = bitticket::ID;
    let data = base64::engine::general_purpose::STANDARD.encode(logs_for);
    RawTx {
        signature: format!("bench{i:08}"),
        slot: 1_000 + (i / 50) as u64,
        block_time: Some(1_700_000_000),
        accounts: vec![
            (Address::new_unique(), true),
            (event, false),
            (program, false),
        ],
        signers: 1,
        token_accounts: vec![],
        err: None,
        logs: Some(vec![
            format!("Program {program} invoke [1]"),
            "Program log: bench".into(),
            format!("Program data: {data}"),
            format!("Program {program} consumed 29534 of 200000 compute units"),
            format!("Program {program} success"),
        ]),
    }
}

async fn fresh(admin: &str, name: &str) -> Sink {
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(admin)
        .await
        .expect("connect");
    sqlx::query(&format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&pool)
        .await
        .expect("drop");
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create");
    let url = format!("{}/{name}", admin.rsplit_once('/').expect("admin URL").0);
    let sink = Sink::new(
        PgPoolOptions::new()
            .max_connections(4)
            .connect(&url)
            .await
            .expect("connect"),
    );
    sink.migrate().await.expect("migrate");
    sink
}

async fn seed(sink: &Sink, org: Address, event: Address) {
    let o = bitticket_testkit::builders::organizer(org, &[]);
    let mut e = bitticket_testkit::builders::event(org);
    e.config = bitticket_testkit::builders::EventConfigBuilder::at(0, 1, 1)
        .price(1)
        .supply(1_000_000)
        .max_per_wallet(1)
        .named("bench", "")
        .build();
    e.config.check_in_start = 0;
    let accounts = vec![
        AccountUpdate {
            address: org,
            slot: 1,
            lamports: 1,
            kind: AccountKind::Program(ProgramAccount::Organizer(Box::new(o))),
        },
        AccountUpdate {
            address: event,
            slot: 1,
            lamports: 1,
            kind: AccountKind::Program(ProgramAccount::Event(Box::new(e))),
        },
    ];
    sink.write(&Batch {
        accounts,
        ..Batch::default()
    })
    .await
    .expect("seed");
}

async fn insert_per_row(conn: &mut sqlx::PgConnection, d: &DecodedTx, org: Address) {
    sqlx::query("INSERT INTO transactions (signature, slot, block_time, signer, success, err, logs_truncated, accounts)
                 VALUES ($1, $2, $3, $4, true, NULL, false, $5) ON CONFLICT (signature) DO NOTHING")
        .bind(&d.signature).bind(d.slot as i64).bind(d.block_time).bind(d.signer.to_string())
        .bind(d.accounts.iter().map(|a| a.to_string()).collect::<Vec<_>>())
        .execute(&mut *conn).await.expect("insert tx");
    for (i, e) in &d.events {
        let bitticket_indexer::decode::ProgramEvent::TicketPurchased(p) = e else {
            continue;
        };
        sqlx::query(
            "INSERT INTO event_log (signature, event_index, slot, organizer, kind, data)
                     VALUES ($1, $2, $3, $4, $5, $6::jsonb) ON CONFLICT DO NOTHING",
        )
        .bind(&d.signature)
        .bind(*i as i32)
        .bind(d.slot as i64)
        .bind(org.to_string())
        .bind(e.name())
        .bind(bitticket_indexer::decode::json::event(e).to_string())
        .execute(&mut *conn)
        .await
        .expect("insert log");
        sqlx::query("INSERT INTO purchases (signature, event_index, slot, organizer, event, shard, ticket, mint, buyer, serial, price)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING")
            .bind(&d.signature).bind(*i as i32).bind(d.slot as i64).bind(org.to_string())
            .bind(p.event.to_string()).bind(p.shard.to_string()).bind(p.ticket.to_string())
            .bind(p.mint.to_string()).bind(p.buyer.to_string()).bind(i64::from(p.serial))
            .bind(p.price_lamports as i64)
            .execute(&mut *conn).await.expect("insert purchase");
    }
}

fn rate(n: usize, t: f64) -> String {
    format!("{:>9.0}/s ({n} in {t:.2} s)", n as f64 / t)
}

#[tokio::main]
async fn main() {
    let Ok(admin) = std::env::var("BITTICKET_TEST_PG") else {
        eprintln!("sink bench: BITTICKET_TEST_PG (a Postgres admin URL) is not set; run scripts/bench-indexer.sh");
        std::process::exit(2);
    };
    let org = Address::new_unique();
    let event = Address::new_unique();
    let payloads: Vec<Vec<u8>> = (0..N)
        .map(|i| {
            TicketPurchased {
                event,
                shard: Address::new_unique(),
                ticket: Address::new_unique(),
                mint: Address::new_unique(),
                buyer: Address::new_unique(),
                serial: i as u32,
                price_lamports: 100_000_000,
                shard_sold: i as u32 + 1,
                tier: bitticket::constants::NO_TIER,
                phase: 0,
                shard_revenue: 100_000_000 * (i as u64 + 1),
            }
            .data()
        })
        .collect();
    let raws: Vec<RawTx> = payloads
        .iter()
        .enumerate()
        .map(|(i, p)| raw(i, event, p))
        .collect();

    // decode alone
    let t0 = Instant::now();
    let decoded: Vec<DecodedTx> = raws
        .iter()
        .cloned()
        .map(|r| decode_transaction(r, &bitticket::ID))
        .collect();
    let decode_s = t0.elapsed().as_secs_f64();
    assert!(decoded.iter().all(|d| d.events.len() == 1));

    // 1. our sink, decode included: the whole decode -> sink path
    let sink = fresh(&admin, "bench_ours").await;
    seed(&sink, org, event).await;
    let t0 = Instant::now();
    let mut it = raws.iter().cloned();
    let mut written = 0;
    loop {
        let txs: Vec<DecodedTx> = it
            .by_ref()
            .take(BATCH)
            .map(|r| decode_transaction(r, &bitticket::ID))
            .collect();
        let Some(last) = txs.last() else { break };
        let checkpoint = Some(Checkpoint {
            slot: last.slot,
            signature: Some(last.signature.clone()),
        });
        written += sink
            .write(&Batch {
                txs,
                checkpoint,
                ..Batch::default()
            })
            .await
            .expect("write")
            .events;
    }
    let ours_s = t0.elapsed().as_secs_f64();
    assert_eq!(written as usize, N);
    // rows per purchase: transactions, event_log, purchases
    let rows = 3 * N;

    // 2. per row, in a transaction per batch, and autocommit (Carbon's way) on a slice
    let per_row = fresh(&admin, "bench_per_row").await;
    seed(&per_row, org, event).await;
    let t0 = Instant::now();
    for chunk in decoded.chunks(BATCH) {
        let mut tx = per_row.pool.begin().await.expect("begin");
        for d in chunk {
            insert_per_row(&mut tx, d, org).await;
        }
        tx.commit().await.expect("commit");
    }
    let per_row_s = t0.elapsed().as_secs_f64();
    let auto = fresh(&admin, "bench_autocommit").await;
    seed(&auto, org, event).await;
    let t0 = Instant::now();
    let mut conn = auto.pool.acquire().await.expect("conn");
    for d in &decoded[..AUTOCOMMIT] {
        insert_per_row(&mut conn, d, org).await;
    }
    let auto_s = t0.elapsed().as_secs_f64();

    // 3. COPY of the same rows
    let copy = fresh(&admin, "bench_copy").await;
    let t0 = Instant::now();
    let mut conn = copy.pool.acquire().await.expect("conn");
    for chunk in decoded.chunks(BATCH) {
        let (mut txs, mut log, mut pur) = (String::new(), String::new(), String::new());
        for d in chunk {
            let accounts = format!(
                "{{{}}}",
                d.accounts
                    .iter()
                    .map(|a| a.to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            );
            txs.push_str(&format!(
                "{}\t{}\t{}\t{}\tt\t\\N\tf\t{}\n",
                d.signature,
                d.slot,
                d.block_time.unwrap_or(0),
                d.signer,
                accounts
            ));
            for (i, e) in &d.events {
                let bitticket_indexer::decode::ProgramEvent::TicketPurchased(p) = e else {
                    continue;
                };
                let json = bitticket_indexer::decode::json::event(e)
                    .to_string()
                    .replace('\\', "\\\\");
                log.push_str(&format!(
                    "{}\t{i}\t{}\t{org}\t{}\t{json}\n",
                    d.signature,
                    d.slot,
                    e.name()
                ));
                pur.push_str(&format!(
                    "{}\t{i}\t{}\t{org}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n",
                    d.signature,
                    d.slot,
                    p.event,
                    p.shard,
                    p.ticket,
                    p.mint,
                    p.buyer,
                    p.serial,
                    p.price_lamports
                ));
            }
        }
        for (sql, data) in [
            ("COPY transactions (signature, slot, block_time, signer, success, err, logs_truncated, accounts) FROM STDIN", txs),
            ("COPY event_log (signature, event_index, slot, organizer, kind, data) FROM STDIN", log),
            ("COPY purchases (signature, event_index, slot, organizer, event, shard, ticket, mint, buyer, serial, price) FROM STDIN", pur),
        ] {
            let mut c = conn.copy_in_raw(sql).await.expect("copy in");
            c.send(data.into_bytes()).await.expect("copy send");
            c.finish().await.expect("copy finish");
        }
    }
    let copy_s = t0.elapsed().as_secs_f64();

    println!("indexer sink bench: {N} purchases, batches of {BATCH}, rows = transactions + event_log + purchases");
    println!("  decode only:                  {}", rate(N, decode_s));
    println!(
        "  our sink, decode -> sink:     {} purchases, {} rows",
        rate(N, ours_s),
        rate(rows, ours_s)
    );
    println!(
        "  per-row INSERT ON CONFLICT, autocommit (Carbon): {} rows",
        rate(3 * AUTOCOMMIT, auto_s)
    );
    println!(
        "  per-row INSERT ON CONFLICT, one tx per batch:    {} rows",
        rate(rows, per_row_s)
    );
    println!(
        "  raw COPY (floor):             {} rows",
        rate(rows, copy_s)
    );
    let auto_rate = (3 * AUTOCOMMIT) as f64 / auto_s;
    println!(
        "  ours vs per-row autocommit: {:.1}x; vs per-row in batches: {:.1}x; ours vs COPY: {:.2}x the time",
        rows as f64 / ours_s / auto_rate,
        per_row_s / ours_s,
        ours_s / copy_s
    );
}
