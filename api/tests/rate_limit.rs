//! Rate limits on a real Redis: exact counts at the boundary, `Retry-After`, a tenant's
//! aggregate budget, two API instances sharing one budget, the sign-in limit per client
//! address, and what happens when Redis stops.
use std::process::{Child, Command, Stdio};

use bitticket_testkit::api::*;

fn redis_url() -> String {
    std::env::var("BITTICKET_TEST_REDIS").expect(
        "BITTICKET_TEST_REDIS is not set: run scripts/test.sh, or start one with scripts/redis.sh",
    )
}

fn limits(prefix: &str, redis: &str) -> Vec<(&'static str, String)> {
    vec![
        ("BITTICKET_API_REDIS_URL", redis.to_string()),
        ("BITTICKET_API_REDIS_PREFIX", prefix.to_string()),
        ("BITTICKET_API_RATE_USER_PER_MIN", "5".into()),
        ("BITTICKET_API_RATE_TENANT_PER_MIN", "8".into()),
        ("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "6".into()),
    ]
}

fn prefix() -> String {
    format!("rl{:016x}", rand::random::<u64>())
}

async fn status(api: &Api, path: &str, token: &str) -> (u16, Option<u64>) {
    let r = api.get(path, Some(token)).await;
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    (r.status().as_u16(), retry)
}

/// Tokens minted straight from the signing key: the sign-in limit stays out of the way.
async fn token_for(api: &Api, w: &Wallet) -> String {
    api.sign_in(w).await.0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_user_budget_is_exact_and_retry_after_is_right() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let tenant = seed_tenant(&db.0, &holder, 1).await;
    let mut extra = limits(&prefix(), &redis_url());
    extra.push(("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "100".into()));
    let api = spawn_configured(&[&tenant.organizer], db, &extra).await;
    let token = token_for(&api, &holder).await;
    for i in 0..5 {
        assert_eq!(status(&api, "/v1/me", &token).await.0, 200, "request {i}");
    }
    let (code, retry) = status(&api, "/v1/me", &token).await;
    assert_eq!(code, 429);
    // 5 a minute: the next slot opens 12 s after the first request
    let retry = retry.expect("Retry-After");
    assert!((11..=12).contains(&retry), "Retry-After {retry}");
    // another user is not affected
    let other = token_for(&api, &Wallet::random()).await;
    assert_eq!(status(&api, "/v1/me", &other).await.0, 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tenant_budget_is_shared_by_its_staff_and_two_api_processes_share_one_redis() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let tenant = seed_tenant(&db.0, &holder, 1).await;
    let p = prefix();
    let mut extra = limits(&p, &redis_url());
    extra.push(("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "100".into()));
    let api_url = as_api_role(&db.1);
    // one instance in this process, the other the real binary in its own process
    let one = spawn_configured(&[&tenant.organizer], db, &extra).await;
    let process = spawn_process(
        env!("CARGO_BIN_EXE_bitticket-api"),
        &api_url,
        &[&tenant.organizer],
        &extra,
    )
    .await;
    let two = Api {
        addr: process.addr,
        http: reqwest::Client::new(),
        admin: one.admin.clone(),
        api_url: one.api_url.clone(),
    };
    let admin = token_for(&one, tenant.member("admin")).await;
    let manager = token_for(&two, tenant.member("event_manager")).await;
    let members = format!("/v1/organizers/{}/members", tenant.organizer);
    // the admin's 5, alternating processes: one budget
    for i in 0..5 {
        let api = if i % 2 == 0 { &one } else { &two };
        assert_eq!(status(api, &members, &admin).await.0, 200, "admin {i}");
    }
    assert_eq!(status(&one, &members, &admin).await.0, 429);
    assert_eq!(status(&two, &members, &admin).await.0, 429);
    // the tenant has 8: the manager gets the remaining 3, on either process
    for i in 0..3 {
        let api = if i % 2 == 0 { &two } else { &one };
        assert_eq!(status(api, &members, &manager).await.0, 200, "manager {i}");
    }
    let (code, retry) = status(&two, &members, &manager).await;
    assert_eq!(code, 429);
    assert!(retry.is_some_and(|r| (1..=8).contains(&r)), "{retry:?}");
    // the manager's own budget is not spent: reads outside the tenant still pass
    assert_eq!(status(&one, "/v1/me", &manager).await.0, 200);
    drop(process);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_limited_per_client_address() {
    let db = fresh_db().await;
    let api = spawn_configured(&[], db, &limits(&prefix(), &redis_url())).await;
    let w = Wallet::random();
    for i in 0..6 {
        let r = api
            .post(
                "/v1/auth/nonce",
                serde_json::json!({ "address": w.address() }),
            )
            .await;
        assert_eq!(r.status(), 200, "nonce {i}");
    }
    let r = api
        .post(
            "/v1/auth/nonce",
            serde_json::json!({ "address": w.address() }),
        )
        .await;
    assert_eq!(r.status(), 429);
    // health is never limited
    for _ in 0..10 {
        assert_eq!(api.get("/health/live", None).await.status(), 200);
    }
}

/// Refused traffic is limited too: with no token, a bad one, or another tenant's route,
/// the client address's budget (and the caller's, when known) runs out into 429s; the
/// audit log gets one row per client, reason and route pattern a minute (never the raw
/// path), with the repeats counted in it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_requests_spend_budgets_and_are_audited_folded() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 1).await;
    let b = seed_tenant(&db.0, &holder, 1).await;
    let mut extra = limits(&prefix(), &redis_url());
    extra.push(("BITTICKET_API_RATE_CLIENT_PER_MIN", "40".into()));
    extra.push(("BITTICKET_API_RATE_USER_PER_MIN", "10".into()));
    extra.push(("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "100".into()));
    let api = spawn_configured(&[], db, &extra).await;
    // another tenant's staff route with a valid token: 403 until the caller's budget is
    // spent, then 429 (it used to be 403 for ever)
    let staff = token_for(&api, a.member("admin")).await;
    let theirs = format!("/v1/organizers/{}/members", b.organizer);
    let mut codes = Vec::new();
    for _ in 0..15 {
        codes.push(status(&api, &theirs, &staff).await.0);
    }
    assert_eq!(codes.iter().filter(|c| **c == 403).count(), 10, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 429).count(), 5, "{codes:?}");
    // no token and a bad token, on a long raw path: the client address's budget runs out
    let long = format!("/v1/tickets/{}", "A".repeat(8_000));
    let mut codes = Vec::new();
    for i in 0..40 {
        let r = if i % 2 == 0 {
            api.get("/v1/me", None).await
        } else {
            api.get(&long, Some("not.a.token")).await
        };
        codes.push(r.status().as_u16());
    }
    assert!(codes.contains(&401), "{codes:?}");
    assert_eq!(codes.last(), Some(&429), "{codes:?}");
    let (rows, longest): (i64, i32) = sqlx::query_as(
        "SELECT count(*), coalesce(max(length(target)), 0) FROM audit_log WHERE action = 'denied'",
    )
    .fetch_one(&api.admin)
    .await
    .expect("audit");
    // one row per (client, reason, route): role on members, no_token on /v1/me,
    // bad_token on /v1/tickets/{ticket}; 40-odd refusals folded into 3 rows
    assert_eq!(rows, 3);
    assert!(longest < 100, "a raw path reached the audit log");
    let targets: Vec<String> =
        sqlx::query_scalar("SELECT target FROM audit_log WHERE action = 'denied' ORDER BY id")
            .fetch_all(&api.admin)
            .await
            .expect("targets");
    assert_eq!(
        targets,
        [
            "/v1/organizers/{organizer}/members",
            "/v1/me",
            "/v1/tickets/{ticket}"
        ]
    );
}

/// Behind a trusted proxy each client has its own sign-in budget (the right-most hop the
/// proxy saw), and refresh and sign-out have budgets of their own; from anyone else the
/// forwarding headers change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn behind_a_trusted_proxy_each_client_has_its_own_budget() {
    let nonce = |api: &Api, forwarded_for: &'static str| {
        let req = api
            .http
            .post(api.url("/v1/auth/nonce"))
            .header("x-forwarded-for", forwarded_for)
            .json(&serde_json::json!({ "address": Wallet::random().address() }));
        async move { req.send().await.expect("request").status().as_u16() }
    };
    // the test client is the proxy: 127.0.0.1 is trusted
    let db = fresh_db().await;
    let mut extra = limits(&prefix(), &redis_url());
    extra.push(("BITTICKET_API_TRUSTED_PROXIES", "127.0.0.0/8".into()));
    extra.push(("BITTICKET_API_RATE_REFRESH_PER_MIN", "3".into()));
    let api = spawn_configured(&[], db, &extra).await;
    for _ in 0..6 {
        assert_eq!(nonce(&api, "203.0.113.1").await, 200);
    }
    assert_eq!(nonce(&api, "203.0.113.1").await, 429);
    // another client behind the same proxy is not locked out, even when it claims the
    // first one's address further left (only the right-most hop is believed)
    assert_eq!(nonce(&api, "203.0.113.2").await, 200);
    assert_eq!(nonce(&api, "203.0.113.1, 203.0.113.3").await, 200);
    // refresh has a budget of its own, untouched by sign-in's
    for _ in 0..3 {
        assert_eq!(
            api.http
                .post(api.url("/v1/auth/refresh"))
                .header("x-forwarded-for", "203.0.113.1")
                .json(&serde_json::json!({ "refresh_token": "made-up" }))
                .send()
                .await
                .expect("request")
                .status(),
            401
        );
    }
    let source: String = sqlx::query_scalar(
        "SELECT source FROM audit_log WHERE action = 'refresh' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&api.admin)
    .await
    .expect("audit");
    assert_eq!(
        source, "203.0.113.1",
        "the audit log names the client, not the proxy"
    );
    // without the proxy trusted, the header is ignored: one budget for everyone
    let db = fresh_db().await;
    let api = spawn_configured(&[], db, &limits(&prefix(), &redis_url())).await;
    for i in 0..6 {
        let forged: &'static str = [
            "1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4", "5.5.5.5", "6.6.6.6",
        ][i];
        assert_eq!(nonce(&api, forged).await, 200);
    }
    assert_eq!(nonce(&api, "7.7.7.7").await, 429);
}

struct OwnRedis {
    child: Child,
    url: String,
}

/// Stopped however the test ends.
impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_redis() -> OwnRedis {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let child = Command::new("redis-server")
        .args([
            "--bind",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("redis-server (scripts/redis.sh installs it)");
    for _ in 0..50 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    OwnRedis {
        child,
        url: format!("redis://127.0.0.1:{port}"),
    }
}

/// The documented policy: with Redis gone, each instance limits in its own memory with
/// the same quotas, and readiness says `degraded`; the API keeps answering.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_redis_stopped_each_instance_still_limits_in_memory() {
    let mut redis = start_redis();
    let db = fresh_db().await;
    let holder = Wallet::random();
    let tenant = seed_tenant(&db.0, &holder, 1).await;
    let mut extra = limits(&prefix(), &redis.url);
    extra.push(("BITTICKET_API_RATE_SIGN_IN_PER_MIN", "100".into()));
    let api = spawn_configured(&[&tenant.organizer], db, &extra).await;
    let token = token_for(&api, &holder).await;
    // two requests counted in Redis
    for _ in 0..2 {
        assert_eq!(status(&api, "/v1/me", &token).await.0, 200);
    }
    let ready: serde_json::Value = api
        .get("/health/ready", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(ready["redis"], true);
    redis.child.kill().expect("stop redis");
    let _ = redis.child.wait();
    // the local budget starts whole: 5 more, then 429
    for i in 0..5 {
        assert_eq!(
            status(&api, "/v1/me", &token).await.0,
            200,
            "request {i} without redis"
        );
    }
    let (code, retry) = status(&api, "/v1/me", &token).await;
    assert_eq!(code, 429);
    assert!(retry.is_some());
    // readiness answers from a probe at most a second old
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let r = api.get("/health/ready", None).await;
    assert_eq!(r.status(), 200);
    let ready: serde_json::Value = r.json().await.expect("json");
    assert_eq!(ready["redis"], false);
    assert_eq!(ready["status"], "degraded");
}
