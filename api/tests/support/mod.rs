//! Shared by the API's tests: a fresh migrated database per test on the private cluster
//! scripts/test.sh starts (BITTICKET_TEST_PG), two organizers' mirrored rows, the real
//! application on a loopback port connected as the API's own database role, and wallets
//! that sign in as wallets do.
#![allow(dead_code)]
use std::collections::HashMap;
use std::net::SocketAddr;

use base64::Engine;
use bitticket::state::permission;
use bitticket_api::auth::tokens::service_token;
use bitticket_api::{Application, Settings};
use ed25519_dalek::{Signer, SigningKey};
use solana_address::Address;
use sqlx::postgres::PgPoolOptions;
use sqlx::PgPool;

pub fn admin_url() -> String {
    std::env::var("BITTICKET_TEST_PG").expect(
        "BITTICKET_TEST_PG (a Postgres admin URL) is not set: run scripts/test.sh, or start one with scripts/pg.sh",
    )
}

/// A new database with every migration, and its URL for another role.
pub async fn fresh_db() -> (PgPool, String) {
    let admin = admin_url();
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect(&admin)
        .await
        .expect("connect to the test cluster");
    let name = format!("a_{}_{:016x}", std::process::id(), rand::random::<u64>());
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&pool)
        .await
        .expect("create database");
    pool.close().await;
    let url = match admin.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("admin URL without a database"),
    };
    let db = PgPoolOptions::new()
        .max_connections(4)
        .connect(&url)
        .await
        .expect("connect");
    sqlx::migrate!("../migrations")
        .run(&db)
        .await
        .expect("migrations");
    // the cluster asks for passwords, even on loopback: the role may log in with the
    // tests' password (roles are cluster-wide, and concurrent tests may race on the same
    // catalog row: retry)
    for attempt in 0.. {
        let can: bool = sqlx::query_scalar(
            "SELECT rolcanlogin AND rolpassword IS NOT NULL FROM pg_authid
             WHERE rolname = 'bitticket_api'",
        )
        .fetch_one(&db)
        .await
        .expect("role");
        if can {
            break;
        }
        match sqlx::query(&format!(
            "ALTER ROLE bitticket_api LOGIN PASSWORD '{API_ROLE_PASSWORD}'"
        ))
        .execute(&db)
        .await
        {
            Ok(_) => break,
            Err(_) if attempt < 20 => {
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            Err(e) => panic!("login role: {e}"),
        }
    }
    (db, url)
}

/// The password the tests give the API's role (the test cluster is private, on loopback).
pub const API_ROLE_PASSWORD: &str = "bitticket-api-tests";

/// `url` (the admin's) with the API's role and its password as its user.
pub fn as_api_role(url: &str) -> String {
    match (url.split_once("://"), url.rsplit_once('@')) {
        (Some((scheme, _)), Some((_, host))) => {
            format!("{scheme}://bitticket_api:{API_ROLE_PASSWORD}@{host}")
        }
        _ => panic!("an admin URL with a user: {url}"),
    }
}

pub struct Wallet {
    pub key: SigningKey,
}

impl Wallet {
    pub fn random() -> Self {
        Wallet {
            key: SigningKey::from_bytes(&rand::random::<[u8; 32]>()),
        }
    }

    pub fn address(&self) -> String {
        Address::new_from_array(self.key.verifying_key().to_bytes()).to_string()
    }

    pub fn sign(&self, message: &str) -> String {
        bs58::encode(self.key.sign(message.as_bytes()).to_bytes()).into_string()
    }
}

/// One organizer's mirrored world: its staff (one wallet per role), two events (one on
/// sale, one upcoming), tickets, check-ins, a proposal, an alert.
pub struct Tenant {
    pub organizer: String,
    pub event: String,
    pub upcoming: String,
    pub staff: Vec<(&'static str, u8, Wallet)>,
    pub tickets: Vec<String>,
}

impl Tenant {
    pub fn member(&self, role: &str) -> &Wallet {
        &self
            .staff
            .iter()
            .find(|(r, _, _)| *r == role)
            .expect("role")
            .2
    }
}

pub const ROLES: &[(&str, u8)] = &[
    ("admin", permission::ADMIN),
    ("event_manager", permission::EVENT_MANAGER),
    ("finance", permission::FINANCE),
    ("gatekeeper", permission::GATEKEEPER),
    ("voter", permission::VOTE),
];

pub fn key() -> String {
    Address::new_unique().to_string()
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Writes a tenant as the indexer would (as the tables' owner), with `holder` holding
/// `held` of its tickets.
pub async fn seed_tenant(db: &PgPool, holder: &Wallet, held: usize) -> Tenant {
    let organizer = key();
    let vault = key();
    let now = now();
    sqlx::query(
        "INSERT INTO organizers (pubkey, creator, organizer_id, next_event_id, threshold, time_lock,
             transaction_index, stale_transaction_index, vault, lamports, slot)
         VALUES ($1, $2, 1, 2, 2, 3600, 1, 0, $3, 1000000, 10)",
    )
    .bind(&organizer)
    .bind(key())
    .bind(&vault)
    .execute(db)
    .await
    .expect("organizer");
    sqlx::query(
        "INSERT INTO vaults (address, organizer, lamports, slot) VALUES ($1, $2, 5000000, 10)",
    )
    .bind(&vault)
    .bind(&organizer)
    .execute(db)
    .await
    .expect("vault");
    let mut staff = Vec::new();
    for (role, bits) in ROLES {
        let w = Wallet::random();
        sqlx::query(
            "INSERT INTO members (organizer, member, permissions, slot) VALUES ($1, $2, $3, 10)",
        )
        .bind(&organizer)
        .bind(w.address())
        .bind(*bits as i32)
        .execute(db)
        .await
        .expect("member");
        staff.push((*role, *bits, w));
    }
    let event = key();
    let upcoming = key();
    for (pubkey, start, end) in [
        (&event, now - 3600, now + 3600),
        (&upcoming, now + 86_400, now + 2 * 86_400),
    ] {
        sqlx::query(
            "INSERT INTO events (pubkey, organizer, event_id, name, uri, price_lamports, supply,
                 sale_start, sale_end, resale_unlock, max_per_wallet, check_in_start, check_in_end,
                 shard_count, shards_opened, paused, cancelled, cancelled_at, lamports, slot)
             VALUES ($1, $2, 1, 'Show', 'https://example.com/e', 1000, 100, $3, $4, $4, 4,
                 $3, $4 + 3600, 2, 2, false, false, 0, 1, 10)",
        )
        .bind(pubkey)
        .bind(&organizer)
        .bind(start)
        .bind(end)
        .execute(db)
        .await
        .expect("event");
    }
    for i in 0..2 {
        sqlx::query(
            "INSERT INTO shards (pubkey, organizer, event, index, sold, revenue, refunded, swept,
                 reserve, lamports, slot) VALUES ($1, $2, $3, $4, 3, 3000, 0, 1000, 0, 1, 10)",
        )
        .bind(key())
        .bind(&organizer)
        .bind(&event)
        .bind(i)
        .execute(db)
        .await
        .expect("shard");
    }
    let mut tickets = Vec::new();
    for serial in 0..6i64 {
        let t = key();
        let owner = if (serial as usize) < held {
            holder.address()
        } else {
            key()
        };
        sqlx::query(
            "INSERT INTO tickets (pubkey, organizer, event, mint, holder, serial, shard_index,
                 price_paid, state, checked_in_at, lamports, slot)
             VALUES ($1, $2, $3, $4, $5, $6, 0, 1000, 'valid', 0, 1, 10 + $6)",
        )
        .bind(&t)
        .bind(&organizer)
        .bind(&event)
        .bind(key())
        .bind(owner)
        .bind(serial)
        .execute(db)
        .await
        .expect("ticket");
        tickets.push(t);
    }
    for (i, t) in tickets.iter().take(3).enumerate() {
        sqlx::query(
            "INSERT INTO check_ins (signature, event_index, slot, organizer, event, ticket, holder,
                 gatekeeper, at) VALUES ($1, 0, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(bs58::encode(rand::random::<[u8; 32]>()).into_string())
        .bind(20 + i as i64)
        .bind(&organizer)
        .bind(&event)
        .bind(t)
        .bind(key())
        .bind(staff[3].2.address())
        .bind(now)
        .execute(db)
        .await
        .expect("check-in");
    }
    sqlx::query(
        "INSERT INTO proposals (pubkey, organizer, index, proposer, action, status, status_at,
             approved, rejected, cancelled, lamports, slot)
         VALUES ($1, $2, 1, $3, '{\"kind\": \"withdraw\"}', 'active', NULL, ARRAY[$3], '{}', '{}', 1, 10)",
    )
    .bind(key())
    .bind(&organizer)
    .bind(staff[4].2.address())
    .execute(db)
    .await
    .expect("proposal");
    sqlx::query(
        "INSERT INTO alerts (organizer, rule, subject, slot, detail) VALUES ($1, 'fee_payer_fan_out', $2, 10, '{}')",
    )
    .bind(&organizer)
    .bind(key())
    .execute(db)
    .await
    .expect("alert");
    sqlx::query("INSERT INTO slots (slot, status) VALUES (10, 'finalized') ON CONFLICT DO NOTHING")
        .execute(db)
        .await
        .expect("slot");
    Tenant {
        organizer,
        event,
        upcoming,
        staff,
        tickets,
    }
}

pub const SERVICE: &str = "box-office";

pub fn service_secret() -> Vec<u8> {
    (100u8..148).collect()
}

pub fn access_seed() -> Vec<u8> {
    (1u8..33).collect()
}

pub fn settings(api_url: &str, service_organizers: &[&str]) -> Settings {
    settings_with(api_url, service_organizers, &[])
}

/// Test settings: generous limits (the rate-limit tests set their own), the suite's
/// Redis when there is one, under a prefix of this instance's own unless `extra` names one.
pub fn settings_vars(
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> HashMap<String, String> {
    let b64 = |b: &[u8]| base64::engine::general_purpose::STANDARD.encode(b);
    let services = serde_json::json!([{
        "name": SERVICE,
        "secret": b64(&service_secret()),
        "organizers": service_organizers,
    }]);
    let vars: HashMap<String, String> = [
        ("BITTICKET_API_LISTEN", "127.0.0.1:0".to_string()),
        ("BITTICKET_API_METRICS_LISTEN", "off".to_string()),
        ("BITTICKET_API_DATABASE_URL", api_url.to_string()),
        ("BITTICKET_API_DATABASE_POOL", "4".to_string()),
        ("BITTICKET_API_DOMAIN", "tickets.test".to_string()),
        ("BITTICKET_API_URI", "https://tickets.test".to_string()),
        ("BITTICKET_API_ACCESS_KEY", b64(&access_seed())),
        (
            "BITTICKET_API_QR_MASTER_KEY",
            b64(&(60u8..92).collect::<Vec<u8>>()),
        ),
        ("BITTICKET_API_SERVICES", services.to_string()),
        (
            "BITTICKET_API_CORS_ORIGINS",
            "https://app.tickets.test".to_string(),
        ),
        ("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_USER_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_TENANT_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_CLIENT_PER_MIN", "100000".to_string()),
        // the seeded mirrors have no checkpoint: the lag bound has a test of its own
        ("BITTICKET_API_STAFF_MAX_LAG_SLOTS", "off".to_string()),
        ("BITTICKET_API_RATE_REFRESH_PER_MIN", "10000".to_string()),
        ("BITTICKET_API_RATE_SIGN_OUT_PER_MIN", "10000".to_string()),
        (
            "BITTICKET_API_REDIS_PREFIX",
            format!("t{:016x}", rand::random::<u64>()),
        ),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let mut vars = vars;
    if let Ok(url) = std::env::var("BITTICKET_TEST_REDIS") {
        vars.insert("BITTICKET_API_REDIS_URL".into(), url);
    }
    if let Ok(url) = std::env::var("BITTICKET_TEST_RPC") {
        vars.insert("BITTICKET_API_RPC_URL".into(), url);
    }
    for (k, v) in extra {
        vars.insert(k.to_string(), v.clone());
    }
    vars
}

pub fn settings_with(
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> Settings {
    Settings::from_vars(&settings_vars(api_url, service_organizers, extra)).expect("settings")
}

/// The running application.
pub struct Api {
    pub addr: SocketAddr,
    pub http: reqwest::Client,
    pub admin: PgPool,
    pub api_url: String,
}

impl Api {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> reqwest::Response {
        let mut r = self.http.get(self.url(path));
        if let Some(t) = token {
            r = r.bearer_auth(t);
        }
        r.send().await.expect("request")
    }

    pub async fn post(&self, path: &str, body: serde_json::Value) -> reqwest::Response {
        self.http
            .post(self.url(path))
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// Signs in as a wallet does: nonce, sign the message, trade it for tokens.
    pub async fn sign_in(&self, w: &Wallet) -> (String, String) {
        let n: serde_json::Value = self
            .post(
                "/v1/auth/nonce",
                serde_json::json!({ "address": w.address() }),
            )
            .await
            .json()
            .await
            .expect("nonce");
        let message = n["message"].as_str().expect("message").to_string();
        let r = self
            .post(
                "/v1/auth/sign-in",
                serde_json::json!({ "message": message, "signature": w.sign(&message) }),
            )
            .await;
        assert_eq!(r.status(), 200, "sign-in");
        let t: serde_json::Value = r.json().await.expect("tokens");
        (
            t["access_token"].as_str().expect("access").to_string(),
            t["refresh_token"].as_str().expect("refresh").to_string(),
        )
    }

    pub fn service_token(&self) -> String {
        service_token(
            SERVICE,
            &service_secret(),
            "bitticket",
            std::time::Duration::from_secs(300),
        )
        .expect("service token")
    }
}

/// The API started on `db` as its own role, services allowed `organizers`.
pub async fn spawn_with(service_organizers: &[&str], db: (PgPool, String)) -> Api {
    spawn_configured(service_organizers, db, &[]).await
}

/// `spawn_with`, with settings overridden by `extra`.
pub async fn spawn_configured(
    service_organizers: &[&str],
    db: (PgPool, String),
    extra: &[(&str, String)],
) -> Api {
    let (admin, url) = db;
    let api_url = as_api_role(&url);
    let app = Application::build(settings_with(&api_url, service_organizers, extra))
        .await
        .expect("build");
    let addr = app.address();
    tokio::spawn(app.run_until_stopped());
    Api {
        addr,
        http: reqwest::Client::new(),
        admin,
        api_url,
    }
}

/// Two tenants (A and B) and a holder with tickets in both; the service may read A.
pub struct World {
    pub api: Api,
    pub a: Tenant,
    pub b: Tenant,
    pub holder: Wallet,
}

pub async fn world() -> World {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 2).await;
    let b = seed_tenant(&db.0, &holder, 1).await;
    let api = spawn_with(&[a.organizer.as_str()], db).await;
    World { api, a, b, holder }
}

/// The `bitticket-api` binary as a separate process, configured by its environment.
pub struct ApiProcess {
    pub child: std::process::Child,
    pub addr: SocketAddr,
}

impl Drop for ApiProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub async fn spawn_process(
    api_url: &str,
    service_organizers: &[&str],
    extra: &[(&str, String)],
) -> ApiProcess {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut vars = settings_vars(api_url, service_organizers, extra);
    vars.insert("BITTICKET_API_LISTEN".into(), addr.to_string());
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_bitticket-api"))
        .env_clear()
        .envs(vars)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("start bitticket-api");
    let p = ApiProcess { child, addr };
    for _ in 0..100 {
        if let Ok(r) = reqwest::get(format!("http://{addr}/health/live")).await {
            if r.status().is_success() {
                return p;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("bitticket-api did not start on {addr}");
}
