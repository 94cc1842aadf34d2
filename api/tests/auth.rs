//! Sign-in, tokens and refresh against the running API: the refusals the issue lists.
use base64::Engine;
use bitticket_api::auth::tokens::{ed25519_encoding_key, service_token, Claims, TokenKind};
use bitticket_testkit::api::*;
use jsonwebtoken::{encode, Algorithm, EncodingKey, Header};
use serde_json::json;

fn b64url(b: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

fn claims(sub: &str, kind: TokenKind, iss: &str, aud: &str, exp: i64) -> Claims {
    Claims {
        iss: iss.into(),
        sub: sub.into(),
        aud: aud.into(),
        exp,
        nbf: now() - 5,
        iat: now() - 5,
        iat_ms: None,
        jti: "j".into(),
        kind,
    }
}

/// A token signed with the API's own Ed25519 key, as an attacker who had it could not be
/// told apart from the API: the baseline the attacks below differ from by one thing.
fn access_token_with(c: &Claims) -> String {
    let seed: [u8; 32] = access_seed().try_into().expect("seed");
    encode(
        &Header::new(Algorithm::EdDSA),
        c,
        &ed25519_encoding_key(&seed),
    )
    .expect("encode")
}

async fn nonce_message(api: &Api, w: &Wallet) -> String {
    let n: serde_json::Value = api
        .post("/v1/auth/nonce", json!({ "address": w.address() }))
        .await
        .json()
        .await
        .expect("nonce");
    n["message"].as_str().expect("message").to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_signs_in_once_per_nonce() {
    let w = world().await;
    let wallet = Wallet::random();
    let message = nonce_message(&w.api, &wallet).await;
    let body = json!({ "message": message, "signature": wallet.sign(&message) });
    let r = w.api.post("/v1/auth/sign-in", body.clone()).await;
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.expect("tokens");
    assert_eq!(t["wallet"], wallet.address());
    assert_eq!(t["token_type"], "Bearer");
    let me: serde_json::Value = w
        .api
        .get("/v1/me", t["access_token"].as_str())
        .await
        .json()
        .await
        .expect("me");
    assert_eq!(me["wallet"], wallet.address());
    // the same signed message again: its nonce is spent
    assert_eq!(w.api.post("/v1/auth/sign-in", body).await.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_refuses_another_domain_an_expired_message_another_key_or_anothers_nonce() {
    let w = world().await;
    let wallet = Wallet::random();
    let thief = Wallet::random();
    let sign_in = |message: String, signer: &Wallet| {
        let sig = signer.sign(&message);
        let api = &w.api;
        async move {
            api.post(
                "/v1/auth/sign-in",
                json!({ "message": message, "signature": sig }),
            )
            .await
            .status()
            .as_u16()
        }
    };
    // another domain (a phishing site relaying our nonce)
    let m = nonce_message(&w.api, &wallet).await;
    assert_eq!(
        sign_in(m.replacen("tickets.test", "evil.test", 1), &wallet).await,
        401
    );
    // expired: the wallet signed a message whose expiration has passed
    let m = nonce_message(&w.api, &wallet).await;
    let exp_line = m
        .lines()
        .find(|l| l.starts_with("Expiration Time: "))
        .expect("exp")
        .to_string();
    let issued_line = m
        .lines()
        .find(|l| l.starts_with("Issued At: "))
        .expect("iat")
        .to_string();
    let old = m
        .replace(&exp_line, "Expiration Time: 2020-01-01T00:05:00Z")
        .replace(&issued_line, "Issued At: 2020-01-01T00:00:00Z");
    assert_eq!(sign_in(old, &wallet).await, 401);
    // signed by a key other than the address in the message
    let m = nonce_message(&w.api, &wallet).await;
    assert_eq!(sign_in(m.clone(), &thief).await, 401);
    // a valid signature by the thief over a message naming the thief, with the wallet's nonce
    let theirs = m.replace(&wallet.address(), &thief.address());
    assert_eq!(sign_in(theirs, &thief).await, 401);
    // that nonce was spent by the attempt: even the rightful wallet cannot use it now
    assert_eq!(sign_in(m, &wallet).await, 401);
    // malformed input gets a clear 400
    let r = w
        .api
        .post(
            "/v1/auth/sign-in",
            json!({ "message": "hi", "signature": "0OIl" }),
        )
        .await;
    assert_eq!(r.status(), 400);
    let failures: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM audit_log WHERE action = 'sign_in' AND outcome <> 'ok'",
    )
    .fetch_one(&w.api.admin)
    .await
    .expect("audit");
    assert_eq!(failures, 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_misused_tokens_are_refused() {
    let w = world().await;
    let wallet = w.holder.address();
    let later = now() + 600;
    let good = access_token_with(&claims(
        &wallet,
        TokenKind::Access,
        "bitticket-api",
        "bitticket",
        later,
    ));
    assert_eq!(w.api.get("/v1/me/tickets", Some(&good)).await.status(), 200);

    let header_none = b64url(br#"{"alg":"none","typ":"JWT"}"#);
    let payload = b64url(
        serde_json::to_string(&claims(
            &wallet,
            TokenKind::Access,
            "bitticket-api",
            "bitticket",
            later,
        ))
        .expect("json")
        .as_bytes(),
    );
    let public = ed25519_dalek::SigningKey::from_bytes(&access_seed().try_into().expect("seed"))
        .verifying_key()
        .to_bytes();
    // a payload naming another wallet, under the original signature
    let parts: Vec<&str> = good.split('.').collect();
    let other = b64url(
        serde_json::to_string(&claims(
            &key(),
            TokenKind::Access,
            "bitticket-api",
            "bitticket",
            later,
        ))
        .expect("json")
        .as_bytes(),
    );
    let tampered = format!("{}.{}.{}", parts[0], other, parts[2]);
    let user_claims = claims(
        &wallet,
        TokenKind::Access,
        "bitticket-api",
        "bitticket",
        later,
    );
    let mut hs = Header::new(Algorithm::HS256);
    let attacks: Vec<(&str, String)> = vec![
        ("alg none", format!("{header_none}.{payload}.")),
        // algorithm confusion: HS256 keyed with the public Ed25519 key
        (
            "HS256 with the public key",
            encode(&hs, &user_claims, &EncodingKey::from_secret(&public)).expect("enc"),
        ),
        ("tampered payload", tampered),
        (
            "expired",
            access_token_with(&claims(
                &wallet,
                TokenKind::Access,
                "bitticket-api",
                "bitticket",
                now() - 120,
            )),
        ),
        // validly signed, but living a year: every token's life is bounded
        (
            "wallet token living a year",
            access_token_with(&claims(
                &wallet,
                TokenKind::Access,
                "bitticket-api",
                "bitticket",
                now() + 365 * 86_400,
            )),
        ),
        (
            "wrong audience",
            access_token_with(&claims(
                &wallet,
                TokenKind::Access,
                "bitticket-api",
                "another-api",
                later,
            )),
        ),
        (
            "wrong issuer",
            access_token_with(&claims(
                &wallet,
                TokenKind::Access,
                "someone-else",
                "bitticket",
                later,
            )),
        ),
        // a service's kind of token signed with the user key
        (
            "service claims under EdDSA",
            access_token_with(&claims(
                SERVICE,
                TokenKind::Service,
                "bitticket-api",
                "bitticket",
                later,
            )),
        ),
    ];
    hs.kid = Some(SERVICE.into());
    let mut attacks = attacks;
    // a user token re-signed by a service: a service cannot mint wallet tokens
    attacks.push((
        "user claims under a service secret",
        encode(
            &hs,
            &claims(&wallet, TokenKind::Access, SERVICE, "bitticket", later),
            &EncodingKey::from_secret(&service_secret()),
        )
        .expect("enc"),
    ));
    // an unknown service, a wrong secret, a lifetime over the cap
    attacks.push((
        "unknown service",
        service_token(
            "stranger",
            &service_secret(),
            "bitticket",
            std::time::Duration::from_secs(60),
        )
        .expect("svc"),
    ));
    attacks.push((
        "wrong service secret",
        service_token(
            SERVICE,
            &[9u8; 48],
            "bitticket",
            std::time::Duration::from_secs(60),
        )
        .expect("svc"),
    ));
    attacks.push((
        "service token living a day",
        service_token(
            SERVICE,
            &service_secret(),
            "bitticket",
            std::time::Duration::from_secs(86_400),
        )
        .expect("svc"),
    ));
    for (name, token) in &attacks {
        let status = w.api.get("/v1/me", Some(token)).await.status();
        assert_eq!(status, 401, "{name}");
    }
    // a valid service token where a wallet is needed, and a wallet where a tenant's service is
    let svc = w.api.service_token();
    assert_eq!(w.api.get("/v1/me", Some(&svc)).await.status(), 200);
    assert_eq!(w.api.get("/v1/me/tickets", Some(&svc)).await.status(), 403);
    let members = format!("/v1/organizers/{}/members", w.a.organizer);
    assert_eq!(w.api.get(&members, Some(&svc)).await.status(), 200);
    assert_eq!(w.api.get(&members, Some(&good)).await.status(), 403);
}

/// `POST /v1/auth/<what> {"refresh_token": token}`'s status.
async fn token_call(api: &Api, what: &str, token: &str) -> u16 {
    api.post(
        &format!("/v1/auth/{what}"),
        json!({ "refresh_token": token }),
    )
    .await
    .status()
    .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_rotates_and_a_reused_or_revoked_token_is_refused() {
    let w = world().await;
    let wallet = Wallet::random();
    let (_, r1) = w.api.sign_in(&wallet).await;
    let r = w
        .api
        .post("/v1/auth/refresh", json!({ "refresh_token": r1 }))
        .await;
    assert_eq!(r.status(), 200);
    let t: serde_json::Value = r.json().await.expect("tokens");
    let r2 = t["refresh_token"].as_str().expect("refresh").to_string();
    assert_ne!(r1, r2);
    assert_eq!(
        w.api
            .get("/v1/me", t["access_token"].as_str())
            .await
            .status(),
        200
    );
    // r1 again: a replay. Refused, and it revokes the family: r2 dies with it
    assert_eq!(token_call(&w.api, "refresh", &r1).await, 401);
    assert_eq!(token_call(&w.api, "refresh", &r2).await, 401);
    // sign-out revokes a family
    let (_, r3) = w.api.sign_in(&wallet).await;
    assert_eq!(token_call(&w.api, "sign-out", &r3).await, 204);
    assert_eq!(token_call(&w.api, "refresh", &r3).await, 401);
    assert_eq!(token_call(&w.api, "refresh", "made-up").await, 401);
    // only hashes are stored
    let stored: Vec<Vec<u8>> = sqlx::query_scalar("SELECT hash FROM refresh_tokens")
        .fetch_all(&w.api.admin)
        .await
        .expect("tokens");
    assert!(stored.iter().all(|h| h.len() == 32 && *h != r3.as_bytes()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_out_ends_the_access_tokens_too_and_a_family_has_an_absolute_lifetime() {
    let w = world().await;
    let wallet = Wallet::random();
    let (access, refresh) = w.api.sign_in(&wallet).await;
    assert_eq!(w.api.get("/v1/me", Some(&access)).await.status(), 200);
    assert_eq!(token_call(&w.api, "sign-out", &refresh).await, 204);
    // the access token was issued before the wallet's not-before: refused at once
    assert_eq!(w.api.get("/v1/me", Some(&access)).await.status(), 401);
    // signing in again works straight away
    let (fresh, refresh) = w.api.sign_in(&wallet).await;
    assert_eq!(w.api.get("/v1/me", Some(&fresh)).await.status(), 200);
    // a family older than its absolute lifetime (90 days by default) is refused, however
    // recently it rotated
    sqlx::query(
        "UPDATE refresh_tokens SET family_started_at = now() - interval '91 days' WHERE wallet = $1",
    )
    .bind(wallet.address())
    .execute(&w.api.admin)
    .await
    .expect("age the family");
    assert_eq!(token_call(&w.api, "refresh", &refresh).await, 401);
}

/// A refresh and a sign-out of the same token, at once, many times: whichever runs first,
/// the token a refresh issued never outlives the sign-out.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sign_out_racing_a_refresh_of_the_same_token_leaves_nothing_live() {
    let w = world().await;
    let wallet = Wallet::random();
    let mut refreshed = 0;
    for _ in 0..20 {
        let (_, token) = w.api.sign_in(&wallet).await;
        let refresh = w
            .api
            .post("/v1/auth/refresh", json!({ "refresh_token": token }));
        let sign_out = token_call(&w.api, "sign-out", &token);
        let (r, out) = tokio::join!(refresh, sign_out);
        assert_eq!(out, 204);
        if r.status() == 200 {
            refreshed += 1;
            let t: serde_json::Value = r.json().await.expect("tokens");
            let next = t["refresh_token"].as_str().expect("refresh");
            assert_eq!(
                token_call(&w.api, "refresh", next).await,
                401,
                "the token issued beside a sign-out is still live"
            );
        }
    }
    println!("{refreshed} of 20 refreshes ran before their sign-out");
}
