//! End to end on the real validator: a purchase built by the API, signed by the wallet
//! and sent, mirrored by the indexer and then read through the API; the wallet's QR
//! admitted at the gate on chain evidence, the check-in transaction signed and landed, a
//! second scan refused; a transfer the mirror has not seen yet refused by the chain check;
//! a sold-out or unstarted sale refused before anything is built.
use bitticket_testkit::chain as scripted;

use std::sync::Arc;

use base64::Engine;
use bitticket_client::rpc::RpcSender;
use bitticket_indexer::source::{Policy, RpcPool};
use bitticket_indexer::{Indexer, Sink};
use bitticket_testkit::api::*;
use serde_json::{json, Value};
use solana_keypair::Keypair;
use solana_signer::Signer;
use solana_transaction::Transaction;

fn as_wallet(k: &Keypair) -> Wallet {
    let secret: [u8; 32] = k.to_bytes()[..32].try_into().expect("secret");
    Wallet {
        key: ed25519_dalek::SigningKey::from_bytes(&secret),
    }
}

fn decode(built: &Value) -> Transaction {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(built["transaction"].as_str().expect("transaction"))
        .expect("base64");
    bincode::deserialize(&bytes).expect("a transaction")
}

/// Signs what the API built with `signers` (keeping signatures already there) and sends it.
async fn sign_and_send(rpc: &RpcSender, built: &Value, signers: &[&Keypair]) {
    let mut tx = decode(built);
    let blockhash = tx.message.recent_blockhash;
    tx.try_partial_sign(&signers.to_vec(), blockhash)
        .expect("sign");
    rpc.client
        .send_and_confirm_transaction(&tx)
        .await
        .expect("the transaction lands");
}

/// An indexer over the validator into `db`, its snapshot taken.
async fn mirrored(db: &(sqlx::PgPool, String)) -> Indexer {
    let cfg = scripted::settings(&db.1, 50);
    let pool = Arc::new(RpcPool::new(
        &cfg.rpc_urls,
        cfg.rpc_timeout(),
        Policy::default(),
    ));
    let mut indexer = Indexer::new(&cfg, pool, Sink::new(db.0.clone()))
        .await
        .expect("indexer");
    indexer.snapshot().await.expect("snapshot");
    indexer
}

const PURCHASE: &str = "/v1/transactions/purchase";

/// The QR code of `ticket` carrying its holder's pass: `holder`'s wallet signs the pass
/// (valid two minutes by the chain's clock) and the API seals it into the code. (status,
/// answer)
async fn try_qr_with_pass(
    api: &Api,
    rpc: &RpcSender,
    token: &str,
    holder: &Keypair,
    ticket: &str,
) -> (u16, Value) {
    let t: Value = api
        .get(&format!("/v1/tickets/{ticket}"), Some(token))
        .await
        .json()
        .await
        .expect("json");
    let mint: solana_address::Address = t["mint"].as_str().expect("mint").parse().expect("mint");
    let now = rpc.now().await.expect("clock");
    let pass = bitticket_client::pass::Pass::sign(holder, &mint, now + 120);
    let body = json!({ "expires_at": pass.expires_at, "signature": pass.signature_base58() });
    let r = api
        .http
        .post(api.url(&format!("/v1/tickets/{ticket}/qr")))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    (r.status().as_u16(), r.json().await.expect("json"))
}

async fn qr_with_pass(
    api: &Api,
    rpc: &RpcSender,
    token: &str,
    holder: &Keypair,
    ticket: &str,
) -> Value {
    let (status, v) = try_qr_with_pass(api, rpc, token, holder, ticket).await;
    assert_eq!(status, 200, "{v}");
    v
}

async fn post(api: &Api, path: &str, token: &str, body: Value) -> Value {
    let r = api
        .http
        .post(api.url(path))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200, "{path}");
    r.json().await.expect("json")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_purchase_built_by_the_api_lands_is_mirrored_and_admits_once() {
    let rpc = RpcSender::new(&scripted::rpc_url());
    let s = scripted::sale(&rpc, 10, 1, 0, 2, 3_600).await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let second_instance = (db.0.clone(), db.1.clone());
    let api = spawn_with(&[], db).await;
    // the second instance's first node is dead: its chain checks fail over to the next
    let dead_first = format!("http://127.0.0.1:1,{}", scripted::rpc_url());
    let api2 = spawn_configured(
        &[],
        second_instance,
        &[("BITTICKET_API_RPC_URLS", dead_first)],
    )
    .await;

    let buyer = scripted::wallet(&rpc, scripted::SOL).await;
    let (token, _) = api.sign_in(&as_wallet(&buyer)).await;
    let event = s.event.to_string();
    let built = post(&api, PURCHASE, &token, json!({ "event": event })).await;
    // the API signed for the fresh mint only; the buyer's signature is still missing
    let tx = decode(&built);
    assert_eq!(tx.signatures.len(), 2);
    assert_eq!(built["signers"], json!([buyer.pubkey().to_string()]));
    sign_and_send(&rpc, &built, &[&buyer]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let ticket = built["ticket"].as_str().expect("ticket").to_string();
    let mine: Value = api
        .get("/v1/me/tickets", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let items = mine["items"].as_array().expect("items");
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["pubkey"], ticket);
    assert_eq!(items[0]["mint"], built["mint"]);

    // at the gate: the organizer's admin (all roles) scans the holder's QR
    scripted::wait_until(&rpc, s.config.check_in_start).await;
    let (gate, _) = api.sign_in(&as_wallet(&s.admin)).await;
    let verify = format!("/v1/organizers/{}/gate/verify", s.organizer);
    // a code without the holder's pass: a gatekeeper's wallet could not check it in
    let plain: Value = api
        .get(&format!("/v1/tickets/{ticket}/qr"), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let d = post(&api, &verify, &gate, json!({ "payload": plain["payload"] })).await;
    assert_eq!(
        (d["admit"].as_bool(), d["reason"].as_str()),
        (Some(false), Some("no_pass")),
        "{d}"
    );
    // a pass signed by another wallet is refused when the code is asked for
    let (status, forged) = try_qr_with_pass(&api, &rpc, &token, &Keypair::new(), &ticket).await;
    assert_eq!(status, 400, "{forged}");
    assert!(forged["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("field `signature`")));
    // the holder's code with its pass
    let qr = qr_with_pass(&api, &rpc, &token, &buyer, &ticket).await;
    let payload = qr["payload"].as_str().expect("payload").to_string();
    let d = post(&api, &verify, &gate, json!({ "payload": payload })).await;
    assert_eq!(
        (d["admit"].as_bool(), d["reason"].as_str()),
        (Some(true), Some("ok")),
        "{d}"
    );
    // the same code at a second API instance (another door, its first node dead), before
    // the check-in lands: the chain check passes through the next node, and admission is
    // single use across instances, saying who admitted and when
    let (gate2, _) = api2.sign_in(&as_wallet(&s.admin)).await;
    let again = post(&api2, &verify, &gate2, json!({ "payload": payload })).await;
    assert_eq!(
        (again["admit"].as_bool(), again["reason"].as_str()),
        (Some(false), Some("already_admitted")),
        "{again}"
    );
    assert_eq!(again["admitted_by"], s.admin.pubkey().to_string());
    assert!(again["admitted_at"]
        .as_i64()
        .is_some_and(|t| t > 1_700_000_000));
    assert!(again["check_in"].is_null());
    // the check-in: the gatekeeper signs alone, the holder's pass inside
    let check_in = &d["check_in"];
    assert_eq!(check_in["signers"], json!([s.admin.pubkey().to_string()]));
    assert_eq!(decode(check_in).signatures.len(), 1);
    sign_and_send(&rpc, check_in, &[&s.admin]).await;
    // the copy of the same QR, before and after the mirror catches up: refused both ways
    let d = post(&api, &verify, &gate, json!({ "payload": payload })).await;
    assert_eq!(
        d["reason"], "checked_in",
        "the chain knows before the mirror does"
    );
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let d = post(&api, &verify, &gate, json!({ "payload": payload })).await;
    assert_eq!(d["reason"], "checked_in");

    // a second ticket, transferred on chain after its QR was issued; the mirror has not
    // seen the transfer yet, the chain check refuses the QR
    let built = post(&api, PURCHASE, &token, json!({ "event": event })).await;
    sign_and_send(&rpc, &built, &[&buyer]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let second = built["ticket"].as_str().expect("ticket").to_string();
    let qr: Value = api
        .get(&format!("/v1/tickets/{second}/qr"), Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let friend = scripted::wallet(&rpc, scripted::SOL / 10).await;
    let built = post(
        &api,
        "/v1/transactions/transfer",
        &token,
        json!({ "ticket": second, "recipient": friend.pubkey().to_string() }),
    )
    .await;
    sign_and_send(&rpc, &built, &[&buyer]).await;
    let d = post(&api, &verify, &gate, json!({ "payload": qr["payload"] })).await;
    assert_eq!(
        (d["admit"].as_bool(), d["reason"].as_str()),
        (Some(false), Some("holder_changed")),
        "{d}"
    );
    // once mirrored, the ticket is the friend's: gone from the buyer's list
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let mine: Value = api
        .get("/v1/me/tickets", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    let held: Vec<&str> = mine["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|t| t["pubkey"].as_str())
        .collect();
    assert_eq!(held, vec![ticket.as_str()]);

    // a gatekeeper in the mirror only (removed on chain while the indexer stalled, say):
    // the gate asks the chain, which refuses it the role
    let impostor = Keypair::new();
    sqlx::query(
        "INSERT INTO members (organizer, member, permissions, slot) VALUES ($1, $2, $3, 0)",
    )
    .bind(s.organizer.to_string())
    .bind(impostor.pubkey().to_string())
    .bind(i32::from(bitticket::state::permission::GATEKEEPER))
    .execute(&api.admin)
    .await
    .expect("a mirror-only gatekeeper");
    let (fake_gate, _) = api.sign_in(&as_wallet(&impostor)).await;
    let other = scripted::wallet(&rpc, scripted::SOL).await;
    let (other_token, _) = api.sign_in(&as_wallet(&other)).await;
    let built = post(&api, PURCHASE, &other_token, json!({ "event": event })).await;
    sign_and_send(&rpc, &built, &[&other]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let third = built["ticket"].as_str().expect("ticket").to_string();
    let qr = qr_with_pass(&api, &rpc, &other_token, &other, &third).await;
    let d = post(
        &api,
        &verify,
        &fake_gate,
        json!({ "payload": qr["payload"] }),
    )
    .await;
    assert_eq!(
        (d["admit"].as_bool(), d["reason"].as_str()),
        (Some(false), Some("not_a_gatekeeper")),
        "{d}"
    );
    // and the refusal did not use the ticket's admission: the real gatekeeper admits it
    let d = post(&api, &verify, &gate, json!({ "payload": qr["payload"] })).await;
    assert_eq!(d["reason"], "ok", "{d}");
}

/// A sale sold out on chain, once mirrored, is refused with 409 `sold_out` before anything
/// is built (the API used to build a purchase the chain then failed with `ShardSoldOut`),
/// and the catalogue says so to anybody; a sale that starts later is refused by the
/// chain's clock, with its start time.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sold_out_or_unstarted_sale_is_refused_before_anything_is_built() {
    let rpc = RpcSender::new(&scripted::rpc_url());
    let sold_out = scripted::sale(&rpc, 1, 1, 0, 2, 3_600).await;
    let later = scripted::sale(&rpc, 10, 1, 600, 700, 3_600).await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let api = spawn_with(&[], db).await;
    let buyer = scripted::wallet(&rpc, scripted::SOL).await;
    let (token, _) = api.sign_in(&as_wallet(&buyer)).await;
    let event = sold_out.event.to_string();
    // the supply's one ticket, built by the API, lands and is mirrored
    let built = post(&api, PURCHASE, &token, json!({ "event": event })).await;
    sign_and_send(&rpc, &built, &[&buyer]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let refuse = |event: String| {
        let api = &api;
        let token = &token;
        async move {
            let r = api
                .http
                .post(api.url(PURCHASE))
                .bearer_auth(token)
                .json(&json!({ "event": event }))
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            let body: Value = r.json().await.expect("json");
            (status, body["error"].clone())
        }
    };
    let (status, error) = refuse(event.clone()).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (409, Some("sold_out")),
        "{error}"
    );
    let one: Value = api
        .get(&format!("/v1/events/{event}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        one["availability"],
        json!({ "status": "sold_out", "sold": 1, "remaining": 0 })
    );
    // ten minutes before its sale, by the chain's clock
    let (status, error) = refuse(later.event.to_string()).await;
    assert_eq!(
        (status, error["code"].as_str()),
        (409, Some("sale_not_started")),
        "{error}"
    );
    let built: i64 = sqlx::query_scalar("SELECT count(*) FROM audit_log WHERE action = 'tx_build'")
        .fetch_one(&api.admin)
        .await
        .expect("audit");
    assert_eq!(built, 1, "only the purchase that could land was built");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tier_presale_is_shown_and_bought_with_the_wallets_allow_list_proof() {
    use bitticket::allow_list;
    use bitticket::state::{Phase, TierConfig};
    let rpc = RpcSender::new(&scripted::rpc_url());
    // the tier is made before its event's sale opens (its terms are fixed from then on)
    let s = scripted::sale(&rpc, 10, 1, 15, 16, 3_600).await;
    let (alice, bob) = (
        scripted::wallet(&rpc, scripted::SOL).await,
        scripted::wallet(&rpc, scripted::SOL).await,
    );
    let leaves: Vec<[u8; 32]> = [&alice, &bob]
        .iter()
        .map(|w| allow_list::leaf(&s.event, 0, 0, &w.pubkey()))
        .collect();
    let start = s.config.sale_start;
    let presale = Phase {
        start,
        end: start + 1_800,
        price: scripted::SOL / 4,
        max_per_wallet: 1,
        allow_list: allow_list::root(&leaves).expect("root"),
    };
    let public = Phase {
        start: start + 1_800,
        end: s.config.sale_end,
        price: scripted::SOL / 2,
        max_per_wallet: 2,
        allow_list: [0; 32],
    };
    let tier = TierConfig {
        name: "VIP".into(),
        supply: 3,
        max_per_wallet: 2,
        phases: vec![presale, public],
    };
    scripted::send(
        &rpc,
        "a tier and its shard",
        &[
            bitticket_client::ix_create_tier(&s.organizer, &s.event, &s.admin.pubkey(), 0, tier, 1),
            bitticket_client::ix_open_tier_shard(&s.organizer, &s.event, &s.admin.pubkey(), 0, 1),
        ],
        &[&s.admin],
    )
    .await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let api = spawn_with(&[], db).await;
    let event = s.event.to_string();
    let path = format!("/v1/events/{event}");
    let before: Value = api.get(&path, None).await.json().await.expect("json");
    let t = &before["tiers"][0];
    assert_eq!(
        (
            t["name"].as_str(),
            t["status"].as_str(),
            t["supply"].as_i64()
        ),
        (Some("VIP"), Some("not_started"), Some(3)),
        "{before}"
    );
    assert_eq!(t["phases"][0]["allow_listed"], json!(true));
    assert_eq!(t["phases"][0]["price"], json!(scripted::SOL / 4));
    assert_eq!(t["phases"][1]["status"], json!("upcoming"));
    // the event's availability counts its own supply and the tier's
    assert_eq!(before["availability"]["remaining"], json!(13));

    scripted::wait_until(&rpc, start).await;
    let (token, _) = api.sign_in(&as_wallet(&alice)).await;
    let hex = |p: Vec<[u8; 32]>| -> Vec<String> {
        p.iter()
            .map(|n| n.iter().map(|b| format!("{b:02x}")).collect())
            .collect()
    };
    let ask = |body: Value| {
        let api = &api;
        let token = &token;
        async move {
            let r = api
                .http
                .post(api.url(PURCHASE))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.expect("json"))
        }
    };
    // no proof, then bob's proof (it proves bob, not alice)
    let (status, body) = ask(json!({ "event": event, "tier": 0 })).await;
    assert_eq!(status, 400, "{body}");
    assert!(body["error"]["message"]
        .as_str()
        .is_some_and(|m| m.contains("field `proof`")));
    // the organizer uploads the list: the API's root is the one the chain holds, and each
    // listed wallet is served its proof (a stranger is not)
    let (staff, _) = api.sign_in(&as_wallet(&s.admin)).await;
    let upload = format!(
        "/v1/organizers/{}/events/{event}/allow-lists/0/0",
        s.organizer
    );
    let r = api
        .http
        .put(api.url(&upload))
        .bearer_auth(&staff)
        .json(&json!({ "wallets": [alice.pubkey().to_string(), bob.pubkey().to_string()] }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200);
    let saved: Value = r.json().await.expect("json");
    assert_eq!(
        (saved["wallets"].as_u64(), saved["on_chain"].as_bool()),
        (Some(2), Some(true)),
        "{saved}"
    );
    // a buyer cannot upload one
    let r = api
        .http
        .put(api.url(&upload))
        .bearer_auth(&token)
        .json(&json!({ "wallets": [alice.pubkey().to_string()] }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 403);
    let served: Value = api
        .get(
            &format!("/v1/events/{event}/allow-lists/0/0/proof"),
            Some(&token),
        )
        .await
        .json()
        .await
        .expect("json");
    let hers = hex(allow_list::proof(&leaves, 0).expect("proof"));
    assert_eq!(served["proof"], json!(hers));
    let stranger = scripted::wallet(&rpc, scripted::SOL).await;
    let (stranger_token, _) = api.sign_in(&as_wallet(&stranger)).await;
    let r = api
        .get(
            &format!("/v1/events/{event}/allow-lists/0/0/proof"),
            Some(&stranger_token),
        )
        .await;
    assert_eq!(r.status(), 404);
    let bobs = hex(allow_list::proof(&leaves, 1).expect("proof"));
    let (status, body) = ask(json!({ "event": event, "tier": 0, "proof": bobs })).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("not_allow_listed")),
        "{body}"
    );
    // her proof, served from the uploaded list when she sends none
    let (status, built) = ask(json!({ "event": event, "tier": 0 })).await;
    assert_eq!(status, 200, "{built}");
    sign_and_send(&rpc, &built, &[&alice]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let after: Value = api.get(&path, None).await.json().await.expect("json");
    let t = &after["tiers"][0];
    assert_eq!(
        (
            t["sold"].as_i64(),
            t["remaining"].as_i64(),
            t["open_phase"].as_i64()
        ),
        (Some(1), Some(2), Some(0)),
        "{after}"
    );
    assert_eq!(
        t["sales"],
        json!({ "currency": "SOL", "revenue": scripted::SOL / 4, "refunded": 0, "swept": 0 }),
        "the tier's sales figures"
    );
    let bought: bitticket::state::Ticket = rpc
        .account(
            &built["ticket"]
                .as_str()
                .expect("ticket")
                .parse()
                .expect("address"),
        )
        .await
        .expect("ticket");
    assert_eq!((bought.tier, bought.price_paid), (0, scripted::SOL / 4));

    // bob, through the purchase link as a wallet opens it: the VIP button of the presale,
    // his account posted without a token, his proof served from the uploaded list
    let action = format!("/v1/actions/events/{event}");
    let meta: Value = api.get(&action, None).await.json().await.expect("json");
    let vip = meta["links"]["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["href"].as_str().is_some_and(|h| h.ends_with("?tier=0")))
        .unwrap_or_else(|| panic!("a VIP button: {meta}"))
        .clone();
    assert_eq!(vip["label"], json!("VIP · 0.25 SOL · allow-list"), "{meta}");
    let (status, built) = action_post(&api, vip["href"].as_str().expect("href"), &bob).await;
    assert_eq!(status, 200, "{built}");
    sign_and_send(&rpc, &built, &[&bob]).await;
    // a wallet on no list uploaded here is told why, in the spec's `message`
    let (status, refused) = action_post(&api, vip["href"].as_str().expect("href"), &stranger).await;
    assert_eq!(status, 400, "{refused}");
    assert!(refused["message"]
        .as_str()
        .is_some_and(|m| m.contains("allow-list")));
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let after: Value = api.get(&path, None).await.json().await.expect("json");
    assert_eq!(after["tiers"][0]["sold"], json!(2), "{after}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_usdc_tier_is_shown_in_its_currency_and_bought_in_it_through_the_api_and_the_link() {
    use bitticket::state::{Phase, TierConfig};
    let rpc = RpcSender::new(&scripted::rpc_url());
    let s = scripted::sale(&rpc, 10, 1, 15, 16, 3_600).await;
    let issuer = scripted::wallet(&rpc, scripted::SOL).await;
    let usdc = scripted::usdc(&rpc, &issuer).await;
    let (alice, bob) = (
        scripted::wallet(&rpc, scripted::SOL).await,
        scripted::wallet(&rpc, scripted::SOL).await,
    );
    for w in [&alice, &bob] {
        scripted::fund_currency(&rpc, &issuer, &usdc, &w.pubkey(), 100_000_000).await;
    }
    let price = 25_000_000; // 25 units of a 6-decimal mint
    let tier = TierConfig {
        name: "VIP".into(),
        supply: 3,
        max_per_wallet: 2,
        phases: vec![Phase {
            start: s.config.sale_start,
            end: s.config.sale_end,
            price,
            max_per_wallet: 2,
            allow_list: [0; 32],
        }],
    };
    scripted::send(
        &rpc,
        "a USDC tier and its shard",
        &[
            bitticket_client::ix_create_tier_in(
                &s.organizer,
                &s.event,
                &s.admin.pubkey(),
                0,
                tier,
                1,
                Some(&usdc.mint),
            ),
            bitticket_client::ix_open_tier_shard(&s.organizer, &s.event, &s.admin.pubkey(), 0, 1),
            // its till: the shard's associated account in the mint
            bitticket_client::ix_open_currency_account(
                &s.admin.pubkey(),
                &bitticket_client::shard_pda(&s.event, 1),
                &usdc,
            ),
            bitticket_client::ix_set_resale_terms(
                &s.organizer,
                &s.event,
                &s.admin.pubkey(),
                scripted::RESALE,
            ),
        ],
        &[&s.admin],
    )
    .await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let api = spawn_with(&[], db).await;
    let event = s.event.to_string();
    let path = format!("/v1/events/{event}");
    let mint = usdc.mint.to_string();
    let symbol = format!("{}…", &mint[..4]);
    let shown: Value = api.get(&path, None).await.json().await.expect("json");
    let t = &shown["tiers"][0];
    assert_eq!(
        t["currency"],
        json!({ "symbol": symbol, "mint": mint, "decimals": 6 }),
        "{shown}"
    );
    assert_eq!(t["phases"][0]["price"], json!(price));

    scripted::wait_until(&rpc, s.config.sale_start).await;
    let (token, _) = api.sign_in(&as_wallet(&alice)).await;
    // a maximum below the price is refused, in the tier's currency
    let r = api
        .http
        .post(api.url(PURCHASE))
        .bearer_auth(&token)
        .json(&json!({ "event": event, "tier": 0, "max_price": price - 1 }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 409);
    let refused: Value = r.json().await.expect("json");
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains(&format!("25 {symbol}"))),
        "{refused}"
    );
    let built = post(&api, PURCHASE, &token, json!({ "event": event, "tier": 0 })).await;
    sign_and_send(&rpc, &built, &[&alice]).await;
    let alice_ticket = built["mint"].as_str().expect("mint").to_string();
    let till = usdc.account(&bitticket_client::shard_pda(&s.event, 1));
    let balance = |key| {
        let rpc = &rpc;
        async move { rpc.token_balance(&key).await.expect("read").unwrap_or(0) }
    };
    assert_eq!(
        balance(usdc.account(&alice.pubkey())).await,
        100_000_000 - price
    );
    assert_eq!(
        balance(till).await,
        price,
        "the price is in the shard's till"
    );

    // bob, through the purchase link: the button reads the price in the mint's units
    let meta: Value = api
        .get(&format!("/v1/actions/events/{event}"), None)
        .await
        .json()
        .await
        .expect("json");
    let vip = meta["links"]["actions"]
        .as_array()
        .expect("actions")
        .iter()
        .find(|a| a["href"].as_str().is_some_and(|h| h.ends_with("?tier=0")))
        .unwrap_or_else(|| panic!("a VIP button: {meta}"))
        .clone();
    assert_eq!(vip["label"], json!(format!("VIP · 25 {symbol}")), "{meta}");
    let (status, built) = action_post(&api, vip["href"].as_str().expect("href"), &bob).await;
    assert_eq!(status, 200, "{built}");
    sign_and_send(&rpc, &built, &[&bob]).await;
    assert_eq!(balance(till).await, 2 * price);

    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let after: Value = api.get(&path, None).await.json().await.expect("json");
    let t = &after["tiers"][0];
    assert_eq!(t["sold"], json!(2), "{after}");
    assert_eq!(
        t["sales"],
        json!({ "currency": mint, "revenue": 2 * price, "refunded": 0, "swept": 0 }),
        "the tier's sales in the mint's units"
    );
    assert_eq!(
        after["sales"]["revenue_lamports"],
        json!(0),
        "the event's lamport figures leave the mint's units out: {after}"
    );

    // alice resells her ticket at 120% in the mint; bob takes the listing: 27 to her, the
    // 10% royalty to the shard's till
    scripted::wait_until(&rpc, s.config.resale_unlock).await;
    let ticket = alice_ticket.clone();
    let resale = price * 12 / 10;
    let built = post(
        &api,
        "/v1/transactions/list",
        &token,
        json!({ "ticket": ticket, "price": resale }),
    )
    .await;
    sign_and_send(&rpc, &built, &[&alice]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let listings: Value = api
        .get(&format!("/v1/events/{event}/listings"), None)
        .await
        .json()
        .await
        .expect("json");
    let l = &listings["items"][0];
    assert_eq!(
        (&l["price"], &l["face_value"], &l["currency"]["mint"]),
        (&json!(resale), &json!(price), &json!(mint)),
        "{listings}"
    );
    let (bob_token, _) = api.sign_in(&as_wallet(&bob)).await;
    let built = post(
        &api,
        "/v1/transactions/buy-listing",
        &bob_token,
        json!({ "ticket": ticket }),
    )
    .await;
    sign_and_send(&rpc, &built, &[&bob]).await;
    let royalty = resale / 10;
    assert_eq!(
        balance(usdc.account(&alice.pubkey())).await,
        100_000_000 - price + resale - royalty
    );
    assert_eq!(
        balance(usdc.account(&bob.pubkey())).await,
        100_000_000 - price - resale
    );
    assert_eq!(balance(till).await, 2 * price + royalty);
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let after: Value = api.get(&path, None).await.json().await.expect("json");
    assert_eq!(
        after["tiers"][0]["sales"]["revenue"],
        json!(2 * price + royalty),
        "the royalty is the tier's proceeds: {after}"
    );
}

/// Posts `wallet`'s account to an action's `href` as a wallet does: no token. (status,
/// answer)
async fn action_post(api: &Api, href: &str, wallet: &Keypair) -> (u16, Value) {
    let r = api
        .http
        .post(api.url(href))
        .header("origin", "https://dial.to")
        .json(&json!({ "account": wallet.pubkey().to_string() }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        r.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*"),
        "every Actions answer carries the spec's CORS headers"
    );
    (r.status().as_u16(), r.json().await.expect("json"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wallet_buys_through_the_actions_link_as_any_blink_client_would() {
    let rpc = RpcSender::new(&scripted::rpc_url());
    let s = scripted::sale(&rpc, 10, 1, 0, 2, 3_600).await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let api = spawn_with(&[], db).await;
    let event = s.event.to_string();

    // the rule file, as a blink client fetches it from the site's root
    let r = api.get("/actions.json", None).await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        r.headers()
            .get("access-control-allow-origin")
            .and_then(|v| v.to_str().ok()),
        Some("*")
    );
    let rules: Value = r.json().await.expect("json");
    assert_eq!(
        rules["rules"][0],
        json!({ "pathPattern": "/events/*", "apiPath": "/v1/actions/events/*" })
    );
    // a browser's preflight from any page is answered with the spec's headers
    let action = format!("/v1/actions/events/{event}");
    let r = api
        .http
        .request(reqwest::Method::OPTIONS, api.url(&action))
        .header("origin", "https://dial.to")
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .expect("preflight");
    assert_eq!(r.status(), 200);
    let header = |name: &str| {
        r.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(String::from)
    };
    assert_eq!(header("access-control-allow-origin").as_deref(), Some("*"));
    assert!(header("access-control-allow-methods").is_some_and(|m| m.contains("POST")));
    assert!(header("access-control-allow-headers").is_some_and(|h| h.contains("Content-Type")));
    assert_eq!(header("x-action-version").as_deref(), Some("2.4"));

    // the metadata: the event's name, an absolute icon that is an SVG, one button
    let meta: Value = api.get(&action, None).await.json().await.expect("json");
    assert_eq!(
        (
            meta["type"].as_str(),
            meta["title"].as_str(),
            meta["disabled"].as_bool()
        ),
        (Some("action"), Some(s.config.name.as_str()), Some(false)),
        "{meta}"
    );
    let icon = meta["icon"].as_str().expect("icon");
    assert!(icon.starts_with("http"), "{icon}");
    let path = icon
        .split_once("/v1/")
        .map(|(_, p)| format!("/v1/{p}"))
        .expect("path");
    let r = api.get(&path, None).await;
    assert_eq!(
        r.headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok()),
        Some("image/svg+xml")
    );
    assert!(r.text().await.expect("svg").starts_with("<svg"));
    let buttons = meta["links"]["actions"].as_array().expect("actions");
    assert_eq!(buttons.len(), 1, "{meta}");
    assert_eq!(buttons[0]["type"], json!("transaction"));
    let href = buttons[0]["href"].as_str().expect("href");

    // the wallet posts its account, signs what comes back and sends it to the validator
    let buyer = scripted::wallet(&rpc, scripted::SOL).await;
    let (status, built) = action_post(&api, href, &buyer).await;
    assert_eq!(
        (status, built["type"].as_str()),
        (200, Some("transaction")),
        "{built}"
    );
    let tx = decode(&built);
    assert_eq!(
        tx.message.account_keys[0],
        buyer.pubkey(),
        "the buyer pays the fee"
    );
    sign_and_send(&rpc, &built, &[&buyer]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let (token, _) = api.sign_in(&as_wallet(&buyer)).await;
    let mine: Value = api
        .get("/v1/me/tickets", Some(&token))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(mine["items"].as_array().map(Vec::len), Some(1), "{mine}");

    // bad input gets the API's errors, with the spec's `message` on top and the CORS headers
    let r = api
        .http
        .post(api.url(href))
        .json(&json!({ "account": "not-a-wallet" }))
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.expect("json");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(body["message"], body["error"]["message"]);
    let unknown = format!("/v1/actions/events/{}", Keypair::new().pubkey());
    let (status, body) = action_post(&api, &unknown, &buyer).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, body) = action_post(&api, &format!("{action}?tier=7"), &buyer).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_resale_is_listed_shown_bought_and_mirrored_through_the_api() {
    let rpc = RpcSender::new(&scripted::rpc_url());
    // the market opens with the event, before its sale: at most 120% of face value, 10% royalty
    let s = scripted::sale(&rpc, 10, 1, 8, 9, 3_600).await;
    scripted::open_market(&rpc, &s).await;
    scripted::wait_until(&rpc, s.config.resale_unlock).await;
    let seller = scripted::wallet(&rpc, scripted::SOL).await;
    let seller_key = seller.pubkey();
    let t = scripted::buy(&rpc, &s, seller, 0).await;
    let db = fresh_db().await;
    let mut indexer = mirrored(&db).await;
    let api = spawn_with(&[], db).await;
    let event = s.event.to_string();
    let detail: Value = api
        .get(&format!("/v1/events/{event}"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(
        (
            detail["resale_cap_bps"].as_i64(),
            detail["royalty_bps"].as_i64(),
            detail["transfers_locked"].as_bool()
        ),
        (Some(12_000), Some(1_000), Some(false)),
        "{detail}"
    );
    let (token, _) = api.sign_in(&as_wallet(&t.holder)).await;
    let price = s.config.price_lamports;
    let ask = |path: &'static str, token: String, body: Value| {
        let api = &api;
        async move {
            let r = api
                .http
                .post(api.url(path))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.expect("json"))
        }
    };
    let mint = t.mint.to_string();
    let (status, body) = ask(
        "/v1/transactions/list",
        token.clone(),
        json!({ "ticket": mint, "price": price * 12 / 10 + 1 }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("above_resale_cap")),
        "{body}"
    );
    // listed at 110%, then again at 120% (the open listing is taken down first)
    for pct in [11, 12] {
        let built = post(
            &api,
            "/v1/transactions/list",
            &token,
            json!({ "ticket": mint, "price": price * pct / 10 }),
        )
        .await;
        sign_and_send(&rpc, &built, &[&t.holder]).await;
        indexer.catch_up(&|_, _| {}).await.expect("catch up");
    }
    let listings: Value = api
        .get(&format!("/v1/events/{event}/listings"), None)
        .await
        .json()
        .await
        .expect("json");
    let items = listings["items"].as_array().expect("items");
    assert_eq!(items.len(), 1, "{listings}");
    assert_eq!(
        (
            items[0]["seller"].as_str(),
            items[0]["price"].as_u64(),
            items[0]["face_value"].as_u64()
        ),
        (
            Some(seller_key.to_string().as_str()),
            Some(price * 12 / 10),
            Some(price)
        ),
        "{listings}"
    );
    // the seller cannot buy its own listing; a buyer can
    let (status, body) = ask(
        "/v1/transactions/buy-listing",
        token.clone(),
        json!({ "ticket": mint }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("own_listing")),
        "{body}"
    );
    let buyer = scripted::wallet(&rpc, scripted::SOL).await;
    let (buyer_token, _) = api.sign_in(&as_wallet(&buyer)).await;
    let (status, body) = ask(
        "/v1/transactions/buy-listing",
        buyer_token.clone(),
        json!({ "ticket": mint, "max_price": price }),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("price_above_maximum")),
        "{body}"
    );
    let built = post(
        &api,
        "/v1/transactions/buy-listing",
        &buyer_token,
        json!({ "ticket": mint }),
    )
    .await;
    sign_and_send(&rpc, &built, &[&buyer]).await;
    indexer.catch_up(&|_, _| {}).await.expect("catch up");
    let listings: Value = api
        .get(&format!("/v1/events/{event}/listings"), None)
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(listings["items"], json!([]), "{listings}");
    let holder: String = sqlx::query_scalar("SELECT holder FROM tickets WHERE mint = $1")
        .bind(&mint)
        .fetch_one(&api.admin)
        .await
        .expect("ticket row");
    assert_eq!(holder, buyer.pubkey().to_string());
    let kinds: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT kind, royalty::text FROM resales WHERE event = $1 ORDER BY slot, event_index",
    )
    .bind(&event)
    .fetch_all(&api.admin)
    .await
    .expect("resales");
    let royalty = (price * 12 / 10 / 10).to_string();
    assert_eq!(
        kinds,
        vec![
            ("listed".to_string(), None),
            ("delisted".to_string(), None),
            ("listed".to_string(), None),
            ("sold".to_string(), Some(royalty)),
        ]
    );
}
