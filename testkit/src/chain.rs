//! Scripted activity on the real validator that scripts/test.sh starts
//! (BITTICKET_TEST_RPC), through the client library's instruction builders.
use std::time::Duration;

use bitticket::state::{EventConfig, Member, Period, ProposalAction, SpendingLimitConfig, Vote};
use bitticket_client::rpc::RpcSender;
use bitticket_client::*;
use bitticket_indexer::source::{Policy, RpcPool};
use bitticket_indexer::Settings;
use solana_address::Address;
use solana_keypair::Keypair;
use solana_signer::Signer;

pub const SOL: u64 = 1_000_000_000;

pub use crate::services::{rpc_url, ws_url};

pub fn settings(database_url: &str, batch_size: usize) -> Settings {
    Settings {
        rpc_urls: vec![rpc_url()],
        ws_urls: vec![ws_url()],
        database_url: database_url.to_string(),
        program_id: bitticket::ID,
        commitment: "confirmed".into(),
        batch_size,
        fetch_concurrency: 8,
        rpc_timeout_ms: 10_000,
        poll_ms: 200,
        balance_ms: 5_000,
        metrics_addr: String::new(),
    }
}

/// An indexer in this process on `cfg`'s endpoints, writing to `sink`, and its RPC pool.
pub async fn in_process(
    cfg: &Settings,
    sink: &bitticket_indexer::Sink,
) -> (bitticket_indexer::Indexer, std::sync::Arc<RpcPool>) {
    let pool = std::sync::Arc::new(RpcPool::new(
        &cfg.rpc_urls,
        cfg.rpc_timeout(),
        Policy::default(),
    ));
    let indexer = bitticket_indexer::Indexer::new(cfg, pool.clone(), sink.clone())
        .await
        .expect("indexer");
    (indexer, pool)
}

/// Validator tests share one chain: they run one at a time.
pub static CHAIN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

pub async fn wallet(rpc: &RpcSender, lamports: u64) -> Keypair {
    let k = Keypair::new();
    rpc.airdrop(&k.pubkey(), lamports).await.expect("airdrop");
    k
}

/// Sleeps until the chain's clock reaches `t`.
pub async fn wait_until(rpc: &RpcSender, t: i64) {
    while rpc.now().await.expect("clock") < t {
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

pub async fn send(
    rpc: &RpcSender,
    what: &str,
    ixs: &[solana_instruction::Instruction],
    signers: &[&Keypair],
) -> String {
    rpc.send(ixs, signers)
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// An event of `supply` at 0.1 SOL, on sale from `now + sale` to `now + end`, resale and
/// check-in from `now + unlock`.
pub fn config(now: i64, supply: u32, sale: i64, unlock: i64, end: i64) -> EventConfig {
    crate::builders::EventConfigBuilder::at(now + sale, now + unlock, now + end)
        .price(SOL / 10)
        .supply(supply)
        .named("Validator Fest", "https://bitticket.example/v.json")
        .build()
}

/// An organizer (a fresh creator) with one event on sale from `sale` seconds from now.
pub struct Sale {
    pub admin: Keypair,
    pub organizer: Address,
    pub event: Address,
    pub config: EventConfig,
    pub shards: u8,
}

pub async fn sale(
    rpc: &RpcSender,
    supply: u32,
    shards: u8,
    sale: i64,
    unlock: i64,
    end: i64,
) -> Sale {
    let admin = wallet(rpc, 50 * SOL).await;
    let id = 1;
    let organizer = organizer_pda(&admin.pubkey(), id);
    let event = event_pda(&organizer, 0);
    let now = rpc.now().await.expect("clock");
    let config = config(now, supply, sale, unlock, end);
    let mut ixs = vec![
        ix_create_organizer(&admin.pubkey(), id),
        ix_create_event(&organizer, &event, &admin.pubkey(), config.clone(), shards),
    ];
    ixs.extend((0..shards).map(|i| ix_open_shard(&organizer, &event, &admin.pubkey(), i)));
    send(rpc, "set up the sale", &ixs, &[&admin]).await;
    Sale {
        admin,
        organizer,
        event,
        config,
        shards,
    }
}

pub struct Ticket {
    pub holder: Keypair,
    pub mint: Address,
    pub shard: u8,
}

pub async fn buy(rpc: &RpcSender, s: &Sale, buyer: Keypair, shard: u8) -> Ticket {
    let mint = ticket_mint(&buyer.pubkey());
    send(
        rpc,
        "purchase",
        &[ix_purchase(
            &buyer.pubkey(),
            &s.event,
            shard,
            &mint.pubkey(),
        )],
        &[&buyer, &mint],
    )
    .await;
    Ticket {
        holder: buyer,
        mint: mint.pubkey(),
        shard,
    }
}

/// Proposes, approves by every voter, waits out the time-lock and executes.
pub async fn pass(
    rpc: &RpcSender,
    org: &Address,
    action: ProposalAction,
    voters: &[&Keypair],
    out: Outflow,
) {
    let o: bitticket::state::Organizer = rpc.account(org).await.expect("organizer");
    let index = o.transaction_index + 1;
    let event = action.event();
    let first = voters[0];
    send(
        rpc,
        "propose",
        &[ix_create_proposal(org, &first.pubkey(), index, action)],
        &[first],
    )
    .await;
    for v in voters {
        send(
            rpc,
            "approve",
            &[ix_vote(org, index, &v.pubkey(), Vote::Approve)],
            &[*v],
        )
        .await;
    }
    let p: bitticket::state::Proposal = rpc
        .account(&proposal_pda(org, index))
        .await
        .expect("proposal");
    if let bitticket::state::ProposalStatus::Approved { at } = p.status {
        wait_until(rpc, at + i64::from(o.time_lock) + 1).await;
    }
    send(
        rpc,
        "execute",
        &[ix_execute_on(org, index, &first.pubkey(), event, out)],
        &[first],
    )
    .await;
}

/// What the full scripted sale did, for the assertions: its organizer and events, and
/// how many of each kind of row it made.
#[derive(Debug, Default, Clone, serde::Serialize, serde::Deserialize)]
pub struct Expected {
    #[serde(with = "address")]
    pub organizer: Address,
    #[serde(with = "addresses")]
    pub events: Vec<Address>,
    pub purchases: i64,
    pub transfers: i64,
    pub check_ins: i64,
    pub refunds: i64,
    pub sweeps: i64,
    pub limit_uses: i64,
    pub executions: i64,
}

/// The scripted sale: an organizer governed 2-of-3 with a time-lock, members,
/// an event bought by many wallets, transfers after the resale unlock, check-ins, a
/// cancelled event with refunds, sweeps, a vault withdrawal after the time-lock and a
/// spending limit used.
pub async fn scripted_sale(rpc: &RpcSender, buyers: usize) -> Expected {
    let mut x = Expected::default();
    // windows: sale opens in 6 s, resale and check-in at 12 s, all over at 80 s (the
    // governance set-up and the purchases take about 40 s)
    let s = sale(rpc, 40, 2, 6, 12, 80).await;
    let org = s.organizer;
    x.organizer = org;
    x.events = vec![s.event, event_pda(&org, 1)];
    let alice = &s.admin;
    let (bob, carol, gate) = (
        wallet(rpc, 5 * SOL).await,
        wallet(rpc, 5 * SOL).await,
        wallet(rpc, SOL).await,
    );
    send(
        rpc,
        "add gatekeeper",
        &[ix_add_member(
            &org,
            &alice.pubkey(),
            &gate.pubkey(),
            bitticket::state::permission::GATEKEEPER,
        )],
        &[alice],
    )
    .await;
    // a second event, to be cancelled after sales
    let cancelled = event_pda(&org, 1);
    send(
        rpc,
        "second event",
        &[
            ix_create_event(&org, &cancelled, &alice.pubkey(), s.config.clone(), 1),
            ix_open_shard(&org, &cancelled, &alice.pubkey(), 0),
        ],
        &[alice],
    )
    .await;
    for k in [bob.pubkey(), carol.pubkey()] {
        let member = Member {
            key: k,
            permissions: bitticket::state::permission::MULTISIG,
        };
        pass(
            rpc,
            &org,
            ProposalAction::AddMember { member },
            &[alice],
            Outflow::default(),
        )
        .await;
        x.executions += 1;
    }
    pass(
        rpc,
        &org,
        ProposalAction::SetOutflowCap {
            mint: Address::default(),
            amount: SOL,
            period: Period::Day,
        },
        &[alice],
        Outflow::default(),
    )
    .await;
    let limit = SpendingLimitConfig {
        id: 1,
        mint: Address::default(),
        amount: SOL / 20,
        period: Period::Day,
        members: vec![carol.pubkey()],
        destinations: vec![],
    };
    pass(
        rpc,
        &org,
        ProposalAction::AddSpendingLimit { limit },
        &[alice],
        Outflow::default(),
    )
    .await;
    pass(
        rpc,
        &org,
        ProposalAction::SetThreshold { threshold: 2 },
        &[alice],
        Outflow::default(),
    )
    .await;
    pass(
        rpc,
        &org,
        ProposalAction::SetTimeLock { seconds: 2 },
        &[alice, &bob],
        Outflow::default(),
    )
    .await;
    x.executions += 4;

    wait_until(rpc, s.config.sale_start).await;
    let mut tickets = Vec::new();
    for i in 0..buyers {
        let b = wallet(rpc, SOL).await;
        tickets.push(buy(rpc, &s, b, (i % 2) as u8).await);
        x.purchases += 1;
    }
    let mut doomed = Vec::new();
    for _ in 0..2 {
        let b = wallet(rpc, SOL).await;
        let mint = ticket_mint(&b.pubkey());
        send(
            rpc,
            "purchase (second event)",
            &[ix_purchase(&b.pubkey(), &cancelled, 0, &mint.pubkey())],
            &[&b, &mint],
        )
        .await;
        doomed.push((b, mint.pubkey()));
        x.purchases += 1;
    }
    pass(
        rpc,
        &org,
        ProposalAction::CancelEvent { event: cancelled },
        &[alice, &bob],
        Outflow::default(),
    )
    .await;
    x.executions += 1;
    for (b, mint) in &doomed {
        send(
            rpc,
            "refund",
            &[ix_claim_refund(&b.pubkey(), &cancelled, 0, mint)],
            &[b],
        )
        .await;
        x.refunds += 1;
    }

    wait_until(rpc, s.config.resale_unlock).await;
    for t in tickets.iter().take(2) {
        let to = wallet(rpc, SOL / 10).await;
        send(
            rpc,
            "transfer",
            &[ix_transfer_ticket(
                &t.holder.pubkey(),
                &to.pubkey(),
                &s.event,
                &t.mint,
            )],
            &[&t.holder],
        )
        .await;
        x.transfers += 1;
    }
    for t in tickets.iter().skip(2).take(3) {
        send(
            rpc,
            "check in",
            &[ix_check_in(
                &gate.pubkey(),
                &t.holder.pubkey(),
                &org,
                &s.event,
                &t.mint,
            )],
            &[&gate, &t.holder],
        )
        .await;
        x.check_ins += 1;
    }

    wait_until(rpc, s.config.check_in_end + 1).await;
    for i in 0..s.shards {
        send(rpc, "sweep", &[ix_sweep_shard(&org, &s.event, i)], &[&bob]).await;
        x.sweeps += 1;
    }
    let dest = Address::new_unique();
    pass(
        rpc,
        &org,
        ProposalAction::WithdrawSol {
            destination: dest,
            amount: SOL / 10,
        },
        &[alice, &bob],
        Outflow::sol(dest),
    )
    .await;
    x.executions += 1;
    send(
        rpc,
        "spend within the limit",
        &[ix_spend(
            &org,
            &carol.pubkey(),
            1,
            SOL / 100,
            Outflow::sol(dest),
        )],
        &[&carol],
    )
    .await;
    x.limit_uses += 1;
    x
}

/// Addresses as base58 strings in JSON.
mod address {
    use serde::{Deserialize, Deserializer, Serializer};
    use solana_address::Address;

    pub fn serialize<S: Serializer>(a: &Address, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&a.to_string())
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Address, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(|_| serde::de::Error::custom("not a base58 address"))
    }
}

mod addresses {
    use serde::{Deserialize, Deserializer, Serializer};
    use solana_address::Address;

    pub fn serialize<S: Serializer>(v: &[Address], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|a| a.to_string()))
    }
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Address>, D::Error> {
        Vec::<String>::deserialize(d)?
            .iter()
            .map(|a| {
                a.parse()
                    .map_err(|_| serde::de::Error::custom("not a base58 address"))
            })
            .collect()
    }
}
