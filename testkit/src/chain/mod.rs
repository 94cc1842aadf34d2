//! Scripted activity on the real validator that scripts/test.sh starts
//! (BITTICKET_TEST_RPC), through the client library's instruction builders.
mod scripted;

pub use scripted::{scripted_sale, Expected};
use std::time::Duration;

use bitticket::state::{EventConfig, ProposalAction, Vote};
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

/// A USDC-like currency (6 decimals, SPL Token) whose mint authority is `issuer`.
pub async fn usdc(rpc: &RpcSender, issuer: &Keypair) -> TokenCurrency {
    let mint = Keypair::new();
    let currency = TokenCurrency {
        mint: mint.pubkey(),
        program: TOKEN,
    };
    // the rent-exempt minimum of a mint at the default rent: (82 + 128) bytes * 6,960
    let rent = (MINT_LEN + 128) * 6_960;
    let ixs = ixs_create_currency(&issuer.pubkey(), &currency, 6, &issuer.pubkey(), rent)
        .expect("a token program");
    send(rpc, "a USDC-like currency", &ixs, &[issuer, &mint]).await;
    currency
}

/// `amount` of `currency` minted into `owner`'s associated account (opened if need be).
pub async fn fund_currency(
    rpc: &RpcSender,
    issuer: &Keypair,
    currency: &TokenCurrency,
    owner: &Address,
    amount: u64,
) {
    let ixs = [
        ix_open_currency_account(&issuer.pubkey(), owner, currency),
        ix_mint_currency(currency, owner, &issuer.pubkey(), amount).expect("a token program"),
    ];
    send(rpc, "fund a wallet in the currency", &ixs, &[issuer]).await;
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

/// The scripted events' resale market: at most 120% of face value, 10% royalty.
pub const RESALE: bitticket::state::ResaleTerms = bitticket::state::ResaleTerms {
    cap_bps: 12_000,
    royalty_bps: 1_000,
    transfers_locked: false,
};

/// Opens the resale market of `s`'s event (`RESALE`): before its sale starts.
pub async fn open_market(rpc: &RpcSender, s: &Sale) {
    send(
        rpc,
        "resale terms",
        &[ix_set_resale_terms(
            &s.organizer,
            &s.event,
            &s.admin.pubkey(),
            RESALE,
        )],
        &[&s.admin],
    )
    .await;
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
