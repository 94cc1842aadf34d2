//! The authorisation matrix, generated from `routes::TABLE`: every route, every caller
//! (no token, a bad token, a holder, each staff role, a service) against its own tenant
//! and another, with the exact status expected. A new route is in the matrix by being in
//! the table.
use bitticket_api::rbac::Access;
use bitticket_api::routes::TABLE;
use bitticket_testkit::api::*;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Who {
    Anonymous,
    BadToken,
    Holder,
    Staff(&'static str, u8),
    Service,
}

fn fill(path: &str, t: &Tenant, own_ticket: &str) -> String {
    path.replace("{organizer}", &t.organizer)
        .replace("{event}", &t.event)
        .replace("{ticket}", own_ticket)
        .replace("{tier}", "0")
        .replace("{phase}", "0")
        .replace("{serial}", "0")
}

/// A well-formed body for each POST route behind authorisation (the public ones get `{}`
/// and must simply not answer 401 or 403).
fn body_for(
    path: &str,
    t: &Tenant,
    own_ticket: &str,
    pass: &serde_json::Value,
) -> serde_json::Value {
    if path.ends_with("/qr") {
        pass.clone()
    } else if path.ends_with("/gate/verify") {
        serde_json::json!({ "payload": "not-a-qr" })
    } else if path.ends_with("/transactions/purchase") {
        serde_json::json!({ "event": t.event })
    } else if path.starts_with("/v1/actions/") {
        serde_json::json!({ "account": key() })
    } else if path.contains("/allow-lists/") {
        serde_json::json!({ "wallets": [key()] })
    } else if path.ends_with("/transactions/transfer") {
        serde_json::json!({ "ticket": own_ticket, "recipient": key() })
    } else if path.ends_with("/transactions/list") {
        serde_json::json!({ "ticket": own_ticket, "price": 1 })
    } else if path.ends_with("/transactions/delist") || path.ends_with("/buy-listing") {
        serde_json::json!({ "ticket": own_ticket })
    } else {
        serde_json::json!({})
    }
}

/// What the route must answer `who`, acting on tenant `own` (its own) or another.
fn expected(access: Access, path: &str, who: Who, own: bool) -> u16 {
    let holds_ticket = matches!(who, Who::Holder);
    match (access, who) {
        (Access::Public, _) => 0, // checked apart: never 401/403
        (Access::Anyone, Who::BadToken) => 401,
        (Access::Anyone, _) => 200,
        (_, Who::Anonymous | Who::BadToken) => 401,
        (Access::Signed, _) => 200,
        (Access::Holder, Who::Service) => 403,
        // a phase's allow-list proof: no caller's wallet is on a list here
        (Access::Holder, _) if path.ends_with("/proof") => 404,
        // the holder's ticket is found, but its event's market is closed (the seeded
        // events have no resale terms); nobody else holds it
        (Access::Holder, _) if path.ends_with("/transactions/list") => {
            if holds_ticket {
                409
            } else {
                404
            }
        }
        // no listing is open in the seeded world
        (Access::Holder, _) if path.ends_with("/delist") || path.ends_with("/buy-listing") => 404,
        // routes on the holder's own ticket: found only by its holder
        (Access::Holder, _) if path.contains("{ticket}") || path.ends_with("/transfer") => {
            if holds_ticket {
                200
            } else {
                404
            }
        }
        (Access::Holder, _) => 200,
        (Access::Staff(_), Who::Holder) => 403,
        (Access::Staff(_), Who::Service) => {
            if own {
                200
            } else {
                403
            }
        }
        (Access::Staff(bits), Who::Staff(_, held)) => {
            if own && held & bits != 0 {
                200
            } else {
                403
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_every_caller_exactly() {
    let w = world().await;
    let mut callers: Vec<(Who, Option<String>)> = vec![
        (Who::Anonymous, None),
        (Who::BadToken, Some("not.a.token".into())),
    ];
    let (holder_token, _) = w.api.sign_in(&w.holder).await;
    callers.push((Who::Holder, Some(holder_token)));
    for (role, bits, wallet) in &w.a.staff {
        let (t, _) = w.api.sign_in(wallet).await;
        callers.push((Who::Staff(role, *bits), Some(t)));
    }
    callers.push((Who::Service, Some(w.api.service_token())));
    // the holder's ticket in tenant A (it holds tickets 0 and 1 there)
    let own_ticket = w.a.tickets[0].clone();
    // the holder's check-in pass for it (`POST .../qr`): its wallet's signature over the
    // ticket's mint and an expiry
    let mint = w
        .api
        .get(
            &format!("/v1/tickets/{own_ticket}"),
            callers[2].1.as_deref(),
        )
        .await
        .json::<serde_json::Value>()
        .await
        .expect("ticket")["mint"]
        .as_str()
        .expect("mint")
        .to_string();
    let expires_at = time::OffsetDateTime::now_utc().unix_timestamp() + 300;
    let pass = serde_json::json!({
        "expires_at": expires_at,
        "signature": w.holder.sign(&format!(
            "BitTicket check-in\nticket: {mint}\nvalid until: {expires_at}"
        )),
    });
    let mut checked = 0;
    let mut failures = Vec::new();
    for route in TABLE {
        for (who, token) in &callers {
            for (tenant, own) in [(&w.a, true), (&w.b, false)] {
                let path = fill(route.path, tenant, &own_ticket);
                let r = match route.method {
                    "get" => w.api.get(&path, token.as_deref()).await,
                    "post" | "put" => {
                        // a well-formed body for the routes behind authorisation
                        let body = body_for(route.path, tenant, &own_ticket, &pass);
                        let url = w.api.url(&path);
                        let req = if route.method == "put" {
                            w.api.http.put(url)
                        } else {
                            w.api.http.post(url)
                        };
                        let mut req = req.json(&body);
                        if let Some(t) = token {
                            req = req.bearer_auth(t);
                        }
                        req.send().await.expect("request")
                    }
                    m => panic!("method {m} not in the matrix"),
                };
                let got = r.status().as_u16();
                let want = expected(route.access, route.path, *who, own);
                let ok = if route.access == Access::Public {
                    got != 401 && got != 403
                } else {
                    got == want
                };
                if !ok {
                    failures.push(format!(
                        "{} {} as {who:?} (own tenant: {own}): {got}, expected {want}",
                        route.method, path
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(checked, TABLE.len() * callers.len() * 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn denied_requests_are_audited_without_secrets() {
    let w = world().await;
    let (token, _) = w.api.sign_in(&w.holder).await;
    let path = format!("/v1/organizers/{}/members", w.b.organizer);
    assert_eq!(w.api.get(&path, Some(&token)).await.status(), 403);
    assert_eq!(w.api.get("/v1/me", Some("garbage")).await.status(), 401);
    // the same refusals again: folded into the rows above, not written again
    assert_eq!(w.api.get(&path, Some(&token)).await.status(), 403);
    assert_eq!(w.api.get("/v1/me", Some("garbage")).await.status(), 401);
    let rows: Vec<(String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT actor, action, target, outcome FROM audit_log WHERE action = 'denied' ORDER BY id",
    )
    .fetch_all(&w.api.admin)
    .await
    .expect("audit");
    assert_eq!(
        rows,
        vec![
            // the route's pattern, never the raw path
            (
                w.holder.address(),
                "denied".into(),
                Some("/v1/organizers/{organizer}/members".into()),
                "role".into()
            ),
            (
                "anonymous".into(),
                "denied".into(),
                Some("/v1/me".into()),
                "bad_token".into()
            ),
        ]
    );
    let all: Vec<String> = sqlx::query_scalar("SELECT row_to_json(a)::text FROM audit_log a")
        .fetch_all(&w.api.admin)
        .await
        .expect("audit");
    let text = all.join("\n");
    assert!(
        !text.contains(&token) && !text.contains("garbage"),
        "a token reached the audit log"
    );
    // sign-ins are there too, from loopback
    let sign_ins: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND outcome = 'ok' AND source = '127.0.0.1'",
    )
    .fetch_one(&w.api.admin)
    .await
    .expect("audit");
    assert_eq!(sign_ins, 1);
}

/// Every route's path parameters, one at a time, as an attacker would write them (bad
/// base58, the wrong length, percent-encoded bytes that are not UTF-8, NUL, a huge
/// segment), by every kind of caller: never a 5xx (it was 500 on staff routes).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_path_parameter_gives_a_server_error() {
    let w = world().await;
    let (holder, _) = w.api.sign_in(&w.holder).await;
    let (admin, _) = w.api.sign_in(w.a.member("admin")).await;
    let huge = "1".repeat(10_000);
    let short = bs58::encode([7u8; 31]).into_string();
    let long = bs58::encode([7u8; 33]).into_string();
    let bad: Vec<&str> = vec![
        "%FF%FE", "%C3%28", "%00", "0OIl0OIl", "1", &huge, &short, &long, "..%2F..", "%20",
    ];
    let own_ticket = w.a.tickets[0].clone();
    let mut checked = 0;
    let mut failures = Vec::new();
    for route in TABLE {
        let params: Vec<&str> = ["{organizer}", "{event}", "{ticket}"]
            .into_iter()
            .filter(|p| route.path.contains(p))
            .collect();
        for param in &params {
            for b in &bad {
                let path = fill(&route.path.replace(param, b), &w.a, &own_ticket);
                for token in [None, Some(holder.as_str()), Some(admin.as_str())] {
                    let r = match route.method {
                        "get" => w.api.get(&path, token).await,
                        _ => {
                            let mut req = w.api.http.post(w.api.url(&path)).json(&body_for(
                                route.path,
                                &w.a,
                                &own_ticket,
                                &serde_json::json!({ "expires_at": 1, "signature": "1" }),
                            ));
                            if let Some(t) = token {
                                req = req.bearer_auth(t);
                            }
                            req.send().await.expect("request")
                        }
                    };
                    checked += 1;
                    if r.status().is_server_error() {
                        failures.push(format!("{} {path}: {}", route.method, r.status()));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "{checked}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Roles come from the mirror: the staff routes answer 503 while it lags the node past
/// the bound (or its lag is unknown), and answer again once it has caught up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_routes_refuse_a_stale_mirror() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    let a = seed_tenant(&db.0, &holder, 1).await;
    let api = spawn_configured(
        &[],
        db,
        &[("BITTICKET_API_STAFF_MAX_LAG_SLOTS", "10".to_string())],
    )
    .await;
    let (admin, _) = api.sign_in(a.member("admin")).await;
    let members = format!("/v1/organizers/{}/members", a.organizer);
    // no checkpoint yet: the lag is unknown
    assert_eq!(api.get(&members, Some(&admin)).await.status(), 503);
    // reads that do not depend on roles still answer
    assert_eq!(api.get("/v1/me", Some(&admin)).await.status(), 200);
    sqlx::query(
        "INSERT INTO checkpoints (stream, slot, synced_slot) VALUES ('program', 1, 4000000000000)",
    )
    .execute(&api.admin)
    .await
    .expect("a mirror ahead of the node");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(api.get(&members, Some(&admin)).await.status(), 200);
    // a million slots behind (a young test validator may be at slot 5: 0 is not behind)
    sqlx::query("UPDATE checkpoints SET synced_slot = -1000000")
        .execute(&api.admin)
        .await
        .expect("a stalled mirror");
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    assert_eq!(api.get(&members, Some(&admin)).await.status(), 503);
}

/// The audit log is a hash chain: every row the API wrote verifies, and a row changed or
/// removed in the middle is found by `audit_log_verify()`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_audit_log_is_tamper_evident() {
    let w = world().await;
    for _ in 0..3 {
        w.api.sign_in(&Wallet::random()).await;
    }
    assert_eq!(w.api.get("/v1/me", Some("garbage")).await.status(), 401);
    let ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM audit_log ORDER BY id")
        .fetch_all(&w.api.admin)
        .await
        .expect("ids");
    assert!(ids.len() >= 4, "{ids:?}");
    let unchained: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE hash IS NULL")
        .fetch_one(&w.api.admin)
        .await
        .expect("count");
    assert_eq!(unchained, 0);
    assert_eq!(audit_verify(&w.api.admin).await, None);
    // an edit in the middle
    sqlx::query("UPDATE audit_log SET outcome = 'refused' WHERE id = $1")
        .bind(ids[1])
        .execute(&w.api.admin)
        .await
        .expect("tamper");
    assert_eq!(audit_verify(&w.api.admin).await, Some(ids[1]));
    sqlx::query("UPDATE audit_log SET outcome = 'ok' WHERE id = $1")
        .bind(ids[1])
        .execute(&w.api.admin)
        .await
        .expect("restore");
    assert_eq!(audit_verify(&w.api.admin).await, None);
    // a row removed from the middle: the next one no longer follows
    sqlx::query("DELETE FROM audit_log WHERE id = $1")
        .bind(ids[2])
        .execute(&w.api.admin)
        .await
        .expect("remove");
    assert_eq!(audit_verify(&w.api.admin).await, Some(ids[3]));
}

async fn audit_verify(db: &sqlx::PgPool) -> Option<i64> {
    sqlx::query_scalar::<_, Option<i64>>("SELECT audit_log_verify()")
        .fetch_one(db)
        .await
        .expect("verify")
}
