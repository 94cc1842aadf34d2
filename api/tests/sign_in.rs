//! Sign-in refusals say what is wrong (and nothing secret), and a web app's users sign in
//! under the app's own origin.
use bitticket_testkit::api::*;
use serde_json::{json, Value};

async fn nonce(api: &Api, w: &Wallet, origin: Option<&str>, domain: Option<&str>) -> Value {
    let mut body = json!({ "address": w.address() });
    if let Some(d) = domain {
        body["domain"] = json!(d);
    }
    let mut r = api.http.post(api.url("/v1/auth/nonce")).json(&body);
    if let Some(o) = origin {
        r = r.header("origin", o);
    }
    let r = r.send().await.expect("request");
    assert_eq!(r.status(), 200);
    r.json().await.expect("json")
}

async fn message(api: &Api, w: &Wallet) -> String {
    nonce(api, w, None, None).await["message"]
        .as_str()
        .expect("message")
        .to_string()
}

/// Signs `message` with `signer` and sends it: the status and the error's message.
async fn sign_in(api: &Api, message: &str, signer: &Wallet) -> (u16, String) {
    let r = api
        .post(
            "/v1/auth/sign-in",
            json!({ "message": message, "signature": signer.sign(message) }),
        )
        .await;
    let status = r.status().as_u16();
    let v: Value = r.json().await.expect("json");
    if status != 200 {
        assert_eq!(v["error"]["code"], "unauthorized", "{v}");
    }
    (
        status,
        v["error"]["message"].as_str().unwrap_or("").to_string(),
    )
}

fn nonce_in(message: &str) -> String {
    message
        .lines()
        .find_map(|l| l.strip_prefix("Nonce: "))
        .expect("a nonce line")
        .to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_sign_in_says_why() {
    let w = world().await;
    let wallet = Wallet::random();
    let thief = Wallet::random();
    let m = message(&w.api, &wallet).await;
    let cases = [
        (
            m.replacen("tickets.test", "evil.test", 1),
            &wallet,
            "domain mismatch: the message's domain is not a sign-in domain of this API",
        ),
        (
            m.replace("Chain ID: localnet", "Chain ID: mainnet"),
            &wallet,
            "chain mismatch: the message names another chain ID",
        ),
        (
            m.clone(),
            &thief,
            "the signature does not verify for this wallet and message",
        ),
    ];
    for (text, signer, why) in &cases {
        assert_eq!(sign_in(&w.api, text, signer).await, (401, why.to_string()));
    }
    // none of those spent the nonce: the rightful signature signs in, once
    assert_eq!(sign_in(&w.api, &m, &wallet).await.0, 200);
    assert_eq!(
        sign_in(&w.api, &m, &wallet).await,
        (
            401,
            "nonce unknown or already used (a nonce works once): ask for a new one".into()
        )
    );
    // a message past its expiration time
    let m = message(&w.api, &wallet).await;
    let old: String = m
        .lines()
        .map(|l| {
            if l.starts_with("Expiration Time: ") {
                "Expiration Time: 2020-01-01T00:05:00Z".to_string()
            } else if l.starts_with("Issued At: ") {
                "Issued At: 2020-01-01T00:00:00Z".to_string()
            } else {
                l.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert_eq!(
        sign_in(&w.api, &old, &wallet).await,
        (401, "the message has expired".into())
    );
    // a nonce that expired while the wallet was signing
    let m = message(&w.api, &wallet).await;
    sqlx::query("UPDATE auth_nonces SET expires_at = now() - interval '1 second' WHERE nonce = $1")
        .bind(nonce_in(&m))
        .execute(&w.api.admin)
        .await
        .expect("expire the nonce");
    // another wallet's nonce sweeps old ones on the way, not this one yet: still "expired"
    message(&w.api, &thief).await;
    assert_eq!(
        sign_in(&w.api, &m, &wallet).await,
        (401, "nonce expired: ask for a new one".into())
    );
    // the thief signs its own address into the wallet's message: the nonce is not its own
    let m = message(&w.api, &wallet).await;
    let theirs = m.replace(&wallet.address(), &thief.address());
    let (status, why) = sign_in(&w.api, &theirs, &thief).await;
    assert_eq!(
        (status, why.as_str()),
        (401, "the nonce was issued to another wallet")
    );
    assert!(!why.contains(&nonce_in(&m)), "the nonce is not repeated");
    // audited by reason, never with the message or the signature
    let reasons: Vec<String> = sqlx::query_scalar(
        "SELECT outcome FROM audit_log WHERE action = 'sign_in' AND outcome <> 'ok' ORDER BY id",
    )
    .fetch_all(&w.api.admin)
    .await
    .expect("audit");
    assert_eq!(
        reasons,
        [
            "domain",
            "chain",
            "signature",
            "nonce_unknown",
            "expired",
            "nonce_expired",
            "nonce_other_wallet"
        ]
    );
}

/// A web app listed in `BITTICKET_API_SIGN_IN_ORIGINS` (the test settings list
/// `https://app.tickets.test`) gets messages naming its own domain and URI, by its
/// browser's `Origin` or by asking; any other domain is refused.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_app_signs_its_users_in_under_its_own_origin() {
    let w = world().await;
    let wallet = Wallet::random();
    let by_origin = nonce(&w.api, &wallet, Some("https://app.tickets.test"), None).await;
    let by_name = nonce(&w.api, &wallet, None, Some("app.tickets.test")).await;
    for n in [&by_origin, &by_name] {
        assert_eq!(n["domain"], "app.tickets.test");
        assert_eq!(n["uri"], "https://app.tickets.test");
        let m = n["message"].as_str().expect("message");
        assert!(
            m.starts_with("app.tickets.test wants you to sign in with your Solana account:\n"),
            "{m}"
        );
        assert!(m.contains("\nURI: https://app.tickets.test\n"), "{m}");
        assert_eq!(sign_in(&w.api, m, &wallet).await.0, 200);
    }
    // another page's origin gets the API's own domain; another domain asked for, a 400
    let other = nonce(&w.api, &wallet, Some("https://evil.test"), None).await;
    assert_eq!(other["domain"], "tickets.test");
    let r = w
        .api
        .post(
            "/v1/auth/nonce",
            json!({ "address": wallet.address(), "domain": "evil.test" }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let v: Value = r.json().await.expect("json");
    assert_eq!(
        v["error"]["message"],
        "field `domain`: not a sign-in domain of this API"
    );
    // a message for the app's domain, at an API that does not list the app
    let plain = spawn_configured(
        &[],
        fresh_db().await,
        &[("BITTICKET_API_SIGN_IN_ORIGINS", String::new())],
    )
    .await;
    let n = nonce(&w.api, &wallet, Some("https://app.tickets.test"), None).await;
    let m = n["message"].as_str().expect("message");
    let (status, why) = sign_in(&plain, m, &wallet).await;
    assert_eq!(status, 401);
    assert!(why.starts_with("domain mismatch"), "{why}");
}
