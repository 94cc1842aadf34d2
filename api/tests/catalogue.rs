//! The public catalogue and the first hour of an app: events and their availability read
//! without signing in (paged, rate-limited per client address, with the security
//! headers), a purchase refused with 409 and its reason before anything is built, and a
//! ticket found by its account or its mint.
use bitticket_testkit::api::*;
use serde_json::{json, Value};

async fn json_of(r: reqwest::Response) -> Value {
    r.json().await.expect("a JSON answer")
}

/// `UPDATE events SET {set} WHERE pubkey = $1`, as the indexer would write it.
async fn set_event(api: &Api, event: &str, set: &str) {
    sqlx::query(&format!("UPDATE events SET {set} WHERE pubkey = $1"))
        .bind(event)
        .execute(&api.admin)
        .await
        .expect("update the mirrored event");
}

/// The event's shards sold `sold` each (the standard world's on-sale event has two).
async fn set_sold(api: &Api, event: &str, shard: i32, sold: i64) {
    sqlx::query("UPDATE shards SET sold = $3 WHERE event = $1 AND index = $2")
        .bind(event)
        .bind(shard)
        .bind(sold)
        .execute(&api.admin)
        .await
        .expect("update the mirrored shard");
}

fn status_of(page: &Value, event: &str) -> Value {
    page["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|e| e["pubkey"] == event)
        .map(|e| e["availability"].clone())
        .unwrap_or(Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anybody_reads_the_catalogue_with_each_events_availability() {
    let w = world().await;
    let r = w.api.get("/v1/events", None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok()),
        Some("default-src 'self'")
    );
    let all = json_of(r).await;
    assert_eq!(all["items"].as_array().map(|a| a.len()), Some(4));
    assert_eq!(
        status_of(&all, &w.a.event),
        json!({ "status": "on_sale", "sold": 6, "remaining": 94 })
    );
    assert_eq!(
        status_of(&all, &w.a.upcoming),
        json!({ "status": "not_started", "sold": 0, "remaining": 100 })
    );
    // one event, with its sales figures, anonymously
    let one = json_of(w.api.get(&format!("/v1/events/{}", w.a.event), None).await).await;
    assert_eq!(one["availability"]["status"], "on_sale");
    assert_eq!(one["sales"]["sold"], 6);
    assert_eq!(one["name"], "Show");
    assert_eq!(
        w.api
            .get(&format!("/v1/events/{}", key()), None)
            .await
            .status(),
        404
    );

    // every status, as the mirror changes
    set_sold(&w.api, &w.b.event, 0, 50).await;
    set_sold(&w.api, &w.b.event, 1, 50).await;
    set_event(&w.api, &w.a.upcoming, "cancelled = true").await;
    set_event(&w.api, &w.b.upcoming, "approved = false").await;
    let all = json_of(w.api.get("/v1/events", None).await).await;
    assert_eq!(
        status_of(&all, &w.b.event),
        json!({ "status": "sold_out", "sold": 100, "remaining": 0 })
    );
    assert_eq!(status_of(&all, &w.a.upcoming)["status"], "cancelled");
    assert_eq!(status_of(&all, &w.b.upcoming)["status"], "not_approved");
    // "on sale" means what the status says: the sold-out event is not in it
    let on_sale = json_of(w.api.get("/v1/events?on_sale=true", None).await).await;
    let listed: Vec<&str> = on_sale["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|e| e["pubkey"].as_str())
        .collect();
    assert_eq!(listed, vec![w.a.event.as_str()]);
    set_event(&w.api, &w.a.event, "paused = true").await;
    let one = json_of(w.api.get(&format!("/v1/events/{}", w.a.event), None).await).await;
    assert_eq!(one["availability"]["status"], "paused");
    set_event(
        &w.api,
        &w.a.event,
        "paused = false, sale_start = sale_start - 10000, sale_end = sale_start - 9000",
    )
    .await;
    let one = json_of(w.api.get(&format!("/v1/events/{}", w.a.event), None).await).await;
    assert_eq!(one["availability"]["status"], "ended");

    // cursor pages, anonymously: 2, 2, then the end
    let mut seen = Vec::new();
    let mut path = "/v1/events?limit=2".to_string();
    loop {
        let page = json_of(w.api.get(&path, None).await).await;
        for e in page["items"].as_array().expect("items") {
            seen.push(e["pubkey"].as_str().expect("pubkey").to_string());
        }
        match page["next_cursor"].as_str() {
            Some(c) => path = format!("/v1/events?limit=2&cursor={c}"),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!((seen.len(), sorted), (4, seen.clone()));

    // a token, when sent, must be valid; a signed-in caller reads the same catalogue
    assert_eq!(
        w.api.get("/v1/events", Some("not.a.token")).await.status(),
        401
    );
    let (holder, _) = w.api.sign_in(&w.holder).await;
    let signed = json_of(w.api.get("/v1/events", Some(&holder)).await).await;
    assert_eq!(signed["items"].as_array().map(|a| a.len()), Some(4));
    // staff data stays behind roles
    for path in [
        format!("/v1/organizers/{}/members", w.a.organizer),
        format!("/v1/organizers/{}/check-ins", w.a.organizer),
        format!("/v1/organizers/{}/vault", w.a.organizer),
        "/v1/me/tickets".to_string(),
        format!("/v1/tickets/{}", w.a.tickets[0]),
    ] {
        assert_eq!(w.api.get(&path, None).await.status(), 401, "{path}");
    }
}

/// Without a token the caller is its client address: each address has the per-caller
/// budget (5 here), and a signed-in wallet behind the same address has its own.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn anonymous_reads_spend_a_budget_per_client_address() {
    let db = fresh_db().await;
    let holder = Wallet::random();
    seed_tenant(&db.0, &holder, 1).await;
    let api = spawn_configured(
        &[],
        db,
        &[
            ("BITTICKET_API_RATE_USER_PER_MIN", "5".to_string()),
            ("BITTICKET_API_TRUSTED_PROXIES", "127.0.0.1".to_string()),
        ],
    )
    .await;
    let from = |client: &'static str| {
        let api = &api;
        async move {
            api.http
                .get(api.url("/v1/events"))
                .header("x-forwarded-for", client)
                .send()
                .await
                .expect("request")
        }
    };
    for i in 0..5 {
        assert_eq!(from("203.0.113.7").await.status(), 200, "request {i}");
    }
    let r = from("203.0.113.7").await;
    assert_eq!(r.status(), 429);
    let retry: u64 = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=12).contains(&retry), "Retry-After {retry}");
    assert_eq!(
        r.headers()
            .get("x-content-type-options")
            .and_then(|v| v.to_str().ok()),
        Some("nosniff")
    );
    // another address has its own budget
    assert_eq!(from("203.0.113.8").await.status(), 200);
    // a wallet behind the spent address reads with its own
    let (token, _) = api.sign_in(&holder).await;
    let r = api
        .http
        .get(api.url("/v1/events"))
        .header("x-forwarded-for", "203.0.113.7")
        .bearer_auth(&token)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
}

async fn purchase(api: &Api, token: &str, body: Value) -> (u16, Value) {
    let r = api
        .http
        .post(api.url("/v1/transactions/purchase"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status().as_u16();
    (status, json_of(r).await)
}

async fn built(api: &Api) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'tx_build'")
        .fetch_one(&api.admin)
        .await
        .expect("audit")
}

/// A purchase the program would refuse is refused here first, with the program's reason
/// as a stable code (the sale window by the chain's clock, the rest by the mirror), and
/// nothing is built.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_that_cannot_sell_is_refused_with_409_and_its_reason() {
    let w = world().await;
    let (token, _) = w.api.sign_in(&Wallet::random()).await;
    let e = &w.a.event;
    // supply 100 over two shards: shard 0 issues serials 0, 2, ..., 98; shard 1 1, ..., 99
    set_sold(&w.api, e, 0, 50).await;
    set_sold(&w.api, e, 1, 50).await;
    let (status, body) = purchase(&w.api, &token, json!({ "event": e })).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"]["code"], "sold_out");
    assert_eq!(
        body["error"]["message"],
        "the event is sold out (100 of 100)"
    );
    // one ticket left, in shard 0: shard 1 asked for is sold out, the default finds room
    set_sold(&w.api, e, 0, 49).await;
    let (status, body) = purchase(&w.api, &token, json!({ "event": e, "shard": 1 })).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("sold_out"))
    );
    assert_eq!(built(&w.api).await, 0, "nothing was built");
    // a maximum below the price: the program would refuse it (PriceAboveMaximum)
    let (status, body) = purchase(
        &w.api,
        &token,
        json!({ "event": e, "max_price_lamports": 1 }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("price_above_maximum")),
        "{body}"
    );
    assert_eq!(built(&w.api).await, 0, "nothing was built");
    let (status, body) = purchase(&w.api, &token, json!({ "event": e })).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(built(&w.api).await, 1);

    // the sale's window, by the chain's clock, and the event's state
    let (status, body) = purchase(&w.api, &token, json!({ "event": w.a.upcoming })).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("sale_not_started")),
        "{body}"
    );
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.starts_with("the sale starts at 20")));
    for (set, code) in [
        (
            "sale_start = sale_start - 10000, sale_end = sale_start - 9000",
            "sale_ended",
        ),
        ("paused = true", "sale_paused"),
        ("approved = false", "event_not_approved"),
        ("cancelled = true", "event_cancelled"),
    ] {
        set_event(&w.api, &w.b.event, set).await;
        let (status, body) = purchase(&w.api, &token, json!({ "event": w.b.event })).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (409, Some(code)),
            "{set}: {body}"
        );
    }
    assert_eq!(built(&w.api).await, 1, "nothing more was built");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_is_found_by_its_account_or_its_mint() {
    let w = world().await;
    let (token, _) = w.api.sign_in(&w.holder).await;
    let ticket = &w.a.tickets[0];
    let by_account = json_of(
        w.api
            .get(&format!("/v1/tickets/{ticket}"), Some(&token))
            .await,
    )
    .await;
    assert_eq!(by_account["ticket"], *ticket);
    let mint = by_account["mint"].as_str().expect("mint").to_string();
    assert_ne!(mint, *ticket);
    let r = w
        .api
        .get(&format!("/v1/tickets/{mint}"), Some(&token))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(json_of(r).await, by_account);
    // its QR code by either id names the ticket account
    for id in [ticket.as_str(), mint.as_str()] {
        let r = w
            .api
            .get(&format!("/v1/tickets/{id}/qr"), Some(&token))
            .await;
        assert_eq!(r.status(), 200, "{id}");
    }
    // another holder's ticket, by its mint too: not found
    let theirs: String = sqlx::query_scalar("SELECT mint FROM tickets WHERE pubkey = $1")
        .bind(&w.a.tickets[5])
        .fetch_one(&w.api.admin)
        .await
        .expect("mint");
    for id in [&w.a.tickets[5], &theirs] {
        let r = w.api.get(&format!("/v1/tickets/{id}"), Some(&token)).await;
        assert_eq!(r.status(), 404, "{id}");
        let r = w
            .api
            .get(&format!("/v1/tickets/{id}/qr"), Some(&token))
            .await;
        assert_eq!(r.status(), 404, "{id}");
    }
    // a transfer by the mint is the ticket's
    let r = w
        .api
        .http
        .post(w.api.url("/v1/transactions/transfer"))
        .bearer_auth(&token)
        .json(&json!({ "ticket": mint, "recipient": key() }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    let t = json_of(r).await;
    assert_eq!((&t["ticket"], &t["mint"]), (&json!(ticket), &json!(mint)));
}

/// An event whose opened shards are full reads `sold_out` (as a purchase answers), though
/// its unopened shards hold the rest of the supply, and is not listed as on sale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_opened_shards_read_sold_out() {
    let w = world().await;
    // supply 100 over four shards, two of them opened: each holds 25 serials
    set_event(&w.api, &w.a.event, "shard_count = 4").await;
    set_sold(&w.api, &w.a.event, 0, 25).await;
    set_sold(&w.api, &w.a.event, 1, 24).await;
    let one = json_of(w.api.get(&format!("/v1/events/{}", w.a.event), None).await).await;
    assert_eq!(
        one["availability"],
        json!({ "status": "on_sale", "sold": 49, "remaining": 51 })
    );
    set_sold(&w.api, &w.a.event, 1, 25).await;
    let one = json_of(w.api.get(&format!("/v1/events/{}", w.a.event), None).await).await;
    assert_eq!(
        one["availability"],
        json!({ "status": "sold_out", "sold": 50, "remaining": 50 })
    );
    let on_sale = json_of(w.api.get("/v1/events?on_sale=true", None).await).await;
    assert!(on_sale["items"]
        .as_array()
        .expect("items")
        .iter()
        .all(|e| e["pubkey"] != w.a.event.as_str()));
}

/// A wallet's view of a ticket: the JSON its mint's URI names, in the format wallets read
/// (name, symbol, description, image, attributes), public, cached and with the security
/// headers; it follows the ticket's state and the organizer's display settings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tickets_metadata_is_what_a_wallet_reads() {
    let w = world().await;
    let event = &w.a.event;
    let url = format!("/v1/metadata/{event}/0");
    let r = w.api.get(&url, None).await;
    assert_eq!(r.status(), 200);
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    assert_eq!(
        header(&r, "cache-control").as_deref(),
        Some("public, max-age=60")
    );
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("*")
    );
    assert_eq!(
        header(&r, "x-content-type-options").as_deref(),
        Some("nosniff")
    );
    let m = json_of(r).await;
    assert_metadata_format(&m);
    assert_eq!(m["name"], "Show #0");
    assert_eq!(m["symbol"], "TIX");
    let image = m["image"].as_str().expect("image");
    assert!(
        image.ends_with(&format!("/v1/metadata/{event}/0/image.svg")),
        "{image}"
    );
    assert_eq!(trait_value(&m, "Event"), json!("Show"));
    assert_eq!(trait_value(&m, "Tier"), json!("General"));
    assert_eq!(trait_value(&m, "Serial"), json!(0));
    assert_eq!(trait_value(&m, "State"), json!("valid"));
    assert_eq!(trait_value(&m, "Venue"), Value::Null);
    // the image it names is served, an SVG of the ticket
    let path = image
        .split_once("/v1/")
        .map(|(_, p)| format!("/v1/{p}"))
        .expect("path");
    let svg = w.api.get(&path, None).await;
    assert_eq!(svg.status(), 200);
    assert_eq!(
        header(&svg, "content-type").as_deref(),
        Some("image/svg+xml")
    );
    let svg = svg.text().await.expect("svg");
    assert!(svg.starts_with("<svg") && svg.contains("#0"));

    // the JSON follows the ticket: checked in, then burned
    let state = |set: &'static str| {
        let (api, ticket) = (&w.api, w.a.tickets[0].clone());
        async move {
            sqlx::query(&format!("UPDATE tickets SET {set} WHERE pubkey = $1"))
                .bind(ticket)
                .execute(&api.admin)
                .await
                .expect("update the mirrored ticket");
        }
    };
    let serial0 = sqlx::query_scalar::<_, i64>("SELECT serial FROM tickets WHERE pubkey = $1")
        .bind(&w.a.tickets[0])
        .fetch_one(&w.api.admin)
        .await
        .expect("serial");
    let own = format!("/v1/metadata/{event}/{serial0}");
    state("state = 'checked_in'").await;
    let m = json_of(w.api.get(&own, None).await).await;
    assert_eq!(trait_value(&m, "State"), json!("checked in"));
    state("closed_slot = 99").await;
    let m = json_of(w.api.get(&own, None).await).await;
    assert_eq!(trait_value(&m, "State"), json!("burned"));

    // the organizer's event manager sets the description, image and venue
    let (manager, _) = w.api.sign_in(w.a.member("event_manager")).await;
    let put = |body: Value, token: String| {
        let api = &w.api;
        let path = format!("/v1/organizers/{}/events/{event}/display", w.a.organizer);
        async move {
            api.http
                .put(api.url(&path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request")
        }
    };
    let display = json!({
        "description": "The summer show.\nBring a friend.",
        "image_url": "https://cdn.example/show.png",
        "venue": "Hall <1>"
    });
    assert_eq!(put(display.clone(), manager.clone()).await.status(), 200);
    let m = json_of(w.api.get(&url, None).await).await;
    assert_metadata_format(&m);
    assert_eq!(m["description"], display["description"]);
    assert_eq!(m["image"], "https://cdn.example/show.png");
    assert_eq!(m["properties"]["files"][0]["type"], "image/png");
    assert_eq!(trait_value(&m, "Venue"), json!("Hall <1>"));
    // hostile or malformed settings are refused with the field named
    for (bad, field) in [
        (json!({ "image_url": "javascript:alert(1)" }), "image_url"),
        (
            json!({ "image_url": "https://x.example/a b.png" }),
            "image_url",
        ),
        (json!({ "venue": "a\u{7}" }), "venue"),
        (json!({ "description": "x".repeat(1_001) }), "description"),
    ] {
        let r = put(bad, manager.clone()).await;
        assert_eq!(r.status(), 400);
        let body = json_of(r).await;
        assert!(
            body["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("field `{field}`"))),
            "{body}"
        );
    }
    // another organizer's manager cannot set them; a serial the mirror lacks is a 404
    let (other, _) = w.api.sign_in(w.b.member("event_manager")).await;
    assert_eq!(put(json!({}), other).await.status(), 403);
    assert_eq!(
        w.api
            .get(&format!("/v1/metadata/{event}/4000000000"), None)
            .await
            .status(),
        404
    );
}

/// The fields and types of the token metadata standard wallets read.
fn assert_metadata_format(m: &Value) {
    for field in ["name", "symbol", "description", "image", "external_url"] {
        assert!(m[field].is_string(), "{field} is a string: {m}");
    }
    let attributes = m["attributes"].as_array().expect("attributes");
    for a in attributes {
        assert!(a["trait_type"].is_string(), "{a}");
        assert!(a["value"].is_string() || a["value"].is_number(), "{a}");
    }
    assert_eq!(m["properties"]["category"], "image");
    let file = &m["properties"]["files"][0];
    assert_eq!(file["uri"], m["image"]);
    assert!(file["type"]
        .as_str()
        .is_some_and(|t| t.starts_with("image/")));
}

fn trait_value(m: &Value, name: &str) -> Value {
    m["attributes"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|a| a["trait_type"] == name)
        .map(|a| a["value"].clone())
        .unwrap_or(Value::Null)
}
