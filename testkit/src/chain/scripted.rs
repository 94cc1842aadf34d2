//! The scripted sale on the validator, and what it did (for the assertions, and
//! saved with the captured transactions).
use bitticket::state::{Member, Period, ProposalAction};
use bitticket_client::rpc::RpcSender;
use bitticket_client::*;
use solana_address::Address;
use solana_signer::Signer;

use super::*;

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
    /// Listings made, sold and taken down on the resale market (0 in a capture made
    /// before it existed).
    #[serde(default)]
    pub listed: i64,
    #[serde(default)]
    pub resold: i64,
    #[serde(default)]
    pub delisted: i64,
    /// Tickets burned and buyer records closed after their event (0 in a capture made
    /// before they existed).
    #[serde(default)]
    pub burned: i64,
    #[serde(default)]
    pub records_closed: i64,
    /// Shards closed after their event (0 in a capture made before they could close).
    #[serde(default)]
    pub shards_closed: i64,
}

/// The scripted sale: an organizer governed 2-of-3 with a time-lock, members,
/// an event bought by many wallets, transfers after the resale unlock, check-ins, a
/// cancelled event with refunds, sweeps, a vault withdrawal after the time-lock and a
/// spending limit used.
pub async fn scripted_sale(rpc: &RpcSender, buyers: usize) -> Expected {
    let mut x = Expected::default();
    // windows: sale opens in 20 s, resale and check-in at 26 s, all over at 94 s (the
    // governance set-up and the purchases take about 40 s). What must land before the sale
    // opens (the resale terms, the second event and its tier) has those 20 s: 6 s were
    // too few on a loaded machine (SaleStarted)
    let s = sale(rpc, 40, 2, 20, 26, 94).await;
    open_market(rpc, &s).await;
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
            ix_create_tier(&org, &cancelled, &alice.pubkey(), 0, vip(&s.config), 1),
            // the tier's shard is the event's shard 1, after its own sale's one
            ix_open_tier_shard(&org, &cancelled, &alice.pubkey(), 0, 1),
        ],
        &[alice],
    )
    .await;
    // and a second tier priced in a USDC-like mint, its shard's till opened
    let usdc = usdc(rpc, alice).await;
    send(
        rpc,
        "USDC tier (second event)",
        &[
            ix_create_tier_in(
                &org,
                &cancelled,
                &alice.pubkey(),
                1,
                usdc_vip(&s.config),
                1,
                Some(&usdc.mint),
            ),
            ix_open_tier_shard(&org, &cancelled, &alice.pubkey(), 1, 2),
            ix_open_currency_account(&alice.pubkey(), &shard_pda(&cancelled, 2), &usdc),
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
    let limit = crate::builders::sol_limit(1, SOL / 20, Period::Day, &[carol.pubkey()]);
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
        doomed.push((b, mint.pubkey(), 0, None));
        x.purchases += 1;
    }
    // and one of its VIP tier, refunded from the tier's shard like the others
    let b = wallet(rpc, SOL).await;
    let mint = ticket_mint(&b.pubkey());
    send(
        rpc,
        "tier purchase (second event)",
        &[ix_purchase_tier(
            &b.pubkey(),
            &cancelled,
            0,
            1,
            &mint.pubkey(),
            VIP_PRICE,
            vec![],
        )],
        &[&b, &mint],
    )
    .await;
    doomed.push((b, mint.pubkey(), 1, None));
    x.purchases += 1;
    // and one of its USDC tier, refunded in USDC
    let b = wallet(rpc, SOL).await;
    fund_currency(rpc, alice, &usdc, &b.pubkey(), 100 * USDC).await;
    let mint = ticket_mint(&b.pubkey());
    send(
        rpc,
        "USDC tier purchase (second event)",
        &[ix_purchase_tier_in(
            &b.pubkey(),
            &cancelled,
            1,
            2,
            &mint.pubkey(),
            USDC_PRICE,
            vec![],
            Some(usdc),
        )],
        &[&b, &mint],
    )
    .await;
    doomed.push((b, mint.pubkey(), 2, Some(usdc)));
    x.purchases += 1;
    pass(
        rpc,
        &org,
        ProposalAction::CancelEvent { event: cancelled },
        &[alice, &bob],
        Outflow::default(),
    )
    .await;
    x.executions += 1;
    for (b, mint, shard, currency) in &doomed {
        send(
            rpc,
            "refund",
            &[ix_claim_refund_in(
                &b.pubkey(),
                &cancelled,
                *shard,
                mint,
                *currency,
            )],
            &[b],
        )
        .await;
        x.refunds += 1;
    }
    // a refunded ticket of the cancelled event burns at once, and its buyer's record closes
    let (b, mint, _, _) = &doomed[0];
    send(
        rpc,
        "burn a refunded ticket",
        &[
            ix_burn_ticket(&b.pubkey(), &cancelled, mint),
            ix_close_buyer_record(&cancelled, &b.pubkey()),
        ],
        &[b],
    )
    .await;
    x.burned += 1;
    x.records_closed += 1;

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
    // the resale market: one listing bought (its royalty to the shard), one taken down,
    // one left standing
    let price = s.config.price_lamports;
    for (i, t) in tickets.iter().skip(5).take(3).enumerate() {
        send(
            rpc,
            "list",
            &[ix_list_ticket(
                &t.holder.pubkey(),
                &s.event,
                &t.mint,
                price * 11 / 10,
            )],
            &[&t.holder],
        )
        .await;
        x.listed += 1;
        match i {
            0 => {
                let buyer = wallet(rpc, SOL).await;
                send(
                    rpc,
                    "buy a listing",
                    &[ix_buy_listing(
                        &buyer.pubkey(),
                        &t.holder.pubkey(),
                        &s.event,
                        &t.mint,
                        t.shard,
                        price * 11 / 10,
                    )],
                    &[&buyer],
                )
                .await;
                x.resold += 1;
            }
            1 => {
                send(
                    rpc,
                    "delist",
                    &[ix_delist_ticket(
                        &t.holder.pubkey(),
                        &t.holder.pubkey(),
                        &s.event,
                        &t.mint,
                    )],
                    &[&t.holder],
                )
                .await;
                x.delisted += 1;
            }
            _ => {}
        }
    }
    for t in tickets.iter().skip(2).take(3) {
        send(
            rpc,
            "check in",
            &pass::ix_check_in_with_pass(
                &gate.pubkey(),
                &pass::Pass::sign(&t.holder, &t.mint, rpc.now().await.expect("clock") + 120),
                &org,
                &s.event,
            ),
            &[&gate],
        )
        .await;
        x.check_ins += 1;
    }

    wait_until(rpc, s.config.check_in_end + 1).await;
    for i in 0..s.shards {
        send(rpc, "sweep", &[ix_sweep_shard(&org, &s.event, i)], &[&bob]).await;
        x.sweeps += 1;
    }
    // after the event: a checked-in ticket burned by its holder
    let t = &tickets[2];
    send(
        rpc,
        "burn a used ticket",
        &[ix_burn_ticket(&t.holder.pubkey(), &s.event, &t.mint)],
        &[&t.holder],
    )
    .await;
    x.burned += 1;
    // and a swept shard closed, its rent back to alice, who opened it
    send(
        rpc,
        "close a swept shard",
        &[ix_close_shard(&org, &s.event, 0, &alice.pubkey(), None)],
        &[&bob],
    )
    .await;
    x.shards_closed += 1;
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

const VIP_PRICE: u64 = SOL / 20;
/// One unit of a 6-decimal currency, and the USDC tier's price.
const USDC: u64 = 1_000_000;
const USDC_PRICE: u64 = 25 * USDC;

/// The VIP tier at `USDC_PRICE` (of a USDC-like currency).
fn usdc_vip(config: &bitticket::state::EventConfig) -> bitticket::state::TierConfig {
    let mut tier = vip(config);
    tier.name = "VIP (USDC)".into();
    tier.phases[0].price = USDC_PRICE;
    tier
}

/// A VIP tier selling over the whole of `config`'s sale window, in one public phase.
fn vip(config: &bitticket::state::EventConfig) -> bitticket::state::TierConfig {
    bitticket::state::TierConfig {
        name: "VIP".into(),
        supply: 4,
        max_per_wallet: 2,
        phases: vec![bitticket::state::Phase {
            start: config.sale_start,
            end: config.sale_end,
            price: VIP_PRICE,
            max_per_wallet: 2,
            allow_list: [0; 32],
        }],
    }
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
