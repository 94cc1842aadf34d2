//! The HTTP surface: security headers on every response, error bodies that say nothing
//! of the inside but name the field at fault, bounded and validated input, CORS from the
//! allow-list, the OpenAPI document and its page, health, reads.
use bitticket_api::middleware::security_headers::HEADERS;
use bitticket_testkit::api::*;
use serde_json::{json, Value};

fn assert_headers(r: &reqwest::Response, what: &str) {
    for (name, value) in HEADERS {
        assert_eq!(
            r.headers().get(*name).and_then(|v| v.to_str().ok()),
            Some(*value),
            "{what}: {name}"
        );
    }
}

/// An error body is exactly {"error": {"code", "message"}} and mentions nothing internal.
async fn assert_clean_error(r: reqwest::Response, code: &str) {
    let text = r.text().await.expect("body");
    let v: Value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    assert_eq!(v["error"]["code"], code, "{text}");
    assert_eq!(v.as_object().map(|o| o.len()), Some(1), "{text}");
    assert_eq!(v["error"].as_object().map(|o| o.len()), Some(2), "{text}");
    let lower = text.to_lowercase();
    for leak in [
        "sql", "postgres", "panic", "src/", "serde", "line ", "column", "relation", "syntax",
    ] {
        assert!(!lower.contains(leak), "{leak} in {text}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_response_carries_the_security_headers_and_errors_leak_nothing() {
    let w = world().await;
    let (token, _) = w.api.sign_in(&w.holder).await;
    let ok = w.api.get("/v1/me", Some(&token)).await;
    assert_eq!(ok.status(), 200);
    assert_headers(&ok, "200");
    assert_headers(&w.api.get("/health/live", None).await, "health");

    let r = w.api.get("/v1/me", None).await;
    assert_eq!(r.status(), 401);
    assert_headers(&r, "401");
    assert_clean_error(r, "unauthorized").await;

    let r = w.api.get("/no/such/route", Some(&token)).await;
    assert_eq!(r.status(), 404);
    assert_headers(&r, "404");
    assert_clean_error(r, "not_found").await;

    let r = w
        .api
        .http
        .delete(w.api.url("/v1/me"))
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 405);
    assert_headers(&r, "405");
    assert_clean_error(r, "method_not_allowed").await;

    // malformed, unknown fields, wrong types, a non-address, an oversized body
    let bad_bodies = [
        ("{not json", "bad_request"),
        (r#"{"address": "x", "admin": true}"#, "bad_request"),
        (r#"{"address": 42}"#, "bad_request"),
        (r#"{"address": "' OR 1=1 --"}"#, "bad_request"),
        (
            r#"{"__proto__": {"admin": true}, "address": "11111111111111111111111111111111"}"#,
            "bad_request",
        ),
    ];
    for (body, code) in bad_bodies {
        let r = w
            .api
            .http
            .post(w.api.url("/v1/auth/nonce"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("req");
        assert_eq!(r.status(), 400, "{body}");
        assert_headers(&r, body);
        assert_clean_error(r, code).await;
    }
    let huge = json!({ "address": "1".repeat(64 * 1024) });
    let r = w.api.post("/v1/auth/nonce", huge).await;
    assert_eq!(r.status(), 413);
    assert_headers(&r, "413");
    assert_eq!(
        r.headers().get("connection").map(|v| v.as_bytes()),
        Some(&b"close"[..]),
        "a refused body ends its connection, and says so"
    );
    assert_clean_error(r, "payload_too_large").await;

    // bad path and query values
    for path in [
        "/v1/events/not-an-address".to_string(),
        "/v1/events?limit=0".to_string(),
        "/v1/events?limit=101".to_string(),
        "/v1/events?extra=1".to_string(),
        format!(
            "/v1/organizers/{}/check-ins?cursor=1.x;DROP.0",
            w.a.organizer
        ),
    ] {
        let r = w.api.get(&path, Some(&token)).await;
        assert!(
            r.status() == 400 || r.status() == 403,
            "{path}: {}",
            r.status()
        );
        assert_headers(&r, &path);
    }
}

fn cors_headers(r: &reqwest::Response) -> Vec<String> {
    r.headers()
        .keys()
        .map(|k| k.as_str().to_string())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

fn preflight(api: &Api, origin: &str) -> reqwest::RequestBuilder {
    api.http
        .request(
            reqwest::Method::OPTIONS,
            api.url("/v1/transactions/purchase"),
        )
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization, content-type",
        )
}

/// The allow-listed origin's preflight is answered, another origin's is refused with no
/// CORS header at all, and a listed origin's calls carry the headers a web app reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cors_answers_only_the_allow_listed_origin() {
    let w = world().await;
    let r = preflight(&w.api, "https://app.tickets.test")
        .send()
        .await
        .expect("req");
    assert!(r.status().is_success(), "{}", r.status());
    let header = |r: &reqwest::Response, name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_lowercase)
    };
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("https://app.tickets.test")
    );
    assert!(header(&r, "access-control-allow-methods").is_some_and(|m| m.contains("post")));
    assert!(header(&r, "access-control-allow-headers")
        .is_some_and(|h| h.contains("authorization") && h.contains("content-type")));
    assert_headers(&r, "preflight");
    let r = preflight(&w.api, "https://evil.test")
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 403);
    assert_eq!(cors_headers(&r), Vec::<String>::new());
    assert_headers(&r, "refused preflight");
    // the web app's own calls: the catalogue, with what it may read
    let r = w
        .api
        .http
        .get(w.api.url("/v1/events"))
        .header("origin", "https://app.tickets.test")
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    assert_eq!(
        header(&r, "access-control-allow-origin").as_deref(),
        Some("https://app.tickets.test")
    );
    assert!(header(&r, "access-control-expose-headers").is_some_and(|h| h.contains("retry-after")));
    let r = w
        .api
        .http
        .get(w.api.url("/v1/events"))
        .header("origin", "https://evil.test")
        .send()
        .await
        .expect("req");
    assert!(r.headers().get("access-control-allow-origin").is_none());
}

/// With no origin listed (the default), no CORS header is ever sent.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_an_allow_list_no_cors_header_is_sent() {
    let api = spawn_configured(
        &[],
        fresh_db().await,
        &[("BITTICKET_API_CORS_ORIGINS", String::new())],
    )
    .await;
    let r = preflight(&api, "https://app.tickets.test")
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 405);
    assert_eq!(cors_headers(&r), Vec::<String>::new());
    let r = api
        .http
        .get(api.url("/v1/events"))
        .header("origin", "https://app.tickets.test")
        .send()
        .await
        .expect("req");
    assert_eq!(r.status(), 200);
    assert_eq!(cors_headers(&r), Vec::<String>::new());
}

async fn message_of(r: reqwest::Response) -> (u16, String) {
    let status = r.status().as_u16();
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["error"]["code"], "bad_request", "{v}");
    (
        status,
        v["error"]["message"].as_str().expect("message").to_string(),
    )
}

/// A 400 names the field (or parameter) and the cause, and nothing of the inside.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_request_names_the_field_and_the_cause() {
    let w = world().await;
    let (token, _) = w.api.sign_in(&w.holder).await;
    let post = |path: &'static str, body: &'static str| {
        w.api
            .http
            .post(w.api.url(path))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (path, body, want) in [
        (
            "/v1/transactions/purchase",
            r#"{"event": "nope"}"#,
            "field `event`: not a Solana address (base58 of 32 bytes)",
        ),
        (
            "/v1/transactions/purchase",
            r#"{"event": "11111111111111111111111111111111", "shard": -1}"#,
            "field `shard`: invalid value: integer `-1`, expected u8",
        ),
        (
            "/v1/transactions/purchase",
            r#"{"shard": 0}"#,
            "missing field `event`",
        ),
        (
            "/v1/auth/nonce",
            r#"{"address": 42}"#,
            "field `address`: invalid type: integer `42`, expected a string",
        ),
        (
            "/v1/auth/nonce",
            r#"[]"#,
            "invalid length 0, expected a JSON object",
        ),
        (
            "/v1/auth/sign-in",
            r#"{"message": "m", "signature": "0OIl"}"#,
            "field `signature`: not base58",
        ),
        (
            "/v1/transactions/transfer",
            r#"{"ticket": "11111111111111111111111111111111", "recipient": "x"}"#,
            "field `recipient`: not a Solana address (base58 of 32 bytes)",
        ),
    ] {
        let r = post(path, body).await.expect("request");
        assert_eq!(
            message_of(r).await,
            (400, want.to_string()),
            "{path} {body}"
        );
    }
    let (admin, _) = w.api.sign_in(w.a.member("admin")).await;
    for (path, want) in [
        (
            "/v1/events?limit=x".to_string(),
            "query parameter `limit`: invalid digit found in string",
        ),
        (
            "/v1/events?limit=500".to_string(),
            "query parameter `limit`: 1 to 100",
        ),
        (
            "/v1/events/nope".to_string(),
            "path parameter `event`: not a Solana address (base58 of 32 bytes)",
        ),
        (
            format!("/v1/organizers/{}/events/nope/tickets", w.a.organizer),
            "path parameter `event`: not a Solana address (base58 of 32 bytes)",
        ),
        (
            "/v1/organizers/nope/members".to_string(),
            "path parameter `organizer`: not a Solana address (base58 of 32 bytes)",
        ),
    ] {
        let r = w.api.get(&path, Some(&admin)).await;
        assert_eq!(message_of(r).await, (400, want.to_string()), "{path}");
    }
}

/// The OpenAPI document names the running API as its server; the docs page lists every
/// operation without a script; both need no token and carry the security headers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_and_its_page_are_served_with_the_security_headers() {
    let w = world().await;
    let r = w.api.get("/openapi.json", None).await;
    assert_eq!(r.status(), 200);
    assert_headers(&r, "openapi.json");
    assert!(r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json")));
    let doc: Value = r.json().await.expect("json");
    assert_eq!(doc["servers"][0]["url"], "https://tickets.test");
    for route in bitticket_api::routes::TABLE {
        assert!(
            doc["paths"][route.path][route.method]["summary"].is_string(),
            "{} {}",
            route.method,
            route.path
        );
    }
    let r = w.api.get("/docs", None).await;
    assert_eq!(r.status(), 200);
    assert_headers(&r, "docs");
    assert!(r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html")));
    let html = r.text().await.expect("html");
    for route in bitticket_api::routes::TABLE {
        let heading = format!(
            "<code>{} {}</code>",
            route.method.to_uppercase(),
            route.path
        );
        assert!(html.contains(&heading), "{heading} not on the page");
    }
    // nothing the CSP would block: no script, no style, nothing from elsewhere
    for blocked in [
        "<script",
        "<style",
        "style=",
        "<link",
        "src=",
        "https://cdn",
    ] {
        assert!(!html.contains(blocked), "{blocked} on the page");
    }
    assert!(html.contains("Server: <code>https://tickets.test</code>"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_needs_no_token_and_readiness_checks_postgres() {
    let w = world().await;
    let r = w.api.get("/health/ready", None).await;
    assert_eq!(r.status(), 200);
    let v: Value = r.json().await.expect("json");
    assert_eq!(v["postgres"], true);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_page_filter_and_stay_inside_the_tenant() {
    let w = world().await;
    let (holder, _) = w.api.sign_in(&w.holder).await;
    // the holder's tickets across both organizers, two pages of 2 then 1
    let p1: Value = w
        .api
        .get("/v1/me/tickets?limit=2", Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(p1["items"].as_array().map(|a| a.len()), Some(2));
    let cursor = p1["next_cursor"].as_str().expect("cursor");
    let p2: Value = w
        .api
        .get(
            &format!("/v1/me/tickets?limit=2&cursor={cursor}"),
            Some(&holder),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(p2["items"].as_array().map(|a| a.len()), Some(1));
    assert!(p2["next_cursor"].is_null());
    for t in p1["items"]
        .as_array()
        .into_iter()
        .flatten()
        .chain(p2["items"].as_array().into_iter().flatten())
    {
        assert_eq!(t["holder"], w.holder.address());
    }
    // another holder's ticket: not found (RLS hides it), not forbidden (nothing to learn)
    let theirs = &w.a.tickets[5];
    assert_eq!(
        w.api
            .get(&format!("/v1/tickets/{theirs}"), Some(&holder))
            .await
            .status(),
        404
    );
    let mine: Value = w
        .api
        .get(&format!("/v1/tickets/{}", w.a.tickets[0]), Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["commitment"], "finalized");

    // the catalogue: filters and figures
    let all: Value = w
        .api
        .get("/v1/events", Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(all["items"].as_array().map(|a| a.len()), Some(4));
    let on_sale: Value = w
        .api
        .get(
            &format!("/v1/events?on_sale=true&organizer={}", w.a.organizer),
            Some(&holder),
        )
        .await
        .json()
        .await
        .expect("json");
    let items = on_sale["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["pubkey"], w.a.event);
    let upcoming: Value = w
        .api
        .get("/v1/events?upcoming=true", Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(upcoming["items"].as_array().map(|a| a.len()), Some(2));
    let one: Value = w
        .api
        .get(&format!("/v1/events/{}", w.a.event), Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(one["sales"]["sold"], 6);
    assert_eq!(one["sales"]["revenue_lamports"], 6000);
    assert_eq!(one["sales"]["swept_lamports"], 2000);
    // a u64 price past i64 (the mirror's numeric(20)) comes back whole, as a number
    sqlx::query("UPDATE events SET price_lamports = 10000000000000000000 WHERE pubkey = $1")
        .bind(&w.a.event)
        .execute(&w.api.admin)
        .await
        .expect("price");
    let one: Value = w
        .api
        .get(&format!("/v1/events/{}", w.a.event), Some(&holder))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        one["price_lamports"].as_u64(),
        Some(10_000_000_000_000_000_000)
    );

    // staff reads of tenant A
    let (gate, _) = w.api.sign_in(w.a.member("gatekeeper")).await;
    let tickets: Value = w
        .api
        .get(
            &format!(
                "/v1/organizers/{}/events/{}/tickets",
                w.a.organizer, w.a.event
            ),
            Some(&gate),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(tickets["items"].as_array().map(|a| a.len()), Some(6));
    // B's event through A's path: A's scope has none of its tickets
    let cross: Value = w
        .api
        .get(
            &format!(
                "/v1/organizers/{}/events/{}/tickets",
                w.a.organizer, w.b.event
            ),
            Some(&gate),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(cross["items"].as_array().map(|a| a.len()), Some(0));
    // check-ins newest first, paged by cursor: 3 in all
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!(
                "/v1/organizers/{}/check-ins?limit=2&cursor={c}",
                w.a.organizer
            ),
            None => format!("/v1/organizers/{}/check-ins?limit=2", w.a.organizer),
        };
        let page: Value = w
            .api
            .get(&path, Some(&gate))
            .await
            .json()
            .await
            .expect("json");
        for c in page["items"].as_array().expect("items") {
            seen.push(c["slot"].as_i64().expect("slot"));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, vec![22, 21, 20]);
    let (finance, _) = w.api.sign_in(w.a.member("finance")).await;
    let vault: Value = w
        .api
        .get(
            &format!("/v1/organizers/{}/vault", w.a.organizer),
            Some(&finance),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(vault["lamports"], 5_000_000);
    assert_eq!(vault["threshold"], 2);
    let proposals: Value = w
        .api
        .get(
            &format!("/v1/organizers/{}/proposals", w.a.organizer),
            Some(&finance),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(proposals["items"][0]["index"], "1");
    assert_eq!(
        proposals["items"][0]["approved"]
            .as_array()
            .map(|a| a.len()),
        Some(1)
    );
    let (admin, _) = w.api.sign_in(w.a.member("admin")).await;
    let members: Value = w
        .api
        .get(
            &format!("/v1/organizers/{}/members", w.a.organizer),
            Some(&admin),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(members.as_array().map(|a| a.len()), Some(ROLES.len()));
    let alerts: Value = w
        .api
        .get(
            &format!("/v1/organizers/{}/alerts", w.a.organizer),
            Some(&admin),
        )
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(alerts["items"].as_array().map(|a| a.len()), Some(1));
    let me: Value = w
        .api
        .get("/v1/me", Some(&admin))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(me["memberships"][0]["roles"], json!(["admin"]));
}

/// A refusal sent before the body was read closes the connection and says so
/// (`Connection: close`), so a keep-alive client does not find it broken; a refusal of a
/// request without a body keeps the connection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refusal_before_the_body_is_read_says_connection_close() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let w = world().await;
    let exchange = |request: String| {
        let addr = w.api.addr;
        async move {
            let mut s = tokio::net::TcpStream::connect(addr).await.expect("connect");
            s.write_all(request.as_bytes()).await.expect("write");
            let mut buf = vec![0u8; 8192];
            let n = s.read(&mut buf).await.expect("read");
            String::from_utf8_lossy(&buf[..n]).to_lowercase()
        }
    };
    let body = r#"{"event":"x"}"#;
    let with_body = exchange(format!(
        "POST /v1/transactions/purchase HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    ))
    .await;
    assert!(with_body.starts_with("http/1.1 401"), "{with_body}");
    assert!(
        with_body.contains("\r\nconnection: close\r\n"),
        "{with_body}"
    );
    let without = exchange("GET /v1/me HTTP/1.1\r\nHost: t\r\n\r\n".into()).await;
    assert!(without.starts_with("http/1.1 401"), "{without}");
    assert!(!without.contains("connection: close"), "{without}");
}

/// The door page's files are served from `BITTICKET_API_DOOR_DIR` only by their fixed
/// names (nothing else of the directory, no path from the request), under a CSP that lets
/// the page run its own script, use the camera and reach this API and the RPC node (and its
/// WebSocket); `config.json` names the node; without the setting nothing is served.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_door_page_is_served_from_its_directory_only() {
    let dir = std::env::temp_dir().join(format!("bitticket-door-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    std::fs::write(dir.join("index.html"), "<!doctype html><p>door</p>").expect("index");
    std::fs::write(dir.join("door.js"), "console.log('door')").expect("js");
    std::fs::write(dir.join("secret.txt"), "not for the web").expect("secret");
    let api = spawn_configured(
        &[],
        fresh_db().await,
        &[
            ("BITTICKET_API_DOOR_DIR", dir.display().to_string()),
            (
                "BITTICKET_API_PUBLIC_RPC_URL",
                "https://rpc.example.com/v1/KEY".into(),
            ),
        ],
    )
    .await;
    let r = api.get("/door/", None).await;
    assert_eq!(r.status(), 200);
    let csp = r
        .headers()
        .get("content-security-policy")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(csp.contains("script-src 'self'"), "{csp}");
    assert!(
        csp.contains("connect-src 'self' https://rpc.example.com wss://rpc.example.com;"),
        "{csp}"
    );
    assert!(csp.contains("media-src 'self' blob: mediastream:"), "{csp}");
    assert!(
        !csp.contains("KEY"),
        "the node's key stays out of headers: {csp}"
    );
    assert_eq!(
        r.headers()
            .get("x-frame-options")
            .and_then(|v| v.to_str().ok()),
        Some("DENY")
    );
    assert_eq!(r.text().await.expect("html"), "<!doctype html><p>door</p>");
    let js = api.get("/door/door.js", None).await;
    assert_eq!(
        js.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("text/javascript; charset=utf-8")
    );
    let config: Value = api
        .get("/door/config.json", None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(config, json!({ "rpc": "https://rpc.example.com/v1/KEY" }));
    // only the page's own files: not another file, not a path out of the directory, and a
    // missing one of the list is a plain 404
    for path in [
        "/door/secret.txt",
        "/door/..%2Fsecret.txt",
        "/door/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/door/door.css",
    ] {
        let r = api.get(path, None).await;
        assert_eq!(r.status(), 404, "{path}");
        assert_clean_error(r, "not_found").await;
    }
    // no directory configured: no page
    let bare = spawn_with(&[], fresh_db().await).await;
    assert_eq!(bare.get("/door/", None).await.status(), 404);
    assert_eq!(bare.get("/door/config.json", None).await.status(), 404);
    let _ = std::fs::remove_dir_all(&dir);
}
