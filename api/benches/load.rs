//! The cost of the API's protections under load: an authenticated read of a wallet's
//! tickets (JWT check, rate limits in Redis, a transaction scoped for row-level
//! security) against the same query served bare (no auth, no RLS scope, no limits, as
//! the tables' owner), both driven by `oha` on loopback. Prints requests/s and p50/p99.
//!
//! Needs BITTICKET_TEST_PG and BITTICKET_TEST_REDIS (scripts/bench-api.sh starts them and
//! installs oha). BENCH_SECS (10), BENCH_CONCURRENCY (8), OHA (oha on PATH).
use std::process::Command;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use bitticket_api::routes::tickets::{TicketView, TICKET_COLUMNS};
use bitticket_testkit::api::*;
use serde::Deserialize;
use sqlx::PgPool;

#[derive(Deserialize)]
struct WalletQuery {
    wallet: String,
}

/// The same query as `GET /v1/me/tickets`, with nothing around it.
async fn bare(State(pool): State<PgPool>, Query(q): Query<WalletQuery>) -> Json<Vec<TicketView>> {
    let rows: Vec<TicketView> = sqlx::query_as(&format!(
        "SELECT {TICKET_COLUMNS} FROM tickets t LEFT JOIN slots s ON s.slot = t.slot
         WHERE t.holder = $1 ORDER BY t.pubkey LIMIT 51"
    ))
    .bind(q.wallet)
    .fetch_all(&pool)
    .await
    .unwrap_or_default();
    Json(rows)
}

struct Figures {
    rps: f64,
    p50_ms: f64,
    p99_ms: f64,
    ok: u64,
    total: u64,
}

fn oha(url: &str, token: Option<&str>, secs: u64, concurrency: u64) -> Figures {
    let bin = std::env::var("OHA").unwrap_or_else(|_| "oha".into());
    let mut cmd = Command::new(bin);
    cmd.args([
        "-z",
        &format!("{secs}s"),
        "-c",
        &concurrency.to_string(),
        "--no-tui",
        "--output-format",
        "json",
    ]);
    if let Some(t) = token {
        cmd.args(["-H", &format!("authorization: Bearer {t}")]);
    }
    cmd.arg(url);
    let out = cmd
        .output()
        .expect("run oha (scripts/bench-api.sh installs it)");
    assert!(
        out.status.success(),
        "oha: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("oha's JSON");
    let codes = v["statusCodeDistribution"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let total: u64 = codes.values().filter_map(|c| c.as_u64()).sum();
    Figures {
        rps: v["summary"]["requestsPerSec"].as_f64().unwrap_or(0.0),
        p50_ms: v["latencyPercentiles"]["p50"].as_f64().unwrap_or(f64::NAN) * 1e3,
        p99_ms: v["latencyPercentiles"]["p99"].as_f64().unwrap_or(f64::NAN) * 1e3,
        ok: codes.get("200").and_then(|c| c.as_u64()).unwrap_or(0),
        total,
    }
}

#[tokio::main]
async fn main() {
    let secs: u64 = std::env::var("BENCH_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let concurrency: u64 = std::env::var("BENCH_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let db = fresh_db().await;
    let holder = Wallet::random();
    let _tenant = seed_tenant(&db.0, &holder, 5).await;
    // both sides get the API's default pool of 16 connections
    let owner = sqlx::postgres::PgPoolOptions::new()
        .max_connections(16)
        .connect(&db.1)
        .await
        .expect("owner pool");
    // budgets far above what the load reaches: every request still runs the Redis script
    let extra = [
        ("BITTICKET_API_DATABASE_POOL", "16".to_string()),
        ("BITTICKET_API_RATE_USER_PER_MIN", "1000000000".to_string()),
        (
            "BITTICKET_API_RATE_CLIENT_PER_MIN",
            "1000000000".to_string(),
        ),
        (
            "BITTICKET_API_RATE_TENANT_PER_MIN",
            "1000000000".to_string(),
        ),
    ];
    let api = spawn_configured(&[], db, &extra).await;
    let (token, _) = api.sign_in(&holder).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let bare_addr = listener.local_addr().expect("addr");
    let app = Router::new()
        .route("/bare/tickets", get(bare))
        .with_state(owner);
    tokio::spawn(async move { axum::serve(listener, app).await });

    let full_url = api.url("/v1/me/tickets");
    let bare_url = format!(
        "http://{bare_addr}/bare/tickets?wallet={}",
        holder.address()
    );
    // warm both up, then measure each on its own
    let (f, b, t) = (full_url.clone(), bare_url.clone(), token.clone());
    let (full, bare) = tokio::task::spawn_blocking(move || {
        oha(&b, None, 2, concurrency);
        oha(&f, Some(&t), 2, concurrency);
        let bare = oha(&b, None, secs, concurrency);
        let full = oha(&f, Some(&t), secs, concurrency);
        (full, bare)
    })
    .await
    .expect("oha");
    println!("API load: GET a wallet's tickets (5 rows), {concurrency} connections, {secs} s each, oha on loopback");
    println!("  (one 2-core machine runs oha, the API, Postgres and Redis together)");
    println!(
        "  {:<44} {:>9} {:>8} {:>8} {:>9}",
        "", "req/s", "p50 ms", "p99 ms", "200s"
    );
    for (name, f) in [
        ("bare: same query, no auth/RLS/limits", &bare),
        ("full: JWT + Redis limits + RLS scope", &full),
    ] {
        println!(
            "  {:<44} {:>9.0} {:>8.2} {:>8.2} {:>5}/{}",
            name, f.rps, f.p50_ms, f.p99_ms, f.ok, f.total
        );
    }
    println!(
        "  full / bare throughput: {:.2} (goal >= 0.50); full p99 {:.2} ms (goal < 10)",
        full.rps / bare.rps,
        full.p99_ms
    );
}
